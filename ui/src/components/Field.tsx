import type { ReactNode } from "react";

type Props = {
  /** The control's id; its error line is `${id}-error` (point aria-describedby there). */
  id: string;
  label: ReactNode;
  /** Shown right of the label, e.g. a Counter. */
  counter?: ReactNode;
  hint?: string;
  error?: string;
  /** "field grow" inside a field-row. */
  className?: string;
  /** Announce the error when it appears (an error the core sent back after a submit). */
  announce?: boolean;
  children: ReactNode;
};

/** A labelled form control with its counter, hint and error line. */
export function Field({ id, label, counter, hint, error, className = "field", announce, children }: Props) {
  return (
    <div className={className}>
      <FieldLabel htmlFor={id} counter={counter}>
        {label}
      </FieldLabel>
      {children}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      <span id={`${id}-error`} className="field-error" role={announce && error ? "alert" : undefined}>
        {error}
      </span>
    </div>
  );
}

/** The label line above a control, with room for a counter on the right. */
export function FieldLabel({ htmlFor, counter, children }: { htmlFor: string; counter?: ReactNode; children: ReactNode }) {
  return (
    <div className="field-label">
      <label htmlFor={htmlFor}>{children}</label>
      {counter}
    </div>
  );
}
