import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { Case } from "../../lib/api/bindings";
import { ApiError, deleteCases, updateCases } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { bulkMessage, bulkPatches, casesNoun, type BulkChange } from "./bulk";

export type Notice = { text: string; kind: "info" | "error" };

/** The outcome of a bulk write: null when done, else an error for the dialog that asked. */
type Outcome = string | null;

/**
 * Runs bulk edits and deletes on the selection in one call each (the core applies all or none).
 * A case changed or deleted meanwhile fails the whole call: the list is refreshed and the user
 * told; other errors go back to the caller to show where the user is looking.
 */
export function useBulkActions(space: string, notify: (n: Notice) => void, onDone: () => void) {
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);

  const refresh = () => qc.invalidateQueries({ queryKey: queryKeys.space(space) });

  const run = async (count: number, write: () => Promise<unknown>, done: string): Promise<Outcome> => {
    setBusy(true);
    try {
      await write();
      notify({ text: done, kind: "info" });
      onDone();
      return null;
    } catch (err) {
      const e = ApiError.from(err);
      if (e.code === "conflict" || e.code === "not_found") {
        onDone();
        notify({
          kind: "error",
          text: `Nothing was changed: ${count === 1 ? "the case was" : "some of the " + casesNoun(count) + " were"} ${
            e.code === "conflict" ? "edited" : "deleted"
          } meanwhile (in another window or from the command line). The list has been refreshed — check it and try again.`,
        });
        return null;
      }
      return e.message;
    } finally {
      setBusy(false);
      void refresh();
    }
  };

  return {
    busy,
    update: (cases: Case[], change: BulkChange) =>
      run(cases.length, () => updateCases(space, bulkPatches(cases, change)), bulkMessage(cases.length, change)),
    remove: (cases: Case[]) =>
      run(cases.length, () => deleteCases(cases.map((c) => c.id)), bulkMessage(cases.length, { kind: "delete" })),
  };
}
