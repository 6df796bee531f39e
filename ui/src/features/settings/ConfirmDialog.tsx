import type { ReactNode } from "react";
import { Dialog } from "../../components/Dialog";

type Props = {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

/** "Are you sure?" before a removal; Cancel gets the focus so Enter does not delete. */
export function ConfirmDialog({ title, children, confirmLabel, pending, onConfirm, onCancel }: Props) {
  return (
    <Dialog
      title={title}
      onClose={onCancel}
      className="dialog-small"
      initialFocusId="confirm-cancel"
      footer={
        <>
          <button id="confirm-cancel" type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button danger" disabled={pending} onClick={onConfirm}>
            {pending ? "Working…" : confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
