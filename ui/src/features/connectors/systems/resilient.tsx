// IBM Resilient / QRadar SOAR: the organisation and the API key's id (its secret is the
// connector's secret).
import { Field } from "../../../components/Field";
import type { SettingsFieldsProps, SystemForm } from "./types";

function ResilientFields({ settings, set, errorFor }: SettingsFieldsProps<"resilient">) {
  return (
    <>
      <Field
        id="connector-org-id"
        label="Organisation ID"
        hint="The number in the organisation's REST paths (/rest/orgs/201)."
        error={errorFor("org_id")}
        announce
      >
        <input
          id="connector-org-id"
          value={settings.org_id}
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set({ org_id: e.target.value })}
          aria-invalid={errorFor("org_id") ? true : undefined}
          aria-describedby="connector-org-id-hint connector-org-id-error"
        />
      </Field>
      <Field
        id="connector-api-key-id"
        label="API key ID"
        hint="Shown like a user name; the key's secret goes below and is kept in the OS keychain."
        error={errorFor("api_key_id")}
        announce
      >
        <input
          id="connector-api-key-id"
          value={settings.api_key_id}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set({ api_key_id: e.target.value })}
          aria-invalid={errorFor("api_key_id") ? true : undefined}
          aria-describedby="connector-api-key-id-hint connector-api-key-id-error"
        />
      </Field>
    </>
  );
}

export const resilient: SystemForm<"resilient"> = {
  defaults: () => ({ kind: "resilient", org_id: "", api_key_id: "" }),
  Fields: ResilientFields,
  urlPlaceholder: "https://soar.example.com",
  namePlaceholder: "SOC Resilient",
  secretLabel: () => "API key secret",
  secretHint: () => "Administrator Settings → Users → API Keys; shown once when the key is created.",
  clean: (s) => ({ ...s, org_id: s.org_id.trim(), api_key_id: s.api_key_id.trim() }),
};
