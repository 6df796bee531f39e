import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { SecretStoreKind, SecretStoreStatus, SecretStoreSwitch } from "../../lib/api/bindings";
import { ApiError, changeSecretsPassphrase, lockSecrets, secretStoreStatus, setSecretStore, unlockSecrets } from "../../lib/api/client";
import { formatCount } from "../../lib/format";
import { queryKeys } from "../../lib/queryKeys";
import { PassphraseDialog } from "../../components/PassphraseDialog";

/** Why the encrypted file is weaker, said the same way wherever the choice is offered. */
export const FILE_STORE_WARNING =
  "Weaker than the OS keychain: anyone who gets a copy of this file can try passphrases on it offline, and a weak passphrase falls. The keychain is unlocked with your login session and guarded by the OS.";

type Asking = { kind: "unlock" } | { kind: "change" } | { kind: "switch"; to: SecretStoreKind; mode: "unlock" | "create" };

/**
 * Where this database's secrets (connector tokens, the alert source's API key) are kept: the OS
 * keychain, or, when the user opts in, an encrypted file beside the database (for machines
 * without a keychain: minimal desktops, WSL). Never chosen silently.
 */
export function SecretsSection() {
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: queryKeys.secretStore, queryFn: secretStoreStatus });
  const [asking, setAsking] = useState<Asking | null>(null);
  const [report, setReport] = useState<SecretStoreSwitch | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const refresh = (fresh: SecretStoreStatus) => {
    queryClient.setQueryData(queryKeys.secretStore, fresh);
    // Connector and alert source screens show whether their secret is stored: read them again.
    void queryClient.invalidateQueries({ queryKey: ["configuration"] });
  };

  const switchTo = async (to: SecretStoreKind, passphrase: string | null) => {
    setFailure(null);
    const done = await setSecretStore(to, passphrase);
    refresh(done.status);
    setReport(done);
  };

  const s = status.data;
  const onFile = s?.store === "encrypted-file";
  const locked = s !== undefined && onFile && s.file_exists && !s.unlocked;
  const open = s !== undefined && onFile && s.file_exists && s.unlocked;

  const lockNow = async () => {
    setReport(null);
    setDone(null);
    setFailure(null);
    try {
      refresh(await lockSecrets());
      setDone("Locked. Connectors and the alert source ask for the passphrase before they next use a secret.");
    } catch (e) {
      setFailure(ApiError.from(e).message);
    }
  };

  const startSwitch = (to: SecretStoreKind) => {
    if (!s) return;
    setReport(null);
    setDone(null);
    setFailure(null);
    if (to === "encrypted-file") {
      setAsking({ kind: "switch", to, mode: s.file_exists ? "unlock" : "create" });
    } else if (s.file_exists && !s.unlocked) {
      setAsking({ kind: "switch", to, mode: "unlock" });
    } else {
      switchTo(to, null).catch((e: unknown) => setFailure(ApiError.from(e).message));
    }
  };

  return (
    <section className="settings-section" aria-labelledby="settings-secrets">
      <h2 id="settings-secrets">Secrets</h2>
      <p className="hint">
        Connector tokens and the alert source’s API key are never written to the database. They are kept in one store,
        chosen here for this database.
      </p>
      {status.isPending && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" />
          Loading where secrets are kept…
        </p>
      )}
      {status.isError && (
        <div className="form-error" role="alert">
          <strong>Where secrets are kept could not be read.</strong> {ApiError.from(status.error).message}{" "}
          <button type="button" className="link-button" onClick={() => void status.refetch()}>
            Try again
          </button>
        </div>
      )}
      {s && (
        <>
          {s.keychain_problem && !onFile && (
            <div className="form-error" role="alert">
              <strong>No OS keychain can be used here, so tokens and API keys cannot be saved.</strong> You can keep
              them in an encrypted file instead (below). <span className="muted">Details: {s.keychain_problem}</span>
            </div>
          )}
          <ul className="secret-stores" aria-label="Secret stores">
            <li className={onFile ? "secret-store" : "secret-store current"} aria-current={onFile ? undefined : "true"}>
              <div className="secret-store-head">
                <strong>OS keychain</strong> <span className="badge">Recommended</span>
                {!onFile && <span className="badge badge-primary">In use</span>}
              </div>
              <p className="hint">
                macOS Keychain, Windows Credential Manager, or the Secret Service (GNOME Keyring, KWallet).
                {s.keychain_problem ? " Not available on this machine now." : " Available."}
              </p>
              {onFile && (
                <button type="button" className="button" onClick={() => startSwitch("os-keychain")}>
                  Move secrets to the OS keychain
                </button>
              )}
            </li>
            <li className={onFile ? "secret-store current" : "secret-store"} aria-current={onFile ? "true" : undefined}>
              <div className="secret-store-head">
                <strong>Encrypted file</strong> <span className="badge badge-warning">Weaker</span>
                {onFile && <span className="badge badge-primary">In use</span>}
                {onFile && s.file_exists && (
                  <span className="badge">{s.unlocked ? "Unlocked this session" : "Locked"}</span>
                )}
              </div>
              <p className="hint">
                <span className="mono">{s.file_path}</span>, opened with a passphrase asked once per session.
              </p>
              <p className="secret-store-warning">{FILE_STORE_WARNING}</p>
              {!onFile && (
                <button type="button" className="button" onClick={() => startSwitch("encrypted-file")}>
                  Use an encrypted file…
                </button>
              )}
              {locked && (
                <>
                  <p className="form-error">
                    Locked: connectors and the alert source cannot use their secrets until you enter the passphrase.
                  </p>
                  <button type="button" className="button primary" onClick={() => setAsking({ kind: "unlock" })}>
                    Unlock…
                  </button>
                </>
              )}
              {open && (
                <div className="form-actions">
                  <button type="button" className="button" onClick={() => void lockNow()} title="Forget the passphrase until it is entered again">
                    Lock now
                  </button>
                  <button
                    type="button"
                    className="button"
                    onClick={() => {
                      setReport(null);
                      setDone(null);
                      setAsking({ kind: "change" });
                    }}
                  >
                    Change passphrase…
                  </button>
                </div>
              )}
            </li>
          </ul>
          <p className="hint">{inUse(s.secrets_in_use)}</p>
        </>
      )}
      <div className="write-status-region" aria-live="polite">
        {failure && (
          <div className="form-error write-status" role="alert">
            <strong>The store was not changed.</strong> {failure}
          </div>
        )}
        {report && <SwitchReport report={report} />}
        {done && (
          <p className="write-success" role="status">
            {done}
          </p>
        )}
      </div>
      {s && asking && (
        <PassphraseDialog
          mode={asking.kind === "switch" ? asking.mode : asking.kind}
          title={
            asking.kind === "unlock"
              ? "Unlock the secrets file"
              : asking.kind === "change"
                ? "Change the passphrase"
              : asking.to === "encrypted-file"
                ? asking.mode === "create"
                  ? "Keep secrets in an encrypted file"
                  : "Use the existing encrypted file"
                : "Move secrets to the OS keychain"
          }
          submitLabel={asking.kind === "unlock" ? "Unlock" : asking.kind === "change" ? "Change passphrase" : "Move secrets"}
          filePath={s.file_path}
          onSubmit={async (passphrase, newPassphrase) => {
            if (asking.kind === "unlock") refresh(await unlockSecrets(passphrase));
            else if (asking.kind === "change") {
              refresh(await changeSecretsPassphrase(passphrase, newPassphrase ?? ""));
              setDone("The file now opens with the new passphrase only.");
            } else await switchTo(asking.to, passphrase);
            setAsking(null);
          }}
          onClose={() => setAsking(null)}
        />
      )}
    </section>
  );
}

function inUse(n: number): string {
  if (n === 0) return "No connector or alert source has a secret yet.";
  const who = n === 1 ? "1 connector or alert source has a secret" : `${formatCount(n)} connectors and alert sources have secrets`;
  return `${who}: switching moves ${n === 1 ? "it" : "them"}, and names any that cannot be moved (${n === 1 ? "it stays" : "they stay"} where ${n === 1 ? "it is" : "they are"}).`;
}

function SwitchReport({ report }: { report: SecretStoreSwitch }) {
  const where = report.status.store === "encrypted-file" ? "the encrypted file" : "the OS keychain";
  const moved = `${formatCount(report.moved)} ${report.moved === 1 ? "secret" : "secrets"}`;
  return (
    <div className={report.not_moved.length ? "form-error write-status" : "write-success"} role="status">
      <p>
        Secrets are now kept in {where}. Moved {moved}.
      </p>
      {report.not_moved.length > 0 && (
        <>
          <p>
            Not moved (they stay in the other store: enter them again in their settings, or switch back to reach them):
          </p>
          <ul>
            {report.not_moved.map((n) => (
              <li key={n.label}>
                <strong>{n.label}</strong>: {n.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
