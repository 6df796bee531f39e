import type { CustomFieldDefinition } from "../../lib/api/bindings";
import { Popover } from "./Popover";

type Props = {
  fields: CustomFieldDefinition[];
  /** key → on/off; absent: either. */
  value: Record<string, boolean>;
  onChange: (key: string, value: boolean | null) => void;
};

const CHOICES: { value: boolean | null; label: string }[] = [
  { value: null, label: "Any" },
  { value: true, label: "On" },
  { value: false, label: "Off" },
];

/** The space's toggle custom fields, each Any / On / Off (Kibana's "More" filters). */
export function ToggleFieldsFilter({ fields, value, onChange }: Props) {
  // A filter on a field removed from the settings is shown too, so it can be cleared.
  const stale = Object.keys(value)
    .filter((k) => !fields.some((f) => f.key === k))
    .map((key) => ({ key, label: `${key} (no longer a toggle field)` }));
  const rows = [...fields.map((f) => ({ key: f.key, label: f.label })), ...stale];
  const count = Object.keys(value).length;
  return (
    <Popover
      buttonClassName={`button filter-button ${count > 0 ? "active" : ""}`.trim()}
      ariaLabel={count > 0 ? `Custom fields: ${count} selected` : "Custom fields"}
      label={
        <>
          Custom fields
          {count > 0 && <span className="filter-count">{count}</span>}
          <span className="caret" aria-hidden="true">
            ▾
          </span>
        </>
      }
      panelClassName="filter-panel"
    >
      {() => (
        <ul className="toggle-filters">
          {rows.map((f) => (
            <li key={f.key}>
              <span className="toggle-filter-label">{f.label}</span>
              <span className="segmented" role="group" aria-label={f.label}>
                {CHOICES.map((c) => (
                  <button
                    key={c.label}
                    type="button"
                    className="segment"
                    aria-pressed={(value[f.key] ?? null) === c.value}
                    onClick={() => onChange(f.key, c.value)}
                  >
                    {c.label}
                  </button>
                ))}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Popover>
  );
}
