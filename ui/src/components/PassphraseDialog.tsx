import { useId, useState, type FormEvent, type ReactNode } from "react";
import { ApiError } from "../lib/api/client";
import { MIN_PASSPHRASE_LENGTH } from "../lib/limits";
import { Dialog } from "./Dialog";
import { FormDialogFooter } from "./FormDialogFooter";

type Props = {
  /**
   * "unlock": the file exists, its passphrase is asked once; "create": a new one is chosen, typed
   * twice; "change": the current one, then a new one typed twice.
   */
  mode: "unlock" | "create" | "change";
  title: string;
  submitLabel: string;
  /** Where the file is, so the user knows what they are unlocking. */
  filePath: string;
  /**
   * Resolves when the core took the passphrase (in "change" mode the current one, then the new
   * one); a rejection is shown in the dialog, which stays open.
   */
  onSubmit: (passphrase: string, newPassphrase?: string) => Promise<unknown>;
  onClose: () => void;
  /** Why the passphrase is asked now, above the usual hint. */
  intro?: ReactNode;
};

/**
 * Asks for the encrypted secrets file's passphrase. The core keeps it in memory until the app
 * quits, so this is asked once per session; it never leaves this dialog for anywhere else.
 */
export function PassphraseDialog({ mode, title, submitLabel, filePath, onSubmit, onClose, intro }: Props) {
  const formId = useId();
  const firstId = useId();
  const againId = useId();
  const newId = useId();
  const errorId = useId();
  const [passphrase, setPassphrase] = useState("");
  const [fresh, setFresh] = useState("");
  const [again, setAgain] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const changing = mode === "change";
  const creating = mode === "create";
  // The passphrase being chosen: the only one when creating, the second when changing.
  const chosen = changing ? fresh : passphrase;
  const choosing = creating || changing;
  const tooShort = choosing && [...chosen].length < MIN_PASSPHRASE_LENGTH;
  const differs = choosing && again !== chosen;
  const localError = !passphrase
    ? changing
      ? "Enter the current passphrase."
      : "Enter the passphrase."
    : changing && !fresh
      ? "Enter the new passphrase."
      : tooShort
      ? `At least ${MIN_PASSPHRASE_LENGTH} characters.`
      : differs
        ? "The two passphrases differ."
        : null;
  const shownError = (submitted && localError) || failure;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (localError || pending) return;
    setPending(true);
    setFailure(null);
    try {
      await (changing ? onSubmit(passphrase, fresh) : onSubmit(passphrase));
    } catch (err) {
      const error = ApiError.from(err);
      setFailure(
        error.code === "wrong_passphrase"
          ? `That ${changing ? "current " : ""}passphrase does not open the file. Nothing was changed.`
          : error.message,
      );
      setPending(false);
    }
  };

  return (
    <Dialog
      title={title}
      onClose={onClose}
      className="dialog-small"
      initialFocusId={firstId}
      footer={
        <FormDialogFooter form={formId} submitLabel={submitLabel} pendingLabel={changing ? "Encrypting…" : "Opening…"} pending={pending} onCancel={onClose} />
      }
    >
      <form id={formId} className="form" onSubmit={(e) => void submit(e)} noValidate>
        {intro}
        <p className="hint">
          {changing
            ? "The file is encrypted again with the new passphrase; the current one stops opening it. Keep the new one safe: it cannot be recovered."
            : creating
            ? "Secrets will be encrypted into this file with the passphrase you choose. It cannot be recovered: without it, the secrets are lost and must be entered again."
            : "Casebook keeps the passphrase in memory until it quits, so it is asked once per session."}{" "}
          <span className="mono">{filePath}</span>
        </p>
        <div className="field">
          <div className="field-label">
            <label htmlFor={firstId}>{changing ? "Current passphrase" : creating ? "New passphrase" : "Passphrase"}</label>
          </div>
          <input
            id={firstId}
            type="password"
            autoComplete={creating ? "new-password" : "current-password"}
            value={passphrase}
            onChange={(e) => {
              setPassphrase(e.target.value);
              setFailure(null);
            }}
            aria-invalid={shownError ? true : undefined}
            aria-describedby={errorId}
          />
          {creating && <span className="hint">At least {MIN_PASSPHRASE_LENGTH} characters; a few unrelated words are best.</span>}
        </div>
        {changing && (
          <div className="field">
            <div className="field-label">
              <label htmlFor={newId}>New passphrase</label>
            </div>
            <input
              id={newId}
              type="password"
              autoComplete="new-password"
              value={fresh}
              onChange={(e) => {
                setFresh(e.target.value);
                setFailure(null);
              }}
              aria-invalid={submitted && (tooShort || !fresh) ? true : undefined}
              aria-describedby={errorId}
            />
            <span className="hint">At least {MIN_PASSPHRASE_LENGTH} characters; a few unrelated words are best.</span>
          </div>
        )}
        {choosing && (
          <div className="field">
            <div className="field-label">
              <label htmlFor={againId}>Type it again</label>
            </div>
            <input
              id={againId}
              type="password"
              autoComplete="new-password"
              value={again}
              onChange={(e) => setAgain(e.target.value)}
              aria-invalid={submitted && differs ? true : undefined}
              aria-describedby={errorId}
            />
          </div>
        )}
        <p id={errorId} className="field-error" role={shownError ? "alert" : undefined}>
          {shownError}
        </p>
      </form>
    </Dialog>
  );
}
