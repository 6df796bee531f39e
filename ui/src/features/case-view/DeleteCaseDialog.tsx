import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Case } from "../../lib/api/bindings";
import { ApiError, deleteCases } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { navigate } from "../../lib/route";
import { Dialog } from "../../components/Dialog";

export function DeleteCaseDialog({ space, current, onClose }: { space: string; current: Case; onClose: () => void }) {
  const queryClient = useQueryClient();
  const del = useMutation({
    mutationFn: () => deleteCases([current.id]),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.case(space, current.id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.spaces });
      navigate({ page: "cases" });
    },
  });
  return (
    <Dialog
      title="Delete this case?"
      onClose={onClose}
      className="dialog-small"
      initialFocusId="delete-case-cancel"
      footer={
        <>
          <button type="button" id="delete-case-cancel" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button danger" disabled={del.isPending} onClick={() => del.mutate()}>
            {del.isPending ? "Deleting…" : "Delete case"}
          </button>
        </>
      }
    >
      <p>
        “{current.title}”{commentsNote(current.total_comment)} will be deleted. This cannot be undone; its history
        stays in the activity log.
      </p>
      {del.isError && (
        <p className="field-error" role="alert">
          {ApiError.from(del.error).message}
        </p>
      )}
    </Dialog>
  );
}

function commentsNote(n: number): string {
  if (n === 0) return "";
  return n === 1 ? " and its comment" : ` and its ${n.toLocaleString()} comments`;
}
