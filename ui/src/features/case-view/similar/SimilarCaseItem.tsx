import { useState } from "react";
import type { SimilarCase } from "../../../lib/api/bindings";
import { formatCount } from "../../../lib/format";
import { routeHref } from "../../../lib/route";
import { PendingId } from "../../../components/CaseNumber";
import { SeverityBadge, StatusBadge } from "../../../components/Badges";

/** Shared values shown per case before "+N": a case sharing 40 stays one glance long. */
export const SHARED_SHOWN = 5;

/** One similar case: its number, title (a link to it), status, severity, and the values it shares. */
export function SimilarCaseItem({ item }: { item: SimilarCase }) {
  const c = item.case;
  const [all, setAll] = useState(false);
  const hidden = item.shared.length - SHARED_SHOWN;
  const shown = all || hidden <= 0 ? item.shared : item.shared.slice(0, SHARED_SHOWN);
  return (
    <li className="similar-item">
      <div className="similar-head">
        {c.incremental_id !== null ? <span className="case-number">#{c.incremental_id}</span> : <PendingId />}
        <a className="similar-title" href={routeHref({ page: "case", id: c.id })} title={c.title}>
          {c.title}
        </a>
        <StatusBadge status={c.status} />
        <SeverityBadge severity={c.severity} />
      </div>
      <div className="similar-shared">
        <span className="hint">
          Shares {item.shared.length === 1 ? "1 observable" : `${formatCount(item.shared.length)} observables`}:
        </span>
        <ul className="chips" aria-label={`Observables shared with ${c.title}`}>
          {shown.map((o) => (
            <li key={`${o.type_key}\u0000${o.value}`} className="chip chip-observable" title={`${o.type_label} ${o.value}`}>
              <span className="chip-type">{o.type_label}</span> <span className="chip-text">{o.value}</span>
            </li>
          ))}
        </ul>
        {hidden > 0 && (
          <button
            type="button"
            className="link-button similar-more"
            aria-expanded={all}
            aria-label={all ? "Show fewer shared observables" : `Show ${formatCount(hidden)} more shared observables`}
            onClick={() => setAll((v) => !v)}
          >
            {all ? "Show fewer" : `+${formatCount(hidden)}`}
          </button>
        )}
      </div>
    </li>
  );
}
