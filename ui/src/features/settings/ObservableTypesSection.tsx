import { useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { CaseConfiguration, ObservableType } from "../../lib/api/bindings";
import { observableTypes } from "../../lib/api/client";
import { charCount } from "../../lib/format";
import {
  MAX_CUSTOM_OBSERVABLE_TYPES,
  MAX_OBSERVABLE_TYPE_KEY_LENGTH,
  MAX_OBSERVABLE_TYPE_LABEL_LENGTH,
} from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";
import { trimRust } from "../../lib/search";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { FieldLabel } from "../../components/Field";
import { BUILTIN_OBSERVABLE_TYPES } from "../case-view/observables/observableTypes";
import { ObservableRanking } from "./ObservableRanking";
import { deriveKey } from "./settingsRules";
import { useConfigurationWrite, type ConfigEdit } from "./useConfigurationWrite";
import { WriteStatus } from "./WriteStatus";

type Form = { label: string; key: string; keyEdited: boolean };
const EMPTY: Form = { label: "", key: "", keyEdited: false };

/** "12/50": the characters the core will count (trimmed), against its limit. */
function counter(text: string, max: number) {
  const n = charCount(trimRust(text));
  return <span className={`counter ${n > max ? "over" : ""}`.trim()}>{n}/{max}</span>;
}

const addType =
  (t: ObservableType): ConfigEdit =>
  (cfg) => ({ observable_types: [...cfg.observable_types, t] });
const removeType =
  (key: string): ConfigEdit =>
  (cfg) => ({ observable_types: cfg.observable_types.filter((t) => t.key !== key) });

/**
 * Kibana's observable types: the eight built-in ones, and up to ten of the space's own. Removing
 * one deletes its observables from every case of the space.
 */
export function ObservableTypesSection({ space, config }: { space: string; config: CaseConfiguration }) {
  const queryClient = useQueryClient();
  const writer = useConfigurationWrite(space);
  const all = useQuery({ queryKey: queryKeys.observableTypes(space), queryFn: () => observableTypes(space) });
  const [form, setForm] = useState<Form>(EMPTY);
  const [removing, setRemoving] = useState<ObservableType | null>(null);
  const custom = config.observable_types;
  const full = custom.length >= MAX_CUSTOM_OBSERVABLE_TYPES;
  // The core's list is the truth; the built-in list here stands in until it answers.
  const builtin = all.data ? all.data.filter((t) => !custom.some((c) => c.key === t.key)) : BUILTIN_OBSERVABLE_TYPES;

  // The core checks the new type (a label, a key, neither taken) and names the field it refuses:
  // observable_types[<the new one's index>].key.
  const fromCore = writer.error?.fieldWithin("observable_types", custom.length) ?? null;
  const errorFor = (f: "label" | "key") => (fromCore === f ? writer.error?.message : undefined);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.observableTypes(space) });
    // Observables of a removed type are gone from every case.
    void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (writer.pending || full) return;
    const t = { key: trimRust(form.key), label: trimRust(form.label) };
    writer.save(addType(t), `Observable type “${t.label}” added.`, () => {
      setForm(EMPTY);
      refresh();
    });
  };

  return (
    <section className="settings-section" aria-labelledby="settings-observable-types">
      <h2 id="settings-observable-types">Observable types</h2>
      <p className="hint" id="obs-types-limits">
        What an observable of a case can be. Besides the built-in types, this space can have up to{" "}
        {MAX_CUSTOM_OBSERVABLE_TYPES} of its own (a label of at most {MAX_OBSERVABLE_TYPE_LABEL_LENGTH} characters, a key
        of at most {MAX_OBSERVABLE_TYPE_KEY_LENGTH} lowercase letters, digits, _ and -).{" "}
        {full
          ? `It has ${MAX_CUSTOM_OBSERVABLE_TYPES}, the most allowed: remove one to add another.`
          : `${custom.length} of ${MAX_CUSTOM_OBSERVABLE_TYPES} used.`}
      </p>

      <h3>Built-in types</h3>
      <ul className="chips builtin-types" aria-label="Built-in observable types">
        {builtin.map((t) => (
          <li key={t.key} className="chip" title={t.key}>
            {t.label}
          </li>
        ))}
      </ul>

      <h3>Types of this space</h3>
      {custom.length === 0 ? (
        <p className="muted">No custom types yet.</p>
      ) : (
        <table className="settings-table" aria-label="Custom observable types">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Key</th>
              <th scope="col">
                <span className="offscreen">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {custom.map((t) => (
              <tr key={t.key}>
                <td>{t.label}</td>
                <td className="mono">{t.key}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="button subtle"
                    aria-label={`Remove ${t.label}`}
                    onClick={() => {
                      writer.reset();
                      setRemoving(t);
                    }}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <form className="form settings-form inline-form" onSubmit={submit} noValidate aria-label="Add an observable type">
        <div className="field">
          <FieldLabel htmlFor="obs-type-label" counter={counter(form.label, MAX_OBSERVABLE_TYPE_LABEL_LENGTH)}>
            Label
          </FieldLabel>
          <input
            id="obs-type-label"
            value={form.label}
            disabled={full}
            autoComplete="off"
            placeholder="e.g. JA3 fingerprint"
            onChange={(e) => {
              const label = e.target.value;
              writer.reset();
              setForm((f) => ({
                ...f,
                label,
                key: f.keyEdited ? f.key : deriveKey(label, [], MAX_OBSERVABLE_TYPE_KEY_LENGTH, ""),
              }));
            }}
            aria-invalid={errorFor("label") ? true : undefined}
            aria-describedby="obs-type-label-error"
          />
          {errorFor("label") && (
            <span id="obs-type-label-error" className="field-error" role="alert">
              {errorFor("label")}
            </span>
          )}
        </div>
        <div className="field">
          <FieldLabel htmlFor="obs-type-key" counter={counter(form.key, MAX_OBSERVABLE_TYPE_KEY_LENGTH)}>
            Key
          </FieldLabel>
          <input
            id="obs-type-key"
            className="mono"
            value={form.key}
            disabled={full}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              writer.reset();
              setForm((f) => ({ ...f, key: e.target.value, keyEdited: true }));
            }}
            aria-invalid={errorFor("key") ? true : undefined}
            aria-describedby="obs-type-key-error"
          />
          {errorFor("key") && (
            <span id="obs-type-key-error" className="field-error" role="alert">
              {errorFor("key")}
            </span>
          )}
        </div>
        <button type="submit" className="button" disabled={full || writer.pending} aria-describedby="obs-types-limits">
          {writer.pending && !removing ? "Adding…" : "Add type"}
        </button>
      </form>
      {!removing && (
        <WriteStatus
          error={fromCore ? null : writer.error}
          success={writer.success}
          failed="The observable types were not saved."
          onRetry={() => void writer.reloadAndRetry()}
          onDiscard={() => void writer.reloadAndDiscard()}
        />
      )}

      <ObservableRanking space={space} config={config} types={[...builtin, ...custom]} />

      {removing && (
        <ConfirmDialog
          title={`Remove the observable type “${removing.label}”?`}
          confirmLabel="Remove type and its observables"
          pendingLabel="Removing…"
          pending={writer.pending}
          onConfirm={() =>
            writer.save(removeType(removing.key), `Observable type “${removing.label}” removed.`, () => {
              setRemoving(null);
              refresh();
            })
          }
          onClose={() => {
            setRemoving(null);
            writer.reset();
          }}
        >
          <p>
            Every <strong>{removing.label}</strong> observable is deleted from every case of this space, and cases
            that were similar only through them no longer are. This cannot be undone.
          </p>
          <WriteStatus error={writer.error} failed="The type was not removed." onRetry={() => void writer.reloadAndRetry()} />
        </ConfirmDialog>
      )}
    </section>
  );
}
