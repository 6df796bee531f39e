import type { ReactNode } from "react";

type Props = {
  /** Id of the dialog's form: the footer sits outside it. */
  form: string;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** Nothing to submit yet. */
  disabled?: boolean;
  onCancel: () => void;
  /** Shown before the buttons, e.g. a footer hint. */
  children?: ReactNode;
};

/** A form dialog's footer: Cancel, then the primary submit button. */
export function FormDialogFooter({ form, submitLabel, pendingLabel, pending, disabled, onCancel, children }: Props) {
  return (
    <>
      {children}
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" form={form} className="button primary" disabled={disabled || pending}>
        {pending ? pendingLabel : submitLabel}
      </button>
    </>
  );
}
