import { useQuery } from "@tanstack/react-query";
import { getAlertSource } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";

/** The space's Elasticsearch source (null: none set), shared by Settings and the Alerts tab. */
export function useAlertSource(space: string) {
  return useQuery({ queryKey: queryKeys.alertSource(space), queryFn: () => getAlertSource(space) });
}
