import { useState } from "react";
import { MAX_FILTER_VALUES } from "../../lib/limits";
import { Popover } from "./Popover";

export type FilterOption = { value: string; label: string; hint?: string };

type Props = {
  label: string;
  options: FilterOption[];
  selected: string[];
  onToggle: (value: string) => void;
  onClear: () => void;
  /** What to say when there is nothing to pick ("No tags in this space yet."). */
  emptyText: string;
  loading?: boolean;
  error?: string | null;
};

/** Above this many options the panel gets a box to narrow them. */
const SEARCHABLE_FROM = 8;

/** A toolbar button ("Tags 2") opening a checklist of values; any of them matches. */
export function ListFilterPopover({ label, options, selected, onToggle, onClear, emptyText, loading, error }: Props) {
  const [needle, setNeedle] = useState("");
  // Values picked earlier but gone from the list (a tag no longer used) stay, so they can be unpicked.
  const known = new Set(options.map((o) => o.value));
  const all: FilterOption[] = [...options, ...selected.filter((v) => !known.has(v)).map((v) => ({ value: v, label: v }))];
  const n = needle.trim().toLowerCase();
  const shown = n ? all.filter((o) => o.label.toLowerCase().includes(n) || o.value.toLowerCase().includes(n)) : all;
  const full = selected.length >= MAX_FILTER_VALUES;

  return (
    <Popover
      buttonClassName={`button filter-button ${selected.length > 0 ? "active" : ""}`.trim()}
      ariaLabel={selected.length > 0 ? `${label}: ${selected.length} selected` : label}
      label={
        <>
          {label}
          {selected.length > 0 && <span className="filter-count">{selected.length}</span>}
          <span className="caret" aria-hidden="true">
            ▾
          </span>
        </>
      }
      panelClassName="filter-panel"
    >
      {() => (
        <>
          {all.length >= SEARCHABLE_FROM && (
            <input
              type="search"
              className="filter-search"
              placeholder={`Find ${label.toLowerCase()}`}
              aria-label={`Find ${label.toLowerCase()}`}
              value={needle}
              onChange={(e) => setNeedle(e.target.value)}
            />
          )}
          {loading && all.length === 0 ? (
            <p className="hint filter-note">Loading…</p>
          ) : error ? (
            <p className="field-error filter-note">{error}</p>
          ) : all.length === 0 ? (
            <p className="hint filter-note">{emptyText}</p>
          ) : shown.length === 0 ? (
            <p className="hint filter-note">Nothing matches “{needle.trim()}”.</p>
          ) : (
            <ul className="checklist">
              {shown.map((o) => {
                const on = selected.includes(o.value);
                return (
                  <li key={o.value}>
                    <label className={!on && full ? "disabled" : undefined}>
                      <input type="checkbox" checked={on} disabled={!on && full} onChange={() => onToggle(o.value)} />
                      <span className="checklist-label">{o.label}</span>
                      {o.hint && <span className="muted checklist-hint">{o.hint}</span>}
                    </label>
                  </li>
                );
              })}
            </ul>
          )}
          <div className="filter-footer">
            <span className="hint">
              {full ? `At most ${MAX_FILTER_VALUES} selected.` : selected.length > 0 ? `${selected.length} selected — any matches` : ""}
            </span>
            {selected.length > 0 && (
              <button type="button" className="link-button" onClick={onClear}>
                Clear
              </button>
            )}
          </div>
        </>
      )}
    </Popover>
  );
}
