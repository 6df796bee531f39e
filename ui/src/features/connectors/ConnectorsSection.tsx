import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Connector } from "../../lib/api/bindings";
import { ApiError, deleteConnector, testConnector } from "../../lib/api/client";
import { formatDateTime } from "../../lib/format";
import { queryKeys } from "../../lib/queryKeys";
import { routeHref } from "../../lib/route";
import { CodedError } from "../../components/CodedError";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ConnectorDialog } from "./ConnectorDialog";
import { choicesSummary } from "./connectorForm";
import { KIND_LABEL, connectorErrorHeading, secretNoun } from "./connectorText";
import { useConnectors, useRefreshChoices } from "./useConnectors";
import "./connectors.css";
import { useSecretStoreWords } from "../../lib/secretStore";

/**
 * Settings → Connectors: the space's connectors to incident systems (Kibana's case connectors).
 * Their tokens and passwords live in the OS keychain; the list only says whether one is there.
 */
export function ConnectorsSection({ space }: { space: string }) {
  const store = useSecretStoreWords();
  const connectors = useConnectors(space);
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Connector | "new" | null>(null);
  const [deleting, setDeleting] = useState<Connector | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (k: Connector) => deleteConnector(space, k.id),
    onSuccess: (_, k) => {
      queryClient.setQueryData<Connector[]>(queryKeys.connectors(space), (list) => list?.filter((x) => x.id !== k.id));
      // Its waiting pushes went with it.
      void queryClient.invalidateQueries({ queryKey: queryKeys.connectors(space) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
      setDeleting(null);
      setDone(`Connector “${k.name}” deleted; its ${secretNoun(k)} was removed from the ${store.short}.`);
    },
  });

  return (
    <section className="settings-section" aria-labelledby="settings-connectors">
      <div className="section-header">
        <h2 id="settings-connectors">Connectors</h2>
        <button
          type="button"
          className="button"
          onClick={() => {
            setDone(null);
            setEditing("new");
          }}
        >
          Add connector
        </button>
      </div>
      <p className="hint">
        Push cases to your incident system, as Kibana's case connectors do. Tokens and passwords are stored in{" "}
        {store.full}, never in Casebook's database.
      </p>
      {connectors.isPending ? (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" />
          Loading the connectors…
        </p>
      ) : connectors.isError ? (
        <div className="form-error" role="alert">
          <strong>The connectors could not be read.</strong> {ApiError.from(connectors.error).message}{" "}
          <button type="button" className="link-button" onClick={() => void connectors.refetch()}>
            Try again
          </button>
        </div>
      ) : connectors.data.length === 0 ? (
        <p className="muted">No connectors in this space yet.</p>
      ) : (
        <ul className="connector-list">
          {connectors.data.map((k) => (
            <li key={k.id}>
              <ConnectorItem
                space={space}
                connector={k}
                onEdit={() => {
                  setDone(null);
                  setEditing(k);
                }}
                onDelete={() => {
                  setDone(null);
                  remove.reset();
                  setDeleting(k);
                }}
              />
            </li>
          ))}
        </ul>
      )}
      <div className="write-status-region" aria-live="polite">
        {done && <p className="write-success">✓ {done}</p>}
      </div>

      {editing && (
        <ConnectorDialog
          space={space}
          editing={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved, secretSent) => {
            setEditing(null);
            setDone(
              secretSent
                ? `Connector “${saved.name}” saved. Its ${secretNoun(saved)} is stored in ${store.full}.`
                : `Connector “${saved.name}” saved.`,
            );
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete connector “${deleting.name}”?`}
          confirmLabel="Delete connector"
          pendingLabel="Deleting…"
          pending={remove.isPending}
          error={remove.error ? ApiError.from(remove.error).message : null}
          onConfirm={() => remove.mutate(deleting)}
          onClose={() => setDeleting(null)}
        >
          <p>
            Its {secretNoun(deleting)} is removed from {store.full.replace(/^your /, "the ")}, and its pushes still waiting
            in the outbox are dropped. Cases keep their links to the tickets already created.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

type Result = { kind: "tested"; message: string } | { kind: "refreshed"; connector: Connector } | { kind: "failed"; error: ApiError };

/** One connector: what it talks to and how it signs in, its secret's state, its cached choices. */
function ConnectorItem({ space, connector: k, onEdit, onDelete }: { space: string; connector: Connector; onEdit: () => void; onDelete: () => void }) {
  const store = useSecretStoreWords();
  // The last Test connection or Refresh choices, whichever ran last.
  const [result, setResult] = useState<Result | null>(null);
  const fail = (e: unknown) => setResult({ kind: "failed", error: ApiError.from(e) });
  const test = useMutation({
    mutationFn: () => testConnector(space, k.id),
    onMutate: () => setResult(null),
    onSuccess: (check) => setResult({ kind: "tested", message: check.message }),
    onError: fail,
  });
  const refresh = useRefreshChoices(space);
  const refreshChoices = () => {
    setResult(null);
    refresh.mutate(k.id, { onSuccess: (saved) => setResult({ kind: "refreshed", connector: saved }), onError: fail });
  };
  const headingId = `connector-${k.id}-name`;

  return (
    // A named section: tests and screen readers find "Test connection" of this connector.
    <section className="connector-item" aria-labelledby={headingId}>
      <div className="connector-head">
        <h3 id={headingId}>{k.name}</h3>
        <span className="badge connector-kind">{KIND_LABEL[k.kind]}</span>
      </div>
      <dl className="source-facts connector-facts">
        <dt>URL</dt>
        <dd className="mono">{k.url}</dd>
        <dt>Target</dt>
        <dd>{k.target}</dd>
        {k.account && (
          <>
            <dt>Sign-in</dt>
            <dd className="mono">{k.account}</dd>
          </>
        )}
        <dt>{k.secret_label}</dt>
        <dd>
          {k.secret_unreadable ? (
            <span className="key-missing" title={k.secret_unreadable.message}>
              Not checked ({connectorErrorHeading(ApiError.from(k.secret_unreadable)).toLowerCase()}):{" "}
              <a href={routeHref({ page: "settings", section: "secrets" })}>Settings → Secrets</a>
            </span>
          ) : k.secret_stored ? (
            <span className="key-stored">Stored in {store.short}</span>
          ) : (
            <span className="key-missing">Missing from {store.short} — enter it again</span>
          )}
        </dd>
        <dt>Choices</dt>
        <dd>
          {k.metadata && k.metadata_fetched_at ? (
            <span>
              Fetched {formatDateTime(k.metadata_fetched_at)}: {choicesSummary(k.kind, k.metadata)}
            </span>
          ) : (
            <span className="muted">Never fetched: refresh them to fill the case form's lists.</span>
          )}
        </dd>
      </dl>
      <div className="form-actions connector-actions">
        <button type="button" className="button" disabled={test.isPending} onClick={() => test.mutate()}>
          {test.isPending ? "Testing…" : "Test connection"}
        </button>
        <button type="button" className="button" disabled={refresh.isPending} onClick={refreshChoices}>
          {refresh.isPending ? "Refreshing…" : "Refresh choices"}
        </button>
        <button type="button" className="button" onClick={onEdit}>
          Edit
        </button>
        <button type="button" className="button danger-outline" onClick={onDelete}>
          Delete
        </button>
      </div>
      <div className="write-status-region" aria-live="polite">
        {result?.kind === "tested" && (
          <p className="write-success" role="status">
            {result.message}
          </p>
        )}
        {result?.kind === "refreshed" && result.connector.metadata && (
          <p className="write-success" role="status">
            Choices refreshed: {choicesSummary(k.kind, result.connector.metadata)}.
          </p>
        )}
        {result?.kind === "failed" && <CodedError heading={connectorErrorHeading(result.error, k.kind)} message={result.error.message} />}
      </div>
    </section>
  );
}
