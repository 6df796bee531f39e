// TheHive 5: the organisation cases are made in (the URL is the connector's, the API key its secret).
import { Field } from "../../../components/Field";
import type { SettingsFieldsProps, SystemForm } from "./types";

function TheHiveFields({ settings, set, errorFor }: SettingsFieldsProps<"thehive">) {
  return (
    <Field
      id="connector-organisation"
      label="Organisation"
      hint="Where cases are created, when the key's user belongs to several. Empty: the user's default organisation."
      error={errorFor("organisation")}
      announce
    >
      <input
        id="connector-organisation"
        value={settings.organisation ?? ""}
        autoComplete="off"
        spellCheck={false}
        placeholder="SOC"
        onChange={(e) => set({ organisation: e.target.value })}
        aria-invalid={errorFor("organisation") ? true : undefined}
        aria-describedby="connector-organisation-hint connector-organisation-error"
      />
    </Field>
  );
}

export const thehive: SystemForm<"thehive"> = {
  defaults: () => ({ kind: "thehive", organisation: "" }),
  Fields: TheHiveFields,
  urlPlaceholder: "https://thehive.example.com",
  namePlaceholder: "SOC TheHive",
  secretLabel: () => "API key",
  secretHint: () => "In TheHive: your profile → Settings → API Key → Create or Reveal.",
  clean: (s) => {
    const organisation = s.organisation?.trim();
    return { kind: "thehive", ...(organisation ? { organisation } : {}) };
  },
};
