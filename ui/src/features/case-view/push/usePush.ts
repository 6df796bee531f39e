import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Case, OutboxItem, PushOutcome } from "../../../lib/api/bindings";
import { ApiError, cancelPush, listOutbox, pushCase, retryPush, setCaseConnector, type ConnectorFields } from "../../../lib/api/client";
import { queryKeys } from "../../../lib/queryKeys";

export const CONNECTOR_CONFLICT =
  "This case was changed elsewhere (another window, the command line or a push) meanwhile. It was reloaded: make your choice again.";

/** Saves the case's connector and fields against the version on screen; a conflict reloads the case. */
export function useCaseConnector(space: string, current: Case) {
  const queryClient = useQueryClient();
  const key = queryKeys.case(space, current.id);
  return useMutation({
    mutationFn: ({ connector, fields }: { connector: string | null; fields: ConnectorFields }) =>
      setCaseConnector(current.id, current.version, connector, fields),
    onSuccess: (updated) => {
      queryClient.setQueryData(key, updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
    },
    onError: (err) => {
      if (ApiError.from(err).code === "conflict") void queryClient.invalidateQueries({ queryKey: key });
    },
  });
}

/** The waiting push of this case, if the case says there is one (after a reload too). */
export function useOutboxItem(space: string, current: Case): { item: OutboxItem | undefined; loading: boolean } {
  const outbox = useQuery({
    queryKey: queryKeys.outbox(space),
    queryFn: () => listOutbox(space),
    enabled: current.pending_push !== null,
  });
  if (current.pending_push === null) return { item: undefined, loading: false };
  return { item: outbox.data?.find((i) => i.case_id === current.id), loading: outbox.isPending };
}

/**
 * Push, retry and cancel. Each outcome goes into the caches at once (the case's waiting state,
 * the outbox), then the case is refetched for its ticket and push state. The background
 * sender's later work arrives through db-changed.
 */
export function usePush(space: string, current: Case) {
  const queryClient = useQueryClient();
  const caseKey = queryKeys.case(space, current.id);
  const outboxKey = queryKeys.outbox(space);
  // The last outcome of this panel, for the "Pushed to …" line.
  const [last, setLast] = useState<PushOutcome | null>(null);

  const patchCase = (patch: Partial<Case>) => queryClient.setQueryData<Case>(caseKey, (c) => (c ? { ...c, ...patch } : c));
  const refetch = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
  };
  const record = (outcome: PushOutcome) => {
    setLast(outcome);
    if (outcome.outcome === "sent") {
      queryClient.setQueryData<OutboxItem[]>(outboxKey, (list) => list?.filter((i) => i.case_id !== current.id));
      patchCase({ pending_push: null, push_state: "up_to_date" });
    } else {
      const item = outcome.item;
      queryClient.setQueryData<OutboxItem[]>(outboxKey, (list) => [...(list ?? []).filter((i) => i.id !== item.id), item]);
      patchCase({ pending_push: item.state });
    }
  };

  const push = useMutation({ mutationFn: () => pushCase(current.id, null), onSuccess: record, onSettled: refetch });
  const retry = useMutation({
    mutationFn: ({ id, force }: { id: number; force: boolean }) => retryPush(id, force),
    onSuccess: record,
    onSettled: refetch,
  });
  const cancel = useMutation({
    mutationFn: (id: number) => cancelPush(id),
    onSuccess: (_, id) => {
      setLast(null);
      queryClient.setQueryData<OutboxItem[]>(outboxKey, (list) => list?.filter((i) => i.id !== id));
      patchCase({ pending_push: null });
    },
    onSettled: refetch,
  });
  const busy = push.isPending || retry.isPending || cancel.isPending;
  const error = push.error ?? retry.error ?? cancel.error;
  // One action at a time, and only the latest one's error is shown.
  const fresh = () => {
    push.reset();
    retry.reset();
    cancel.reset();
  };
  return {
    pushNow: () => {
      fresh();
      push.mutate();
    },
    retryNow: (id: number) => {
      fresh();
      retry.mutate({ id, force: false });
    },
    /** Sends a create again although its first answer was lost (the user checked the system). */
    retryAnyway: (id: number) => {
      fresh();
      retry.mutate({ id, force: true });
    },
    cancelNow: (id: number) => {
      fresh();
      cancel.mutate(id);
    },
    pushing: push.isPending || retry.isPending,
    cancelling: cancel.isPending,
    last,
    busy,
    error: error ? ApiError.from(error) : null,
  };
}
