import type { Severity } from "../lib/api/bindings";
import { SEVERITY_LABEL } from "./labels";
import { SEVERITIES } from "../lib/api/bindings";

type Props<V extends string> = {
  id: string;
  value: V;
  onChange: (value: V) => void;
  /** Label of an extra "" option for leaving severity unset (templates). */
  unsetLabel?: string;
};

/** The four severities, lowest first. */
export function SeveritySelect<V extends Severity | "">({ id, value, onChange, unsetLabel }: Props<V>) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as V)}>
      {unsetLabel !== undefined && <option value="">{unsetLabel}</option>}
      {SEVERITIES.map((s) => (
        <option key={s} value={s}>
          {SEVERITY_LABEL[s]}
        </option>
      ))}
    </select>
  );
}
