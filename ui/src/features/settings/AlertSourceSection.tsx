import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { AlertSource, AlertSourceInput, ClusterInfo } from "../../lib/api/bindings";
import { ApiError, removeAlertSource, setAlertSource, testAlertSource } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { routeHref } from "../../lib/route";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { FieldLabel } from "../../components/Field";
import { SourceError } from "../alert-source/SourceError";
import { useAlertSource } from "../alert-source/useAlertSource";
import { useSecretStoreWords } from "../../lib/secretStore";

/**
 * The space's Elasticsearch source: where the Alerts tab searches Security alerts, and where
 * the status of the alerts attached from it is sent back. The API key goes to the OS keychain
 * and never comes back: its field is never pre-filled.
 */
export function AlertSourceSection({ space }: { space: string }) {
  const source = useAlertSource(space);
  return (
    <section className="settings-section" aria-labelledby="settings-alert-source">
      <h2 id="settings-alert-source">Alert source (Elasticsearch)</h2>
      {source.isPending ? (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" />
          Loading the Elasticsearch source…
        </p>
      ) : source.isError ? (
        <div className="form-error" role="alert">
          <strong>The Elasticsearch source could not be read.</strong> {ApiError.from(source.error).message}{" "}
          <button type="button" className="link-button" onClick={() => void source.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <SourceForm key={space} space={space} source={source.data} />
      )}
    </section>
  );
}

type Field = "url" | "kibana_space" | "api_key";
const FIELDS: readonly string[] = ["url", "kibana_space", "api_key"];

function SourceForm({ space, source }: { space: string; source: AlertSource | null }) {
  const store = useSecretStoreWords();
  const queryClient = useQueryClient();
  const key = queryKeys.alertSource(space);
  const [url, setUrl] = useState(source?.url ?? "");
  const [kibanaSpace, setKibanaSpace] = useState(source?.kibana_space ?? "");
  const [apiKey, setApiKey] = useState("");
  const [replacing, setReplacing] = useState(false);
  const [urlMissing, setUrlMissing] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);

  const test = useMutation({ mutationFn: () => testAlertSource(space) });
  const save = useMutation({
    mutationFn: (input: AlertSourceInput) => setAlertSource(space, input),
    onSuccess: (saved, input) => {
      queryClient.setQueryData(key, saved);
      setUrl(saved.url);
      setKibanaSpace(saved.kibana_space);
      setApiKey("");
      setReplacing(false);
      test.reset();
      setDone(input.api_key ? `Saved. The API key is stored in ${store.full}.` : "Saved.");
    },
  });
  const remove = useMutation({
    mutationFn: () => removeAlertSource(space),
    onSuccess: () => {
      queryClient.setQueryData(key, null);
      setUrl("");
      setKibanaSpace("");
      setApiKey("");
      setReplacing(false);
      setRemoving(false);
      save.reset();
      test.reset();
      setDone(`The source was removed and its API key deleted from the ${store.short}. Alerts already attached stay.`);
    },
  });

  // The key field: always for a new source or a key gone from the keychain, else on request.
  // A key that could not be checked (the store is locked) is not asked for again.
  const keyShown = !source || (!source.api_key_stored && !source.api_key_unreadable) || replacing;
  const saveError = save.error ? ApiError.from(save.error) : null;
  const field = saveError?.field && FIELDS.includes(saveError.field) ? (saveError.field as Field) : null;
  const inline = field === "api_key" && !keyShown ? null : field;
  const errorFor = (f: Field) => (f === "url" && urlMissing ? "url: is required, e.g. https://elastic.example.com:9200" : inline === f ? saveError!.message : undefined);
  const dirty =
    source !== null &&
    (url.trim() !== source.url || (kibanaSpace.trim() || space) !== source.kibana_space || apiKey.trim() !== "");

  const edited = () => {
    save.reset();
    setDone(null);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    setDone(null);
    test.reset();
    if (url.trim() === "") {
      setUrlMissing(true);
      return;
    }
    const input: AlertSourceInput = { url: url.trim() };
    if (kibanaSpace.trim() !== "") input.kibana_space = kibanaSpace.trim();
    if (keyShown && apiKey.trim() !== "") input.api_key = apiKey.trim();
    save.mutate(input);
  };

  return (
    <>
      {!source && (
        <p className="hint">
          Search your cluster's Security alerts and attach them to cases. The API key is stored in {store.full}, never
          in Casebook's database.
        </p>
      )}
      <form className="form settings-form source-form" onSubmit={submit} noValidate aria-label="Elasticsearch source">
        <div className="field">
          <FieldLabel htmlFor="source-url">URL</FieldLabel>
          <input
            id="source-url"
            type="url"
            value={url}
            autoComplete="off"
            spellCheck={false}
            placeholder="https://elastic.example.com:9200"
            onChange={(e) => {
              setUrl(e.target.value);
              setUrlMissing(false);
              edited();
            }}
            aria-invalid={errorFor("url") ? true : undefined}
            aria-describedby="source-url-hint source-url-error"
          />
          <span id="source-url-hint" className="hint">
            Elasticsearch itself (port 9200 by default), not Kibana. https only; http is accepted for localhost.
          </span>
          {errorFor("url") && (
            <span id="source-url-error" className="field-error" role="alert">
              {errorFor("url")}
            </span>
          )}
        </div>
        <div className="field">
          <FieldLabel htmlFor="source-kibana-space">Kibana space</FieldLabel>
          <input
            id="source-kibana-space"
            className="mono"
            value={kibanaSpace}
            autoComplete="off"
            spellCheck={false}
            placeholder={space}
            onChange={(e) => {
              setKibanaSpace(e.target.value);
              edited();
            }}
            aria-invalid={errorFor("kibana_space") ? true : undefined}
            aria-describedby="source-kibana-space-hint source-kibana-space-error"
          />
          <span id="source-kibana-space-hint" className="hint">
            The space whose alerts are read; left blank, the Kibana space named like this one ({space}).
          </span>
          {errorFor("kibana_space") && (
            <span id="source-kibana-space-error" className="field-error" role="alert">
              {errorFor("kibana_space")}
            </span>
          )}
        </div>

        {source && (
          <dl className="source-facts">
            <dt>Alerts index</dt>
            <dd className="mono">{source.index}</dd>
            <dt>API key</dt>
            <dd>
              {source.api_key_unreadable ? (
                <span className="key-missing" title={source.api_key_unreadable.message}>
                  not checked: {store.short} cannot be read now.{" "}
                  <a href={routeHref({ page: "settings", section: "secrets" })}>Settings → Secrets</a>
                </span>
              ) : source.api_key_stored ? (
                <span className="key-stored">stored in {store.short}</span>
              ) : (
                <span className="key-missing">
                  <span aria-hidden="true">⚠ </span>missing from the {store.short} — enter it again
                </span>
              )}
              {source.api_key_stored && (
                <button
                  type="button"
                  className="link-button"
                  aria-expanded={replacing}
                  aria-controls="source-api-key-field"
                  onClick={() => {
                    setReplacing((r) => !r);
                    setApiKey("");
                    edited();
                  }}
                >
                  {replacing ? "Keep the stored key" : "Replace key"}
                </button>
              )}
            </dd>
          </dl>
        )}

        {keyShown && (
          <div className="field" id="source-api-key-field">
            <FieldLabel htmlFor="source-api-key">{source?.api_key_stored ? "New API key" : "API key"}</FieldLabel>
            <input
              id="source-api-key"
              type="password"
              className="mono"
              value={apiKey}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => {
                setApiKey(e.target.value);
                edited();
              }}
              aria-invalid={errorFor("api_key") ? true : undefined}
              aria-describedby="source-api-key-hint source-api-key-error"
            />
            <span id="source-api-key-hint" className="hint">
              The encoded key Kibana shows once (Stack Management → API keys). It needs read on the space's alerts
              indices, and write to send statuses back. It goes to the {store.short} and is never shown again.
            </span>
            {errorFor("api_key") && (
              <span id="source-api-key-error" className="field-error" role="alert">
                {errorFor("api_key")}
              </span>
            )}
          </div>
        )}

        <div className="form-actions">
          <button type="submit" className="button primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save"}
          </button>
          {source && (
            <>
              <button
                type="button"
                className="button"
                disabled={test.isPending || dirty}
                aria-describedby={dirty ? "source-test-hint" : undefined}
                onClick={() => {
                  setDone(null);
                  test.mutate();
                }}
              >
                {test.isPending ? "Testing…" : "Test connection"}
              </button>
              <button
                type="button"
                className="button danger-outline"
                onClick={() => {
                  remove.reset();
                  setRemoving(true);
                }}
              >
                Remove
              </button>
            </>
          )}
        </div>
        {dirty && (
          <span id="source-test-hint" className="hint">
            Test connection uses the saved settings: save your changes first.
          </span>
        )}
      </form>

      <div className="write-status-region" aria-live="polite">
        {saveError && !inline && <SourceError error={saveError} />}
        {test.isSuccess && <TestSuccess info={test.data} />}
        {test.isError && <SourceError error={ApiError.from(test.error)} />}
        {done && <p className="write-success">✓ {done}</p>}
      </div>

      {removing && (
        <ConfirmDialog
          title={`Remove the Elasticsearch source of ${space}?`}
          confirmLabel="Remove source"
          pendingLabel="Removing…"
          pending={remove.isPending}
          error={remove.error ? ApiError.from(remove.error).message : null}
          onConfirm={() => remove.mutate()}
          onClose={() => setRemoving(false)}
        >
          <p>The URL is forgotten and the API key deleted from the {store.short}. Alerts already attached stay.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function TestSuccess({ info }: { info: ClusterInfo }) {
  return (
    <p className="write-success" role="status">
      ✓ Connected to <strong>{info.cluster_name}</strong> (Elasticsearch {info.version})
    </p>
  );
}
