import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, cancelPush, listOutbox, retryPush } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";

/**
 * The space's waiting pushes (the case panel shares the list), with Retry now and Cancel push.
 * The background sender's work arrives through db-changed, which refetches the list.
 */
export function useOutbox(space: string) {
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: queryKeys.outbox(space), queryFn: () => listOutbox(space) });
  const refetch = () => void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
  const retry = useMutation({ mutationFn: ({ id, anyway }: { id: number; anyway: boolean }) => retryPush(id, anyway || null), onSettled: refetch });
  const cancel = useMutation({ mutationFn: (id: number) => cancelPush(id), onSettled: refetch });
  const error = retry.error ?? cancel.error;
  return {
    list,
    /** `anyway`: after "needs your check", the user found no ticket and sends the create again. */
    retry: (id: number, anyway = false) => {
      cancel.reset();
      retry.mutate({ id, anyway });
    },
    cancel: (id: number) => {
      retry.reset();
      cancel.mutate(id);
    },
    /** The item being retried or cancelled now (one action at a time). */
    retrying: retry.isPending ? retry.variables.id : null,
    cancelling: cancel.isPending ? cancel.variables : null,
    error: error ? ApiError.from(error) : null,
  };
}
