import type { InputHTMLAttributes, ReactNode } from "react";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "role" | "checked" | "onChange"> & {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  /**
   * What the switch does, for a short label: shown on hover and read by screen readers as the
   * switch's description, so the row stays one line.
   */
  details?: string;
};

/** An on/off switch with its name and current state ("On"/"Off") beside it. */
export function Switch({ id, label, checked, onChange, details, ...input }: Props) {
  const detailsId = details ? `${id}-details` : undefined;
  return (
    <label className="switch-label" htmlFor={id} title={details}>
      <input
        {...input}
        id={id}
        type="checkbox"
        role="switch"
        checked={checked}
        aria-describedby={detailsId}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span className="custom-field-name">{label}</span>
      <span className="muted">{checked ? "On" : "Off"}</span>
      {details && (
        <span id={detailsId} className="offscreen">
          {details}
        </span>
      )}
    </label>
  );
}
