// Swimlane: the application, and which of its fields get the case's id, name, description,
// severity, status and comments. "Load fields" reads the application's fields with what the
// form holds, before the connector is saved; each drop-down offers only the fields whose type
// can hold its value. The core refuses a push while the case ID or comments field is unmapped.
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import type { RemoteField, SwimlaneMappings } from "../../../lib/api/bindings";
import { ApiError, connectorFieldsPreview } from "../../../lib/api/client";
import { CodedError } from "../../../components/CodedError";
import { Field } from "../../../components/Field";
import { connectorErrorHeading } from "../connectorText";
import type { SettingsFieldsProps, SettingsOf, SystemForm } from "./types";

type Slot = keyof SwimlaneMappings;

/** The mappings in the core's order, with the Swimlane field types that can hold each value. */
const SLOTS: { slot: Slot; label: string; types: readonly string[]; hint?: string }[] = [
  { slot: "case_id", label: "Case ID field", types: ["text"], hint: "Required: finds the record again, so a case never makes two." },
  { slot: "name", label: "Case name field", types: ["text"] },
  { slot: "description", label: "Description field", types: ["text"] },
  {
    slot: "severity",
    label: "Severity field",
    types: ["text", "numeric", "valuesList"],
    hint: "A number field gets low 1, medium 2, high 3, critical 4; a values list its value of the same name.",
  },
  {
    slot: "status",
    label: "Status field",
    types: ["text", "numeric", "valuesList"],
    hint: "A number field gets open 1, in progress 2, closed 3; a values list its value of the same name.",
  },
  { slot: "comments", label: "Comments field", types: ["comments"], hint: "Required: each case comment is added to it." },
];

function withMapping(mappings: SwimlaneMappings, slot: Slot, id: string): SwimlaneMappings {
  const next = { ...mappings };
  if (id === "") delete next[slot];
  else next[slot] = id;
  return next;
}

function SwimlaneFields({ settings, set, errorFor, connection }: SettingsFieldsProps<"swimlane">) {
  // The fields kept by "Refresh choices" serve until they are loaded again.
  const [fields, setFields] = useState<RemoteField[]>(() => connection.editing?.metadata?.fields ?? []);
  const load = useMutation({
    // The input holds the typed token: nothing of this call is kept once it settled.
    mutationFn: () => connectorFieldsPreview(connection.space, connection.editing?.id ?? null, connection.input()),
    gcTime: 0,
    onSuccess: setFields,
  });
  const error = load.error ? ApiError.from(load.error) : null;
  const m = settings.mappings;
  const missing = [!m.case_id && "case ID", !m.comments && "comments"].filter((x): x is string => typeof x === "string");

  return (
    <>
      <Field
        id="connector-app-id"
        label="Application ID"
        hint="In the application's address: …/app/<id> (not its name)."
        error={errorFor("app_id")}
        announce
      >
        <input
          id="connector-app-id"
          className="mono"
          value={settings.app_id}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set({ app_id: e.target.value })}
          aria-invalid={errorFor("app_id") ? true : undefined}
          aria-describedby="connector-app-id-hint connector-app-id-error"
        />
      </Field>
      <fieldset className="connector-mappings">
        <legend>Field mappings</legend>
        <p className="hint" id="connector-mappings-hint">
          Enter the URL, application ID and API token, then load the application's fields to choose which of them get the case's data.
        </p>
        <div className="connector-choices">
          <button type="button" className="button" disabled={load.isPending} onClick={() => load.mutate()}>
            {load.isPending ? "Loading fields…" : fields.length > 0 ? "Reload fields" : "Load fields"}
          </button>
          <span className="write-status-region" aria-live="polite">
            {load.isSuccess && (
              <span className="write-success" role="status">
                {fields.length} fields read from the application.
              </span>
            )}
          </span>
        </div>
        {error && <CodedError heading={connectorErrorHeading(error, "swimlane")} message={error.message} />}
        {SLOTS.map(({ slot, label, types, hint }) => {
          const id = `connector-map-${slot}`;
          const offered = fields.filter((f) => types.includes(f.field_type) && !f.read_only);
          const current = m[slot] ?? "";
          const unknown = current !== "" && !offered.some((f) => f.id === current);
          const fieldError = errorFor(`mappings.${slot}`);
          return (
            <Field key={slot} id={id} label={label} hint={hint} error={fieldError} announce>
              <select
                id={id}
                value={current}
                onChange={(e) => set({ mappings: withMapping(m, slot, e.target.value) })}
                aria-invalid={fieldError ? true : undefined}
                aria-describedby={`${hint ? `${id}-hint ` : ""}${id}-error`}
              >
                <option value="">Not mapped</option>
                {unknown && <option value={current}>{fields.length > 0 ? `${current} (not offered by the application)` : current}</option>}
                {offered.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.label} ({f.field_type})
                  </option>
                ))}
              </select>
            </Field>
          );
        })}
        {missing.length > 0 && (
          <p className="hint connector-mapping-warning" role="note">
            Pushes are refused until the {missing.join(" and ")} {missing.length > 1 ? "fields are" : "field is"} mapped.
          </p>
        )}
      </fieldset>
    </>
  );
}

export const swimlane: SystemForm<"swimlane"> = {
  defaults: () => ({ kind: "swimlane", app_id: "", mappings: {} }),
  Fields: SwimlaneFields,
  urlPlaceholder: "https://your-tenant.swimlane.app",
  namePlaceholder: "SOC Swimlane",
  secretLabel: () => "API token",
  secretHint: () => "Create one in Swimlane under your profile → API Keys (sent as the Private-Token header).",
  clean: (s): SettingsOf<"swimlane"> => {
    const mappings: SwimlaneMappings = {};
    for (const { slot } of SLOTS) {
      const id = s.mappings[slot]?.trim();
      if (id) mappings[slot] = id;
    }
    return { kind: "swimlane", app_id: s.app_id.trim(), mappings };
  },
};
