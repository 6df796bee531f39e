import { memo, useCallback, useEffect, useId, useRef, useState, type FormEvent, type MouseEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import type { AlertHit, AlertImportReport, AlertQuery, AlertSearchPage, Severity } from "../../../lib/api/bindings";
import { ApiError, attachSourceAlerts, searchSourceAlerts } from "../../../lib/api/client";
import { localToRfc3339 } from "../../../lib/alertFields";
import { formatCount, formatDateTime, splitDateTime } from "../../../lib/format";
import { Dialog } from "../../../components/Dialog";
import { SeverityBadge } from "../../../components/Badges";
import { SEVERITY_LABEL } from "../../../components/labels";
import { SEVERITIES } from "../../../lib/api/bindings";
import { SourceError } from "../../alert-source/SourceError";
import { NO_RULE, WORKFLOW_LABEL, WORKFLOW_STATUSES } from "./alertsView";
import { Text } from "./alertColumns";

export const PAGE_SIZES = [50, 100, 250, 500, 1000] as const;

export type SearchFilters = {
  /** `datetime-local` values, in the user's time zone. */
  from: string;
  to: string;
  rule: string;
  host: string;
  user: string;
  severity: string;
  workflow_status: string;
  size: number;
};

export const NO_FILTERS: SearchFilters = { from: "", to: "", rule: "", host: "", user: "", severity: "", workflow_status: "", size: 100 };

type FilterErrors = Partial<Record<"from" | "to", string>>;

/** The time filters: key and label. */
const TIME_FIELDS = [
  ["from", "From"],
  ["to", "To"],
] as const;

/** The exact-match text filters: key, label and placeholder. */
const TEXT_FIELDS = [
  ["rule", "Rule", "Exact rule name"],
  ["host", "Host", "host.name"],
  ["user", "User", "user.name"],
] as const;

/** The core's AlertQuery for the filters (times in RFC 3339 UTC), or what is wrong with them. */
export function toSourceQuery(f: SearchFilters): { query: AlertQuery } | { errors: FilterErrors } {
  const from = localToRfc3339(f.from);
  const to = localToRfc3339(f.to);
  const errors: FilterErrors = {};
  if (from === null) errors.from = "From: not a valid date and time.";
  if (to === null) errors.to = "To: not a valid date and time.";
  if (from && to && from > to) errors.to = "To: must not be before From.";
  if (Object.keys(errors).length > 0) return { errors };
  const query: AlertQuery = { size: f.size };
  if (from) query.from = from;
  if (to) query.to = to;
  for (const k of ["rule", "host", "user", "severity", "workflow_status"] as const) {
    const v = f[k].trim();
    if (v !== "") query[k] = v;
  }
  return { query };
}

/** What the results table shows of an alert: the core read it from the document. */
function row(hit: AlertHit) {
  const s = hit.summary;
  return { time: s.timestamp, rule: s.rule_name, severity: s.severity, host: s.host, user: s.user, reason: s.reason };
}

type Props = {
  space: string;
  caseId: string;
  onClose: () => void;
  /** The alerts were attached: `report` says how many were new. */
  onAttached: (report: AlertImportReport) => void;
};

/**
 * Searches the space's Security alerts in Elasticsearch and attaches the chosen ones. "Next page"
 * appends the following page (search_after) under the rows already shown, so what was ticked on
 * earlier pages stays visible and attached together; a new search starts over.
 */
export function SourceSearchDialog({ space, caseId, onClose, onAttached }: Props) {
  const id = useId();
  const [filters, setFilters] = useState<SearchFilters>(NO_FILTERS);
  const [errors, setErrors] = useState<FilterErrors>({});
  const [query, setQuery] = useState<AlertQuery | null>(null);
  const [results, setResults] = useState<AlertSearchPage | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const search = useMutation({
    mutationFn: (q: AlertQuery) => searchSourceAlerts(space, q),
    onSuccess: (page, q) => {
      if (q.search_after) {
        setResults((prev) => {
          if (!prev) return page;
          const seen = new Set(prev.hits.map((h) => h.id));
          return { total: page.total, hits: [...prev.hits, ...page.hits.filter((h) => !seen.has(h.id))], next: page.next };
        });
      } else {
        setResults(page);
        setSelected(new Set());
      }
    },
  });
  const attach = useMutation({
    mutationFn: (hits: AlertHit[]) => attachSourceAlerts(caseId, hits),
    onSuccess: (report) => onAttached(report),
  });

  const run = (f: SearchFilters) => {
    const built = toSourceQuery(f);
    if ("errors" in built) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    attach.reset();
    setQuery(built.query);
    search.mutate(built.query);
  };

  // The newest alerts straight away; the filters narrow them down.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    run(NO_FILTERS);
    // Once, when the dialog opens.
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!search.isPending) run(filters);
  };
  const set = <K extends keyof SearchFilters>(k: K, v: SearchFilters[K]) => {
    setFilters((f) => ({ ...f, [k]: v }));
    if (k === "from" || k === "to") setErrors({});
  };

  const hits = results?.hits ?? [];
  const chosen = hits.filter((h) => selected.has(h.id));
  // Stable, so typing in the filters does not render every row again.
  const toggle = useCallback(
    (hitId: string) =>
      setSelected((s) => {
        const n = new Set(s);
        if (n.has(hitId)) n.delete(hitId);
        else n.add(hitId);
        return n;
      }),
    [],
  );
  const hitIds = useRef<string[]>([]);
  hitIds.current = hits.map((h) => h.id);
  const toggleAll = useCallback((all: boolean) => setSelected(all ? new Set(hitIds.current) : new Set()), []);
  const error = search.error ? ApiError.from(search.error) : null;
  const attachError = attach.error ? ApiError.from(attach.error) : null;
  const loadingMore = search.isPending && !!search.variables?.search_after;

  return (
    <Dialog
      title="Search Elasticsearch alerts"
      className="dialog-large source-search"
      onClose={onClose}
      footer={
        <>
          <span className="footer-hint hint">
            {chosen.length > 0
              ? `${formatCount(chosen.length)} ${chosen.length === 1 ? "alert" : "alerts"} selected`
              : "Tick the alerts to attach to this case."}
          </span>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button primary"
            disabled={chosen.length === 0 || attach.isPending}
            onClick={() => attach.mutate(chosen)}
          >
            {attach.isPending ? "Attaching…" : `Attach ${formatCount(chosen.length)} selected`}
          </button>
        </>
      }
    >
      <form className="source-filters" onSubmit={submit} noValidate aria-label="Alert filters">
        {TIME_FIELDS.map(([k, label]) => (
          <div className="field" key={k}>
            <label htmlFor={`${id}-${k}`}>{label}</label>
            <input
              id={`${id}-${k}`}
              type="datetime-local"
              value={filters[k]}
              onChange={(e) => set(k, e.target.value)}
              aria-invalid={errors[k] ? true : undefined}
              aria-describedby={`${id}-${k}-error`}
            />
            {errors[k] && (
              <span id={`${id}-${k}-error`} className="field-error" role="alert">
                {errors[k]}
              </span>
            )}
          </div>
        ))}
        {TEXT_FIELDS.map(([k, label, placeholder]) => (
          <div className="field" key={k}>
            <label htmlFor={`${id}-${k}`}>{label}</label>
            <input
              id={`${id}-${k}`}
              value={filters[k]}
              autoComplete="off"
              spellCheck={false}
              placeholder={placeholder}
              onChange={(e) => set(k, e.target.value)}
            />
          </div>
        ))}
        <div className="field">
          <label htmlFor={`${id}-severity`}>Severity</label>
          <select id={`${id}-severity`} value={filters.severity} onChange={(e) => set("severity", e.target.value)}>
            <option value="">Any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {SEVERITY_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-status`}>Alert status</label>
          <select id={`${id}-status`} value={filters.workflow_status} onChange={(e) => set("workflow_status", e.target.value)}>
            <option value="">Any</option>
            {WORKFLOW_STATUSES.map((s) => (
              <option key={s} value={s}>
                {WORKFLOW_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-size`}>Page size</label>
          <select id={`${id}-size`} value={filters.size} onChange={(e) => set("size", Number(e.target.value))}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div className="source-filters-actions">
          <button type="submit" className="button primary" disabled={search.isPending}>
            {search.isPending && !loadingMore ? "Searching…" : "Search"}
          </button>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setFilters(NO_FILTERS);
              setErrors({});
            }}
          >
            Clear filters
          </button>
        </div>
      </form>

      <div className="source-results" aria-busy={search.isPending}>
        {error && <SourceError error={error} />}
        {attachError && (
          <div className="form-error" role="alert">
            <strong>The alerts were not attached.</strong> {attachError.message}
          </div>
        )}
        {!results && search.isPending && (
          <p className="muted" role="status">
            <span className="spinner" aria-hidden="true" />
            Searching {space}'s alerts…
          </p>
        )}
        {results && (
          <>
            <p className="source-range" aria-live="polite">
              {formatCount(hits.length)} of {formatCount(results.total)} {results.total === 1 ? "alert" : "alerts"}
            </p>
            {hits.length === 0 ? (
              <p className="state-panel">No alert matches these filters.</p>
            ) : (
              <ResultsTable hits={hits} selected={selected} onToggle={toggle} onToggleAll={toggleAll} />
            )}
            {results.next && hits.length > 0 && (
              <div className="source-more">
                <button
                  type="button"
                  className="button"
                  disabled={search.isPending || !query}
                  onClick={() => query && search.mutate({ ...query, search_after: results.next! })}
                >
                  {loadingMore ? "Loading…" : "Next page"}
                </button>
                <span className="hint">The next {formatCount(query?.size ?? 100)} are added under these.</span>
              </div>
            )}
          </>
        )}
      </div>
    </Dialog>
  );
}

