import { useState } from "react";
import { SEVERITIES } from "../../lib/api/bindings";
import type { CaseConfiguration, Severity, SlaTarget } from "../../lib/api/bindings";
import { SEVERITY_LABEL } from "../../components/labels";
import { useConfigurationWrite } from "./useConfigurationWrite";
import { WriteStatus } from "./WriteStatus";

const UNITS = [
  { value: 60, label: "minutes" },
  { value: 3600, label: "hours" },
  { value: 86_400, label: "days" },
] as const;

/** A target as typed: an amount and a unit; an empty amount means no target. */
type Entry = { amount: string; unit: number };
type Row = { acknowledge: Entry; resolve: Entry };

function entryOf(seconds: number | null | undefined): Entry {
  if (!seconds) return { amount: "", unit: 3600 };
  const unit = [...UNITS].reverse().find((u) => seconds % u.value === 0)?.value ?? 60;
  return { amount: String(seconds / unit), unit };
}

function secondsOf(e: Entry): number | undefined {
  const n = Number(e.amount.trim());
  return e.amount.trim() === "" || !Number.isFinite(n) ? undefined : Math.round(n * e.unit);
}

function rowsOf(sla: SlaTarget[]): Record<Severity, Row> {
  return Object.fromEntries(
    SEVERITIES.map((s) => {
      const t = sla.find((x) => x.severity === s);
      return [s, { acknowledge: entryOf(t?.acknowledge_seconds), resolve: entryOf(t?.resolve_seconds) }];
    }),
  ) as Record<Severity, Row>;
}

/**
 * Service-level targets per severity (Casebook's; Kibana has none): how long a case may stay
 * unacknowledged and unresolved. The Analytics page lists cases breaching or near them, and
 * the cases list filters by them. The core checks the values (and names the one it refuses).
 */
export function SlaSection({ space, config }: { space: string; config: CaseConfiguration }) {
  const writer = useConfigurationWrite(space);
  const [rows, setRows] = useState(() => rowsOf(config.sla));
  const set = (s: Severity, which: keyof Row, e: Partial<Entry>) =>
    setRows((r) => ({ ...r, [s]: { ...r[s], [which]: { ...r[s][which], ...e } } }));

  const save = () => {
    const sla: SlaTarget[] = SEVERITIES.map((severity) => ({
      severity,
      acknowledge_seconds: secondsOf(rows[severity].acknowledge),
      resolve_seconds: secondsOf(rows[severity].resolve),
    })).filter((t) => t.acknowledge_seconds !== undefined || t.resolve_seconds !== undefined);
    writer.save(() => ({ sla }), "Service-level targets saved.");
  };

  const input = (s: Severity, which: keyof Row, label: string) => (
    <span className="sla-input">
      <input
        type="number"
        min={1}
        inputMode="numeric"
        aria-label={`${SEVERITY_LABEL[s]}: ${label}`}
        placeholder="none"
        value={rows[s][which].amount}
        onChange={(e) => set(s, which, { amount: e.target.value })}
      />
      <select
        aria-label={`${SEVERITY_LABEL[s]}: ${label} unit`}
        value={rows[s][which].unit}
        onChange={(e) => set(s, which, { unit: Number(e.target.value) })}
      >
        {UNITS.map((u) => (
          <option key={u.value} value={u.value}>
            {u.label}
          </option>
        ))}
      </select>
    </span>
  );

  return (
    <section className="settings-section" aria-labelledby="settings-sla">
      <h2 id="settings-sla">Service-level targets</h2>
      <p className="hint">
        How long a case of each severity may stay unacknowledged (open, never in progress) and unresolved (not closed),
        counted from its creation. Leave a box empty for no target. Analytics lists the cases past a target or with
        less than a fifth of its time left; the cases list filters by them (More filters → SLA).
      </p>
      <table className="settings-table">
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Acknowledge within</th>
            <th scope="col">Resolve within</th>
          </tr>
        </thead>
        <tbody>
          {SEVERITIES.map((s) => (
            <tr key={s}>
              <th scope="row">{SEVERITY_LABEL[s]}</th>
              <td>{input(s, "acknowledge", "acknowledge within")}</td>
              <td>{input(s, "resolve", "resolve within")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-actions">
        <button type="button" className="button primary" onClick={save} disabled={writer.pending}>
          Save targets
        </button>
      </div>
      <WriteStatus
        error={writer.error}
        success={writer.success}
        failed="The targets were not saved."
        onRetry={() => void writer.reloadAndRetry()}
        onDiscard={() => {
          void writer.reloadAndDiscard();
        }}
      />
    </section>
  );
}
