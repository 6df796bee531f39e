import type { InputHTMLAttributes, ReactNode } from "react";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "role" | "checked" | "onChange"> & {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
};

/** An on/off switch with its name and current state ("On"/"Off") beside it. */
export function Switch({ id, label, checked, onChange, ...input }: Props) {
  return (
    <label className="switch-label" htmlFor={id}>
      <input {...input} id={id} type="checkbox" role="switch" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span className="custom-field-name">{label}</span>
      <span className="muted">{checked ? "On" : "Off"}</span>
    </label>
  );
}
