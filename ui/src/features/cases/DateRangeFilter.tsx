import { useState } from "react";
import type { DateField } from "../../lib/api/bindings";
import { Popover } from "./Popover";
import {
  DATE_FIELD_LABEL,
  QUICK_RANGES,
  customRangeProblem,
  rangeLabel,
  type DateRange,
} from "./dateRange";

type Props = {
  field: DateField;
  range: DateRange | null;
  onField: (field: DateField) => void;
  onRange: (range: DateRange | null) => void;
};

const FIELDS: DateField[] = ["created_at", "updated_at"];

/**
 * "Created: Last 7 days" — the time a case was created or last updated, quick or custom. With
 * no range the button reads "Created" like the other filters' names; its accessible name still
 * says "any time".
 */
export function DateRangeFilter({ field, range, onField, onRange }: Props) {
  const name = `${DATE_FIELD_LABEL[field]}: ${range ? rangeLabel(range) : "any time"}`;
  const shown = range ? name : DATE_FIELD_LABEL[field];
  return (
    <Popover
      buttonClassName={`button filter-button ${range ? "active" : ""}`.trim()}
      ariaLabel={`Date range: ${name}`}
      label={
        <>
          <span className="date-filter-label" title={name}>
            {shown}
          </span>
          <span className="caret" aria-hidden="true">
            ▾
          </span>
        </>
      }
      panelClassName="filter-panel date-panel"
    >
      {(close) => <DatePanel field={field} range={range} onField={onField} onRange={onRange} close={close} />}
    </Popover>
  );
}

function DatePanel({ field, range, onField, onRange, close }: Props & { close: () => void }) {
  const custom = range && !("quick" in range) ? range : null;
  const [from, setFrom] = useState(custom?.from ?? "");
  const [to, setTo] = useState(custom?.to ?? "");
  const [tried, setTried] = useState(false);
  const problem = customRangeProblem(from, to);

  const apply = () => {
    setTried(true);
    if (problem) return;
    onRange({ from: from || null, to: to || null });
    close();
  };

  return (
    <div className="date-picker">
      <div className="segmented date-field" role="group" aria-label="Date field">
        {FIELDS.map((f) => (
          <button key={f} type="button" className="segment" aria-pressed={field === f} onClick={() => onField(f)}>
            {DATE_FIELD_LABEL[f]}
          </button>
        ))}
      </div>
      <p className="date-section">Commonly used</p>
      <ul className="quick-ranges" aria-label="Quick ranges">
        {QUICK_RANGES.map((q) => (
          <li key={q.id}>
            <button
              type="button"
              className="link-button"
              aria-pressed={range !== null && "quick" in range && range.quick === q.id}
              onClick={() => {
                onRange({ quick: q.id });
                close();
              }}
            >
              {q.label}
            </button>
          </li>
        ))}
      </ul>
      <p className="date-section">Custom days</p>
      <div className="custom-range">
        <label>
          From
          <input type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      {tried && problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <div className="filter-footer">
        {range ? (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              onRange(null);
              close();
            }}
          >
            Any time
          </button>
        ) : (
          <span />
        )}
        <button type="button" className="button" onClick={apply}>
          Apply
        </button>
      </div>
    </div>
  );
}