type TableProps = {
  hits: AlertHit[];
  selected: Set<string>;
  onToggle: (id: string) => void;
  onToggleAll: (all: boolean) => void;
};

/** The results table's columns after the checkbox: class and heading, in ResultRow's order. */
const RESULT_COLUMNS = [
  ["col-time", "Time"],
  ["col-rule", "Rule"],
  ["col-severity", "Severity"],
  ["col-host", "Host"],
  ["col-user", "User"],
  ["col-reason", "Reason"],
] as const;

/** The hits found, with a checkbox each; a click on a row ticks it too. */
const ResultsTable = memo(function ResultsTable({ hits, selected, onToggle, onToggleAll }: TableProps) {
  const count = hits.reduce((n, h) => (selected.has(h.id) ? n + 1 : n), 0);
  const allChosen = hits.length > 0 && count === hits.length;
  return (
    <div className="table-wrap source-table-wrap">
      <table className="alerts-table source-table" aria-label="Alerts found in Elasticsearch">
        <thead>
          <tr>
            <th scope="col" className="col-select">
              <input
                type="checkbox"
                className="row-check"
                checked={allChosen}
                ref={(el) => {
                  if (el) el.indeterminate = count > 0 && !allChosen;
                }}
                onChange={() => onToggleAll(!allChosen)}
                aria-label={`Select all ${formatCount(hits.length)} alerts shown`}
              />
            </th>
            {RESULT_COLUMNS.map(([className, label]) => (
              <th key={className} scope="col" className={className}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {hits.map((hit) => (
            <ResultRow key={hit.id} hit={hit} on={selected.has(hit.id)} onToggle={onToggle} />
          ))}
        </tbody>
      </table>
    </div>
  );
});

/** One hit; drawn again only when it is ticked or unticked. */
const ResultRow = memo(function ResultRow({ hit, on, onToggle }: { hit: AlertHit; on: boolean; onToggle: (id: string) => void }) {
  const r = row(hit);
  const when = r.time ? splitDateTime(r.time) : null;
  const name = `${r.rule ?? NO_RULE}${r.time ? ` at ${formatDateTime(r.time)}` : ""}`;
  const onRowClick = (e: MouseEvent<HTMLTableRowElement>) => {
    if ((e.target as HTMLElement).closest("input, button, a, label")) return;
    onToggle(hit.id);
  };
  return (
    <tr className={on ? "selected" : undefined} onClick={onRowClick}>
      <td className="col-select">
        <input
          type="checkbox"
          className="row-check"
          checked={on}
          onChange={() => onToggle(hit.id)}
          aria-label={`Select the alert ${name}`}
        />
      </td>
      <td className="col-time">
        {when ? (
          <span className="when" title={formatDateTime(r.time)}>
            <span>{when.date}</span>
            <span className="muted">{when.time}</span>
          </span>
        ) : (
          <Text value={r.time} />
        )}
      </td>
      <td className="col-rule">
        <Text value={r.rule} className="clip" />
      </td>
      <td className="col-severity">
        {r.severity && (SEVERITIES as readonly string[]).includes(r.severity) ? (
          <SeverityBadge severity={r.severity as Severity} />
        ) : (
          <Text value={r.severity} />
        )}
      </td>
      <td className="col-host">
        <Text value={r.host} className="clip" />
      </td>
      <td className="col-user">
        <Text value={r.user} className="clip" />
      </td>
      <td className="col-reason">
        <Text value={r.reason} className="clip-lines" />
      </td>
    </tr>
  );
});
