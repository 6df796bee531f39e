import { useId, type ReactNode } from "react";
import { Dialog } from "./Dialog";

type Props = {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Shown on the confirm button while `pending`. */
  pendingLabel?: string;
  /** A destructive action (red button); on unless said otherwise. */
  danger?: boolean;
  pending?: boolean;
  /** The failure of the last attempt, shown under the body. */
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
};

/** "Are you sure?" before a removal; Cancel gets the focus so Enter does not delete. */
export function ConfirmDialog({ title, children, confirmLabel, pendingLabel = "Working…", danger = true, pending, error, onConfirm, onClose }: Props) {
  const cancelId = useId();
  return (
    <Dialog
      title={title}
      onClose={onClose}
      className="dialog-small"
      initialFocusId={cancelId}
      footer={
        <>
          <button id={cancelId} type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className={danger ? "button danger" : "button primary"} disabled={pending} onClick={onConfirm}>
            {pending ? pendingLabel : confirmLabel}
          </button>
        </>
      }
    >
      {children}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
