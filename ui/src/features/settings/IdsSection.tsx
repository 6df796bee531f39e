import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { AssignIdsButton } from "../../components/AssignIdsButton";
import { ApiError, setIdInterval } from "../../lib/api/client";
import { formatDateTime } from "../../lib/format";
import { MAX_ID_INTERVAL_MINUTES, MIN_ID_INTERVAL_MINUTES } from "../../lib/limits";
import { pendingTooltip, useIdTaskStatus } from "../../lib/ids";
import { queryKeys } from "../../lib/queryKeys";
import { WriteStatus } from "./WriteStatus";

/** The core's range (casebook_core::ids MIN/MAX_ID_INTERVAL_MINUTES), for the input's bounds and hint. */
const MIN_INTERVAL = MIN_ID_INTERVAL_MINUTES;
const MAX_INTERVAL = MAX_ID_INTERVAL_MINUTES;

/**
 * What the box holds as the command's whole number of minutes, or null when it holds no whole
 * number (that cannot be sent at all). Whether the number is allowed is the core's to say.
 */
export function minutesOf(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) && Number.isSafeInteger(Number(t)) ? Number(t) : null;
}

/** How often the app numbers new cases (all spaces), and "Assign IDs now". */
export function IdsSection() {
  const queryClient = useQueryClient();
  const status = useIdTaskStatus();
  // null: show the saved value; a string once the user edits the box.
  const [text, setText] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [assigned, setAssigned] = useState<{ kind: "info" | "error"; text: string } | null>(null);
  const save = useMutation({
    mutationFn: (minutes: number) => setIdInterval(minutes),
    onSuccess: (fresh) => {
      queryClient.setQueryData(queryKeys.idTask, fresh);
      setText(null);
      setSubmitted(false);
    },
  });
  const shown = text ?? (status.data ? String(status.data.setting_minutes) : "");
  const minutes = text !== null ? minutesOf(text) : null;
  const localError = text !== null && minutes === null ? `A whole number of minutes, ${MIN_INTERVAL} to ${MAX_INTERVAL}.` : undefined;
  const error = save.error ? ApiError.from(save.error) : null;
  const aboutInterval = error?.field === "interval";
  const shownError = (submitted && localError) || (aboutInterval ? error.message : undefined);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (minutes === null || save.isPending) return;
    save.mutate(minutes);
  };

  const s = status.data;
  return (
    <section className="settings-section" aria-labelledby="settings-case-numbers">
      <h2 id="settings-case-numbers">Case numbers</h2>
      <p className="hint">
        New cases show “ID pending” until the app gives them their number (#1, #2… in each space, in the order they
        were created). It does so shortly after it starts, then at this interval, for every space.
      </p>
      {status.isError && (
        <div className="form-error" role="alert">
          The numbering schedule could not be loaded: {ApiError.from(status.error).message}
        </div>
      )}
      <form className="form settings-form inline-form" onSubmit={submit} noValidate aria-label="Numbering interval">
        <div className="field">
          <div className="field-label">
            <label htmlFor="id-interval">Minutes between numbering runs</label>
          </div>
          <input
            id="id-interval"
            type="number"
            inputMode="numeric"
            min={MIN_INTERVAL}
            max={MAX_INTERVAL}
            value={shown}
            onChange={(e) => {
              if (save.isError || save.isSuccess) save.reset();
              setText(e.target.value);
            }}
            aria-invalid={shownError ? true : undefined}
            aria-describedby="id-interval-error"
          />
          <span id="id-interval-error" className="field-error">
            {shownError}
          </span>
        </div>
        <button type="submit" className="button primary" disabled={save.isPending || text === null}>
          {save.isPending ? "Saving…" : "Save interval"}
        </button>
      </form>
      {s?.from_env && (
        <p className="hint">
          <code>CASEBOOK_ID_INTERVAL</code> is set: this window numbers cases every{" "}
          {s.interval_seconds < 60 ? `${s.interval_seconds} seconds` : `${s.interval_minutes} minutes`} until it is
          restarted without it.
        </p>
      )}
      {s && (
        <p className="hint" role="status">
          {pendingTooltip(s).replace("Numbers are given", "Cases are numbered")}.
          {s.last_run_at && ` Last run ${formatDateTime(s.last_run_at)}.`}
        </p>
      )}
      <WriteStatus
        error={aboutInterval ? null : error}
        success={save.isSuccess ? `Saved: ${save.data.setting_minutes} minutes between numbering runs.` : null}
        failed="The interval was not saved."
      />
      <div className="write-status-actions">
        <AssignIdsButton onResult={setAssigned} />
        <span className={assigned?.kind === "error" ? "form-error" : "write-success"} aria-live="polite">
          {assigned?.text}
        </span>
      </div>
    </section>
  );
}
