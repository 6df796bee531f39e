import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Observable } from "../../../lib/api/bindings";
import { ApiError, deleteObservable } from "../../../lib/api/client";
import { queryKeys } from "../../../lib/queryKeys";
import { ConfirmDialog } from "../../../components/ConfirmDialog";

type Props = { space: string; caseId: string; observable: Observable; onClose: () => void };

export function DeleteObservableDialog({ space, caseId, observable, onClose }: Props) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => deleteObservable(caseId, observable.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
      onClose();
    },
  });
  return (
    <ConfirmDialog
      title="Delete this observable?"
      confirmLabel="Delete observable"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      error={remove.error ? ApiError.from(remove.error).message : null}
      onConfirm={() => remove.mutate()}
      onClose={onClose}
    >
      <p>
        <strong>{observable.type_label}</strong> <span className="mono break">{observable.value}</span> is removed from
        this case; the activity records it. Cases sharing it stop showing this one as similar through it.
      </p>
    </ConfirmDialog>
  );
}
