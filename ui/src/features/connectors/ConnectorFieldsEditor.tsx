import type { Connector } from "../../lib/api/bindings";
import { ApiError, type ConnectorFields } from "../../lib/api/client";
import { formatDateTime } from "../../lib/format";
import { CodedError } from "../../components/CodedError";
import { Field } from "../../components/Field";
import { connectorErrorHeading } from "./connectorText";
import { useRefreshChoices } from "./useConnectors";
import { CHOICE_FIELDS, JSON_FIELDS, SWITCHES, choicesFor } from "./caseFields";
import { JsonFieldInput } from "./JsonFieldInput";
import "./connectors.css";

type Props = {
  space: string;
  connector: Connector;
  fields: ConnectorFields;
  /** A change is being saved: one at a time, against the case's current version. */
  busy: boolean;
  onChange: (name: string, value: string | boolean) => void;
  /** Prefix of the inputs' ids (the create form has its own). */
  idPrefix?: string;
};

/**
 * The connector's fields (issue type, priority, urgency…) from its cached choices, so they can
 * be set offline. Choices never fetched: a button fetches them once.
 */
export function ConnectorFieldsEditor({ space, connector: k, fields, busy, onChange, idPrefix = "case-connector" }: Props) {
  const refresh = useRefreshChoices(space);
  const refreshButton = (
    <button type="button" className="button small" disabled={refresh.isPending} onClick={() => refresh.mutate(k.id)}>
      {refresh.isPending ? "Refreshing…" : "Refresh choices"}
    </button>
  );
  const refreshError = refresh.error ? ApiError.from(refresh.error) : null;
  const category = typeof fields.category === "string" ? fields.category : "";

  return (
    <div className="connector-fields">
      {/* A system without drop-downs (Swimlane) has no choices to fetch first. */}
      {k.metadata || CHOICE_FIELDS[k.kind].length === 0 ? (
        CHOICE_FIELDS[k.kind].map((f) => {
          const id = `${idPrefix}-${f.name}`;
          const value = typeof fields[f.name] === "string" ? (fields[f.name] as string) : "";
          if (f.multiple) {
            const options = choicesFor(f, k.metadata!, fields);
            const chosen = value.split(",").filter((v) => v !== "");
            return (
              <Field key={f.name} id={id} label={f.label} hint="Choose one or more (Ctrl or ⌘ to add).">
                <select
                  id={id}
                  multiple
                  value={chosen}
                  disabled={busy}
                  onChange={(e) => onChange(f.name, Array.from(e.target.selectedOptions, (o) => o.value).join(","))}
                  aria-describedby={`${id}-hint`}
                >
                  {chosen
                    .filter((v) => !options.some((c) => c.value === v))
                    .map((v) => (
                      <option key={v} value={v}>
                        {v} (not offered any more)
                      </option>
                    ))}
                  {options.map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.label}
                    </option>
                  ))}
                </select>
              </Field>
            );
          }
          const options = choicesFor(f, k.metadata!, fields);
          // A value saved before the choices changed stays visible instead of silently vanishing.
          const stale = value !== "" && !options.some((c) => c.value === value);
          const waitsForCategory = f.name === "subcategory" && category === "" && options.length === 0;
          return (
            <Field key={f.name} id={id} label={f.label} hint={waitsForCategory ? "Choose a category first." : undefined}>
              <select
                id={id}
                value={value}
                disabled={busy || waitsForCategory}
                onChange={(e) => onChange(f.name, e.target.value)}
                aria-describedby={waitsForCategory ? `${id}-hint` : undefined}
              >
                <option value="">{f.unset}</option>
                {stale && <option value={value}>{value} (not offered any more)</option>}
                {options.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            </Field>
          );
        })
      ) : (
        <p className="hint">
          The choices of {k.name} (issue types, priorities, categories…) were never fetched. Refresh them once; they are kept
          for offline use.
        </p>
      )}

      {SWITCHES[k.kind].length > 0 && (
        <fieldset className="connector-switches">
          <legend>Send the alerts' observables</legend>
          {SWITCHES[k.kind].map((s) => (
            <label key={s.name} className="switch-row">
              <input type="checkbox" checked={fields[s.name] === true} disabled={busy} onChange={(e) => onChange(s.name, e.target.checked)} />
              <span>{s.label}</span>
            </label>
          ))}
        </fieldset>
      )}

      {JSON_FIELDS[k.kind].map((f) => (
        <JsonFieldInput
          key={f.name}
          id={`${idPrefix}-${f.name}`}
          field={f}
          value={typeof fields[f.name] === "string" ? (fields[f.name] as string) : ""}
          busy={busy}
          onCommit={(text) => onChange(f.name, text)}
        />
      ))}

      <div className="connector-choices">
        {k.metadata_fetched_at && <span className="hint">Choices from {formatDateTime(k.metadata_fetched_at)}</span>}
        {refreshButton}
      </div>
      {refreshError && <CodedError heading={connectorErrorHeading(refreshError, k.kind)} message={refreshError.message} />}
    </div>
  );
}
