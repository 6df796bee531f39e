import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Connector } from "../../lib/api/bindings";
import { listConnectors, refreshConnectorMetadata } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";

/** The space's connectors (Settings and the case's External incident panel share the list). */
export function useConnectors(space: string) {
  return useQuery({ queryKey: queryKeys.connectors(space), queryFn: () => listConnectors(space) });
}

/** Puts a connector the core returned into the cached list, in its place (or at the end). */
export function useStoreConnector(space: string) {
  const queryClient = useQueryClient();
  return (saved: Connector) => {
    queryClient.setQueryData<Connector[]>(queryKeys.connectors(space), (list) =>
      list?.some((k) => k.id === saved.id) ? list.map((k) => (k.id === saved.id ? saved : k)) : [...(list ?? []), saved],
    );
    void queryClient.invalidateQueries({ queryKey: queryKeys.connectors(space) });
  };
}

/** "Refresh choices": fetches the case form's choices from the system and keeps them. */
export function useRefreshChoices(space: string) {
  const store = useStoreConnector(space);
  return useMutation({ mutationFn: (id: string) => refreshConnectorMetadata(space, id), onSuccess: store });
}
