import { ApiError } from "../lib/api/client";
import { assignedText, useAssignIds } from "../lib/ids";

type Props = {
  /** Told what the pass did ("Numbered 3 cases") or why it failed. */
  onResult: (result: { kind: "info" | "error"; text: string }) => void;
  className?: string;
};

/** "Assign IDs now": numbers every case without one, in every space, without waiting for the task. */
export function AssignIdsButton({ onResult, className = "button" }: Props) {
  const assign = useAssignIds();
  const run = () =>
    assign.mutate(undefined, {
      onSuccess: (report) => onResult({ kind: "info", text: `${assignedText(report)}.` }),
      onError: (e) => onResult({ kind: "error", text: `Numbers were not assigned: ${ApiError.from(e).message}` }),
    });
  return (
    <button
      type="button"
      className={className}
      onClick={run}
      disabled={assign.isPending}
      title="Give every case without a number its number now, instead of waiting for the next run"
    >
      {assign.isPending ? "Assigning…" : "Assign IDs now"}
    </button>
  );
}
