// Jira (Cloud or Data Center): the project, and how the connector signs in.
import type { ConnectorAuth } from "../../../lib/api/bindings";
import { Field } from "../../../components/Field";
import type { SettingsFieldsProps, SystemForm } from "./types";

const AUTH_LABEL: Record<ConnectorAuth, string> = {
  basic: "Email and API token (Cloud) / user and password (Data Center)",
  pat: "Personal access token (Data Center)",
};

function JiraFields({ settings, set, errorFor }: SettingsFieldsProps<"jira">) {
  return (
    <>
      <Field id="connector-project" label="Project key" hint="The key in the project's issue keys, e.g. SEC for SEC-42." error={errorFor("project_key")} announce>
        <input
          id="connector-project"
          className="mono"
          value={settings.project_key}
          autoComplete="off"
          spellCheck={false}
          placeholder="SEC"
          onChange={(e) => set({ project_key: e.target.value })}
          aria-invalid={errorFor("project_key") ? true : undefined}
          aria-describedby="connector-project-hint connector-project-error"
        />
      </Field>
      <Field id="connector-auth" label="Sign-in" error={errorFor("auth")} announce>
        <select id="connector-auth" value={settings.auth} onChange={(e) => set({ auth: e.target.value as ConnectorAuth })} aria-describedby="connector-auth-error">
          {(["basic", "pat"] as const).map((a) => (
            <option key={a} value={a}>
              {AUTH_LABEL[a]}
            </option>
          ))}
        </select>
      </Field>
      {settings.auth === "basic" && (
        <Field id="connector-username" label="Email or user name" hint="Jira Cloud: the account's email. Data Center: the user name." error={errorFor("username")} announce>
          <input
            id="connector-username"
            value={settings.username ?? ""}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => set({ username: e.target.value })}
            aria-invalid={errorFor("username") ? true : undefined}
            aria-describedby="connector-username-hint connector-username-error"
          />
        </Field>
      )}
    </>
  );
}

export const jira: SystemForm<"jira"> = {
  defaults: () => ({ kind: "jira", project_key: "", auth: "basic", username: "" }),
  Fields: JiraFields,
  urlPlaceholder: "https://your-site.atlassian.net",
  namePlaceholder: "SOC Jira",
  secretLabel: (s) => (s.auth === "pat" ? "Personal access token" : "API token or password"),
  secretHint: (s) => (s.auth === "basic" ? "Jira Cloud: create an API token at id.atlassian.com → Security → API tokens." : undefined),
  clean: (s) => {
    const username = s.username?.trim();
    return { kind: "jira", project_key: s.project_key.trim(), auth: s.auth, ...(s.auth === "basic" && username ? { username } : {}) };
  },
};
