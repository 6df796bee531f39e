import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Case } from "../../lib/api/bindings";
import { ApiError, deleteCases } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { navigate } from "../../lib/route";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { formatCount } from "../../lib/format";

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
    <ConfirmDialog
      title="Delete this case?"
      confirmLabel="Delete case"
      pendingLabel="Deleting…"
      pending={del.isPending}
      error={del.isError ? ApiError.from(del.error).message : null}
      onConfirm={() => del.mutate()}
      onClose={onClose}
    >
      <p>
        “{current.title}”{commentsNote(current.total_comment)} will be deleted. This cannot be undone; its history
        stays in the activity log.
      </p>
    </ConfirmDialog>
  );
}

function commentsNote(n: number): string {
  if (n === 0) return "";
  return n === 1 ? " and its comment" : ` and its ${formatCount(n)} comments`;
}
