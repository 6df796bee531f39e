import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import type { Connector, ConnectorInput } from "../../lib/api/bindings";
import { ApiError, createConnector, updateConnector } from "../../lib/api/client";
import { charCount } from "../../lib/format";
import { MAX_CONNECTOR_NAME_LENGTH } from "../../lib/limits";
import { CodedError } from "../../components/CodedError";
import { Counter } from "../../components/Counter";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { FormDialogFooter } from "../../components/FormDialogFooter";
import { AUTH_LABEL, KINDS, KIND_LABEL, MODE_LABEL, connectorErrorHeading, secretLabel, urlPlaceholder, usernameLabel } from "./connectorText";
import { errorField, formFrom, toInput, type ConnectorForm, type FormField } from "./connectorForm";
import { useStoreConnector } from "./useConnectors";

type Props = {
  space: string;
  /** The connector being edited; null adds one. */
  editing: Connector | null;
  /** After a save; `secretSent` tells whether a new secret went to the keychain. */
  onSaved: (saved: Connector, secretSent: boolean) => void;
  onClose: () => void;
};

/**
 * Add or edit a connector. The secret field is never pre-filled: the core does not give the
 * secret back. What is typed is sent once; on a refusal everything typed stays, to fix and resend.
 */
export function ConnectorDialog({ space, editing, onSaved, onClose }: Props) {
  const [form, setForm] = useState<ConnectorForm>(() => formFrom(editing));
  const store = useStoreConnector(space);
  const save = useMutation({
    mutationFn: (input: ConnectorInput) => (editing ? updateConnector(space, editing.id, input) : createConnector(space, input)),
    // The variables hold the secret: drop the finished mutation from the cache right away.
    gcTime: 0,
    onSuccess: (saved, input) => {
      store(saved);
      setForm((f) => ({ ...f, secret: "" }));
      save.reset();
      onSaved(saved, input.secret !== undefined);
    },
  });

  const error = save.error ? ApiError.from(save.error) : null;
  const field = errorField(error);
  const errorFor = (f: FormField) => (field === f ? error!.message : undefined);
  const set = (patch: Partial<ConnectorForm>) => {
    if (save.isError) save.reset();
    setForm((f) => ({ ...f, ...patch }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!save.isPending) save.mutate(toInput(form));
  };

  const jira = form.kind === "jira";
  const pat = jira && form.auth === "pat";
  const nameLen = charCount(form.name.trim());
  const secretHint = !editing
    ? "Stored in your OS keychain, never in Casebook's database, and never shown again."
    : editing.secret_stored
      ? "Stored in keychain — leave empty to keep it"
      : "Missing from keychain — enter it again";
  const describe = (id: string, hint: boolean) => [hint ? `${id}-hint` : "", `${id}-error`].join(" ").trim();

  return (
    <Dialog
      title={editing ? `Edit connector “${editing.name}”` : "Add connector"}
      onClose={onClose}
      initialFocusId="connector-name"
      footer={
        <FormDialogFooter form="connector-form" submitLabel="Save connector" pendingLabel="Saving…" pending={save.isPending} onCancel={onClose} />
      }
    >
      <form id="connector-form" className="form connector-form" onSubmit={submit} noValidate aria-label={editing ? `Edit ${editing.name}` : "New connector"}>
        {error && !field && <CodedError heading={connectorErrorHeading(error, form.kind)} message={error.message} />}

        <Field id="connector-name" label="Name" counter={<Counter n={nameLen} max={MAX_CONNECTOR_NAME_LENGTH} />} error={errorFor("name")} announce>
          <input
            id="connector-name"
            value={form.name}
            autoComplete="off"
            placeholder={jira ? "SOC Jira" : "SOC ServiceNow"}
            onChange={(e) => set({ name: e.target.value })}
            aria-invalid={errorFor("name") ? true : undefined}
            aria-describedby="connector-name-error"
          />
        </Field>

        <div className="field-row">
          <Field
            id="connector-kind"
            label="System"
            className="field"
            hint={editing ? "A connector's system cannot change; add another connector instead." : undefined}
            error={errorFor("kind")}
            announce
          >
            <select
              id="connector-kind"
              value={form.kind}
              disabled={editing !== null}
              onChange={(e) => set({ kind: e.target.value as ConnectorForm["kind"] })}
              aria-describedby={describe("connector-kind", editing !== null)}
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABEL[k]}
                </option>
              ))}
            </select>
          </Field>
          {jira ? (
            <Field id="connector-project" label="Project key" className="field grow" hint="The key in the project's issue keys, e.g. SEC for SEC-42." error={errorFor("project_key")} announce>
              <input
                id="connector-project"
                className="mono"
                value={form.projectKey}
                autoComplete="off"
                spellCheck={false}
                placeholder="SEC"
                onChange={(e) => set({ projectKey: e.target.value })}
                aria-invalid={errorFor("project_key") ? true : undefined}
                aria-describedby={describe("connector-project", true)}
              />
            </Field>
          ) : (
            <Field
              id="connector-mode"
              label="Mode"
              className="field grow"
              hint={
                form.mode === "import-set"
                  ? "As Kibana does: needs the Elastic app from the ServiceNow Store."
                  : "Writes straight into the incident table, without the Elastic app."
              }
              error={errorFor("mode")}
              announce
            >
              <select id="connector-mode" value={form.mode} onChange={(e) => set({ mode: e.target.value as ConnectorForm["mode"] })} aria-describedby={describe("connector-mode", true)}>
                {(["import-set", "table"] as const).map((m) => (
                  <option key={m} value={m}>
                    {MODE_LABEL[m]}
                  </option>
                ))}
              </select>
            </Field>
          )}
        </div>

        <Field id="connector-url" label="URL" error={errorFor("url")} announce>
          <input
            id="connector-url"
            type="url"
            value={form.url}
            autoComplete="off"
            spellCheck={false}
            placeholder={urlPlaceholder(form.kind)}
            onChange={(e) => set({ url: e.target.value })}
            aria-invalid={errorFor("url") ? true : undefined}
            aria-describedby="connector-url-error"
          />
        </Field>

        {jira && (
          <Field id="connector-auth" label="Sign-in" error={errorFor("auth")} announce>
            <select id="connector-auth" value={form.auth} onChange={(e) => set({ auth: e.target.value as ConnectorForm["auth"] })} aria-describedby="connector-auth-error">
              {(["basic", "pat"] as const).map((a) => (
                <option key={a} value={a}>
                  {AUTH_LABEL[a]}
                </option>
              ))}
            </select>
          </Field>
        )}

        {!pat && (
          <Field
            id="connector-username"
            label={usernameLabel(form.kind)}
            hint={jira ? "Jira Cloud: the account's email. Data Center: the user name." : "The ServiceNow user the incidents are created as."}
            error={errorFor("username")}
            announce
          >
            <input
              id="connector-username"
              value={form.username}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => set({ username: e.target.value })}
              aria-invalid={errorFor("username") ? true : undefined}
              aria-describedby={describe("connector-username", true)}
            />
          </Field>
        )}

        <Field id="connector-secret" label={secretLabel(form.kind, form.auth)} hint={secretHint} error={errorFor("secret")} announce>
          <input
            id="connector-secret"
            type="password"
            className="mono"
            value={form.secret}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => set({ secret: e.target.value })}
            aria-invalid={errorFor("secret") ? true : undefined}
            aria-describedby={describe("connector-secret", true)}
          />
        </Field>
        {jira && !pat && (
          <p className="hint">Jira Cloud: create an API token at id.atlassian.com → Security → API tokens.</p>
        )}
      </form>
    </Dialog>
  );
}
