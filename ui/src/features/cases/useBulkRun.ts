import { useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { BulkBatch, BulkReport } from "../../lib/api/bindings";
import { ApiError, bulkDeleteMatching, bulkUpdateMatching } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { addBatch, coreChange, emptyReport, type BulkChange } from "./bulk";
import type { MatchingSelection } from "./useMatchingSelection";

export type BulkRunAction = { kind: "update"; change: BulkChange } | { kind: "delete" };

export type BulkRunState = {
  action: BulkRunAction;
  report: BulkReport;
  done: boolean;
  /** Stop was asked: the run ends after the batch under way. */
  stopping: boolean;
  /** A batch the core refused as a whole (the database busy, say): the run stopped there. */
  error: string | null;
};

/**
 * A change to every selected matching case, batch after batch (the core picks and writes each
 * batch in one transaction). Between batches the run can be stopped; the report adds up what
 * each batch did. The list is refreshed when the report is closed, not while it runs.
 */
export function useBulkRun(space: string, onClosed: () => void) {
  const qc = useQueryClient();
  const [state, setState] = useState<BulkRunState | null>(null);
  const stop = useRef(false);
  // Leaving the page stops the run after its current batch: nobody would see the report.
  useEffect(
    () => () => {
      stop.current = true;
    },
    [],
  );

  const start = async (sel: MatchingSelection, action: BulkRunAction) => {
    stop.current = false;
    let report = emptyReport(sel.total);
    setState({ action, report, done: false, stopping: false, error: null });
    let after: string | null = null;
    try {
      for (;;) {
        const batch: BulkBatch =
          action.kind === "delete"
            ? await bulkDeleteMatching(sel.query, sel.snapshot, after)
            : await bulkUpdateMatching(sel.query, sel.snapshot, after, coreChange(action.change));
        report = addBatch(report, batch);
        after = batch.next;
        if (after !== null && stop.current) report = { ...report, cancelled: true };
        const finished = after === null || stop.current;
        setState((s) => s && { ...s, report, done: finished });
        if (finished) return;
      }
    } catch (err) {
      const message = ApiError.from(err).message;
      setState((s) => s && { ...s, report, done: true, error: message });
    }
  };

  return {
    state,
    start,
    stop: () => {
      stop.current = true;
      setState((s) => s && { ...s, stopping: true });
    },
    close: () => {
      setState(null);
      void qc.invalidateQueries({ queryKey: queryKeys.space(space) });
      onClosed();
    },
  };
}
