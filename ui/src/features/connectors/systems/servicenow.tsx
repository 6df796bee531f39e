// ServiceNow ITSM and SecOps: the mode (Elastic app or Table API) and the user.
import type { ServiceNowMode } from "../../../lib/api/bindings";
import { Field } from "../../../components/Field";
import type { SettingsFieldsProps, SettingsOf, SystemForm } from "./types";

const MODE_LABEL: Record<ServiceNowMode, string> = {
  "import-set": "Elastic ServiceNow app (import set)",
  table: "Table API",
};

type Kind = "servicenow-itsm" | "servicenow-sir";

function ServiceNowFields({ settings, set, errorFor }: SettingsFieldsProps<Kind>) {
  return (
    <>
      <Field
        id="connector-mode"
        label="Mode"
        hint={
          settings.mode === "import-set"
            ? "As Kibana does: needs the Elastic app from the ServiceNow Store."
            : "Writes straight into the incident table, without the Elastic app."
        }
        error={errorFor("mode")}
        announce
      >
        <select
          id="connector-mode"
          value={settings.mode}
          onChange={(e) => set({ mode: e.target.value as ServiceNowMode } as Partial<SettingsOf<Kind>>)}
          aria-describedby="connector-mode-hint connector-mode-error"
        >
          {(["import-set", "table"] as const).map((m) => (
            <option key={m} value={m}>
              {MODE_LABEL[m]}
            </option>
          ))}
        </select>
      </Field>
      <Field id="connector-username" label="User name" hint="The ServiceNow user the incidents are created as." error={errorFor("username")} announce>
        <input
          id="connector-username"
          value={settings.username}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set({ username: e.target.value } as Partial<SettingsOf<Kind>>)}
          aria-invalid={errorFor("username") ? true : undefined}
          aria-describedby="connector-username-hint connector-username-error"
        />
      </Field>
    </>
  );
}

function servicenow<K extends Kind>(kind: K): SystemForm<K> {
  return {
    defaults: () => ({ kind, mode: "import-set", username: "" }) as SettingsOf<K>,
    Fields: ServiceNowFields as unknown as SystemForm<K>["Fields"],
    urlPlaceholder: "https://your-instance.service-now.com",
    namePlaceholder: "SOC ServiceNow",
    secretLabel: () => "Password",
    clean: (s) => ({ ...s, username: (s as SettingsOf<Kind>).username.trim() }),
  };
}

export const servicenowItsm = servicenow("servicenow-itsm");
export const servicenowSir = servicenow("servicenow-sir");
