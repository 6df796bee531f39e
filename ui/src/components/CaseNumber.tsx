import { useState } from "react";
import { ApiError } from "../lib/api/client";
import { pendingTooltip, useAssignIds, useIdTaskStatus } from "../lib/ids";
import { Menu } from "./Menu";

/**
 * "ID pending": a case the numbering pass has not reached yet. Its menu says when the pass runs
 * next and offers "Assign IDs now" (where the analyst is looking, not in the page header).
 */
export function PendingId() {
  const status = useIdTaskStatus();
  const assign = useAssignIds();
  const [failed, setFailed] = useState<string | null>(null);
  const schedule = pendingTooltip(status.data);
  const run = () => {
    setFailed(null);
    assign.mutate(undefined, {
      onError: (e) => setFailed(`Numbers were not assigned: ${ApiError.from(e).message}`),
    });
  };
  return (
    <>
      <Menu
        label="ID pending"
        trigger={assign.isPending ? "Assigning…" : "ID pending"}
        title={schedule}
        note={`${schedule}.`}
        className="case-number pending badge-trigger"
        items={[{ label: "Assign IDs now", onSelect: run, disabled: assign.isPending }]}
      />
      {failed && (
        <span role="alert" className="field-error">
          {failed}
        </span>
      )}
    </>
  );
}
