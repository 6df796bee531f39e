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
import { KINDS, KIND_LABEL, connectorErrorHeading } from "./connectorText";
import { errorField, formFrom, toInput, withKind, type ConnectorForm } from "./connectorForm";
import { formOf } from "./systems";
import { useStoreConnector } from "./useConnectors";
import { useSecretStoreWords } from "../../lib/secretStore";

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
  const secretStore = useSecretStoreWords();
  const [form, setForm] = useState<ConnectorForm>(() => formFrom(editing));
  const store = useStoreConnector(space);
  const save = useMutation({
    mutationFn: (input: ConnectorInput) => (editing ? updateConnector(space, editing.id, input) : createConnector(space, input)),
    // The variables hold the secret: drop the finished mutation from the cache right away.
    gcTime: 0,
    onSuccess: (saved, input) => {
      store(saved);
      setForm((f) => ({ ...f, secret: "", secrets: {} }));
      save.reset();
      onSaved(saved, input.secret !== undefined || input.secrets !== undefined);
    },
  });

  const error = save.error ? ApiError.from(save.error) : null;
  const field = errorField(error);
  const errorFor = (f: string) => (field === f ? error!.message : undefined);
  const set = (patch: Partial<ConnectorForm>) => {
    if (save.isError) save.reset();
    setForm((f) => ({ ...f, ...patch }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!save.isPending) save.mutate(toInput(form));
  };

  const kind = form.settings.kind;
  const system = formOf(form.settings);
  const SettingsFields = system.Fields;
  const setSettings = (patch: object) => set({ settings: { ...form.settings, ...patch } as ConnectorForm["settings"] });
  const nameLen = charCount(form.name.trim());
  const secretHint = !editing
    ? `Stored in ${secretStore.full}, never in Casebook's database, and never shown again.`
    : editing.secret_unreadable
      ? `Not checked (${secretStore.short} not readable now) — leave empty to keep what is there`
      : editing.secret_stored
      ? `Stored in ${secretStore.short} — leave empty to keep it`
      : `Missing from ${secretStore.short} — enter it again`;
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
        {error && !field && <CodedError heading={connectorErrorHeading(error, kind)} message={error.message} />}

        <Field id="connector-name" label="Name" counter={<Counter n={nameLen} max={MAX_CONNECTOR_NAME_LENGTH} />} error={errorFor("name")} announce>
          <input
            id="connector-name"
            value={form.name}
            autoComplete="off"
            placeholder={system.namePlaceholder}
            onChange={(e) => set({ name: e.target.value })}
            aria-invalid={errorFor("name") ? true : undefined}
            aria-describedby="connector-name-error"
          />
        </Field>

        <Field
          id="connector-kind"
          label="System"
          hint={editing ? "A connector's system cannot change; add another connector instead." : undefined}
          error={errorFor("kind")}
          announce
        >
          <select
            id="connector-kind"
            value={kind}
            disabled={editing !== null}
            onChange={(e) => {
              if (save.isError) save.reset();
              setForm((f) => withKind(f, e.target.value as typeof kind));
            }}
            aria-describedby={describe("connector-kind", editing !== null)}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </Field>

        <Field id="connector-url" label="URL" error={errorFor("url")} announce>
          <input
            id="connector-url"
            type="url"
            value={form.url}
            autoComplete="off"
            spellCheck={false}
            placeholder={system.urlPlaceholder}
            onChange={(e) => set({ url: e.target.value })}
            aria-invalid={errorFor("url") ? true : undefined}
            aria-describedby="connector-url-error"
          />
        </Field>

        <SettingsFields
          settings={form.settings}
          set={setSettings}
          errorFor={errorFor}
          secrets={form.secrets}
          setSecret={(name, value) => set({ secrets: { ...form.secrets, [name]: value } })}
          storedSecrets={editing?.stored_secrets ?? []}
          connector={editing ? { space, id: editing.id } : undefined}
          connection={{ space, editing, input: () => toInput(form) }}
        />

        <Field id="connector-secret" label={system.secretLabel(form.settings)} hint={secretHint} error={errorFor("secret")} announce>
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
        {system.secretHint?.(form.settings) && <p className="hint">{system.secretHint(form.settings)}</p>}
      </form>
    </Dialog>
  );
}
