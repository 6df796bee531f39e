import type { ReactNode } from "react";

/** The Alerts tab of a case without alerts: which files can be attached, and how. */
export function AlertsEmptyState({ onAttach, busy, search }: { onAttach: () => void; busy: boolean; search?: ReactNode }) {
  return (
    <div className="state-panel alerts-empty">
      <h2>No alerts attached yet</h2>
      <p>Attach the alerts behind this case from an export of Kibana or Elasticsearch, or search them in the space's Elasticsearch source:</p>
      <ul className="accepted-files">
        <li>
          <strong>NDJSON</strong> (<code>.ndjson</code>, <code>.jsonl</code>): one alert document per line, as the
          alerts index or a <code>_search</code> scroll gives them;
        </li>
        <li>
          <strong>JSON</strong> (<code>.json</code>): an array of alerts, or a <code>_search</code> response with its
          hits;
        </li>
        <li>
          <strong>CSV</strong> (<code>.csv</code>): a Discover export of the alerts, with a header row (cells
          separated by <code>,</code> or <code>;</code>).
        </li>
      </ul>
      <p>Any of them may be gzip-compressed (<code>.gz</code>).</p>
      <p>
        Drop the file anywhere on this tab. Alerts already in the case are kept once, and IPs, hosts, hashes and
        other observables are taken from them when the case extracts observables.
      </p>
      <div className="alerts-empty-actions">
        <button type="button" className="button primary" onClick={onAttach} disabled={busy}>
          Attach alerts…
        </button>
        {search}
      </div>
    </div>
  );
}
