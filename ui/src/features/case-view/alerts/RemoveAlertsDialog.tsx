import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError, removeAlerts } from "../../../lib/api/client";
import { formatCount } from "../../../lib/format";
import { queryKeys } from "../../../lib/queryKeys";
import { ConfirmDialog } from "../../../components/ConfirmDialog";

type Props = {
  space: string;
  caseId: string;
  alertIds: string[];
  onClose: () => void;
  onRemoved: () => void;
};

/** "Remove from case" for the selected alerts, after confirming. */
export function RemoveAlertsDialog({ space, caseId, alertIds, onClose, onRemoved }: Props) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => removeAlerts(caseId, alertIds),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
      onRemoved();
    },
  });
  const n = alertIds.length;
  return (
    <ConfirmDialog
      title={n === 1 ? "Remove this alert from the case?" : `Remove ${formatCount(n)} alerts from the case?`}
      confirmLabel="Remove from case"
      pendingLabel="Removing…"
      pending={remove.isPending}
      error={remove.error ? ApiError.from(remove.error).message : null}
      onConfirm={() => remove.mutate()}
      onClose={onClose}
    >
      <p>
        {n === 1 ? "The alert is" : "The alerts are"} detached from this case; the activity records it. Observables
        already taken from {n === 1 ? "it" : "them"} stay.
      </p>
    </ConfirmDialog>
  );
}
