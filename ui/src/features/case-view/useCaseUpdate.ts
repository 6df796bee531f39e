import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Case, CasePatch } from "../../lib/api/bindings";
import { ApiError, updateCases } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";

/** What a field editor sends; the hook adds the id and the version on screen. */
export type CaseChange = Omit<CasePatch, "id" | "version" | "add_tags" | "remove_tags" | "add_assignees" | "remove_assignees"> &
  Partial<Pick<CasePatch, "add_tags" | "remove_tags" | "add_assignees" | "remove_assignees">>;

export const CONFLICT_MESSAGE =
  "This case was changed elsewhere (another window or the command line) since you started editing. " +
  "Your text is kept: check the latest version, then save again.";

/** A message for a failed case write; conflicts get the explanation users need. */
export function writeErrorMessage(err: unknown): string {
  const e = ApiError.from(err);
  return e.code === "conflict" ? CONFLICT_MESSAGE : e.message;
}

/**
 * Writes one case against the version on screen. Editors show when the case changed under
 * them (db-changed refreshes it), so saving then is a choice the user has seen; a conflict
 * (the refresh had not arrived yet) refetches, and the editor keeps what the user typed.
 */
export function useCaseUpdate(space: string, current: Case) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: CaseChange) =>
      updateCases(space, [
        {
          add_tags: [],
          remove_tags: [],
          add_assignees: [],
          remove_assignees: [],
          ...change,
          id: current.id,
          version: current.version,
        },
      ]).then((cases) => cases[0]),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.case(space, current.id), updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
    },
    onError: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.case(space, current.id) });
    },
  });
}
