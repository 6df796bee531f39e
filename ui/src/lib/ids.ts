// Case numbers (#1, #2…): when the background task runs next, and "Assign IDs now".
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AssignReport, IdTaskStatus } from "./api/bindings";
import { assignIds, idTaskStatus } from "./api/client";
import { queryKeys } from "./queryKeys";
import { formatCount } from "./format";

/** The schedule; "db-changed" refreshes it (a pass commits), and so does a minute going by. */
export function useIdTaskStatus() {
  return useQuery({ queryKey: queryKeys.idTask, queryFn: idTaskStatus, refetchInterval: 60_000, staleTime: 30_000 });
}

function every(status: IdTaskStatus): string {
  if (status.interval_seconds < 60) return `every ${status.interval_seconds} seconds`;
  return status.interval_minutes === 1 ? "every minute" : `every ${status.interval_minutes} minutes`;
}

/** "Numbers are given every 10 minutes; next run in about 3 min" (the "ID pending" tooltip). */
export function pendingTooltip(status: IdTaskStatus | undefined, now: number = Date.now()): string {
  if (!status) return "Numbers are given shortly after a case is created";
  const left = Date.parse(status.next_run_at) - now;
  const minutes = Math.round(left / 60_000);
  const next = Number.isNaN(left) || minutes < 1 ? "next run in less than a minute" : `next run in about ${minutes} min`;
  return `Numbers are given ${every(status)}; ${next}`;
}

/** What a pass did, as the UI says it. */
export function assignedText(report: AssignReport): string {
  if (report.assigned === 0) return "Every case already has a number";
  return report.assigned === 1 ? "Numbered 1 case" : `Numbered ${formatCount(report.assigned)} cases`;
}

/** Runs a numbering pass; the numbers show everywhere at once (every case query is refreshed). */
export function useAssignIds() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: assignIds,
    onSuccess: () => void queryClient.invalidateQueries(),
  });
}
