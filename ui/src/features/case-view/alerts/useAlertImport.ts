import { useCallback, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { AlertImportProgress, AlertImportReport } from "../../../lib/api/bindings";
import { ApiError, cancelAlertImport, importAlerts } from "../../../lib/api/client";
import { fileName, newImportId, onImportProgress } from "../../../lib/files";
import { queryKeys } from "../../../lib/queryKeys";

export type ImportState =
  | { kind: "idle" }
  | { kind: "running"; id: string; file: string; progress: AlertImportProgress | null; cancelling: boolean }
  | { kind: "done"; file: string; report: AlertImportReport }
  | { kind: "failed"; file: string; error: ApiError };

export type AlertImport = {
  state: ImportState;
  /** Imports the file at `path`; ignored while another import runs. */
  start: (path: string) => void;
  cancel: () => void;
  /** Hides the last report. */
  dismiss: () => void;
};

/**
 * One alert import at a time for a case: its progress (from the core's events), Cancel, and the
 * report. Kept by the case view, so switching tabs while a big file loads loses nothing.
 */
export function useAlertImport(space: string, caseId: string): AlertImport {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ImportState>({ kind: "idle" });
  const running = useRef<string | null>(null);

  const start = useCallback(
    (path: string) => {
      if (running.current) return;
      const id = newImportId();
      const file = fileName(path);
      running.current = id;
      setState({ kind: "running", id, file, progress: null, cancelling: false });
      void (async () => {
        // Listen first: the core starts reporting as soon as it is asked.
        const stop = await onImportProgress((e) => {
          if (e.import_id !== id) return;
          const progress = { phase: e.phase, bytes_read: e.bytes_read, total_bytes: e.total_bytes, alerts_read: e.alerts_read };
          setState((s) => (s.kind === "running" && s.id === id ? { ...s, progress } : s));
        });
        try {
          const report = await importAlerts(caseId, path, id);
          setState({ kind: "done", file, report });
        } catch (err) {
          setState({ kind: "failed", file, error: ApiError.from(err) });
        } finally {
          stop();
          running.current = null;
          // Counts, lists, observables and activity all changed (db-changed says so too).
          void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
        }
      })();
    },
    [caseId, queryClient, space],
  );

  const cancel = useCallback(() => {
    const id = running.current;
    if (!id) return;
    setState((s) => (s.kind === "running" ? { ...s, cancelling: true } : s));
    cancelAlertImport(id).catch(() => {
      // The import ended meanwhile: its report arrives anyway.
    });
  }, []);

  const dismiss = useCallback(() => setState((s) => (s.kind === "running" ? s : { kind: "idle" })), []);

  return { state, start, cancel, dismiss };
}
