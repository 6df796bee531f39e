import { useEffect, useRef, useState, type Dispatch, type RefObject } from "react";
import type { FindResult, Severity, SeverityCounts, SlaFilter, Status } from "../../lib/api/bindings";
import { formatCount } from "../../lib/format";
import { useDebounced } from "../../lib/hooks";
import { searchHints, searchProblem } from "../../lib/search";
import { SEVERITY_LABEL, STATUS_LABEL } from "../../components/labels";
import { DateRangeFilter } from "./DateRangeFilter";
import { ListFilterPopover } from "./ListFilterPopover";
import { SEVERITIES, STATUSES, type CasesTableState, type ListFilter, type TableAction } from "./tableState";
import { ToggleFieldsFilter } from "./ToggleFieldsFilter";
import type { FilterOptions } from "./useFilterOptions";

export const SEARCH_DEBOUNCE_MS = 300;

type Props = {
  state: CasesTableState;
  dispatch: Dispatch<TableAction>;
  result: FindResult | undefined;
  /** Cases per severity for the other filters; undefined while loading. */
  severityCounts: SeverityCounts | undefined;
  searchRef: RefObject<HTMLInputElement | null>;
  options: FilterOptions;
};

type ListFilterUi = { filter: ListFilter; label: string; emptyText: string };

/** Shown in the filter row. */
const MAIN_FILTERS: ListFilterUi[] = [
  { filter: "tags", label: "Tags", emptyText: "No tags in this space yet." },
  { filter: "assignees", label: "Assignees", emptyText: "No users yet." },
];
/** Behind "More filters" until opened or in use: Kibana's less used filters. */
const MORE_FILTERS: ListFilterUi[] = [
  { filter: "reporters", label: "Reporter", emptyText: "No cases, so no reporters yet." },
  { filter: "category", label: "Category", emptyText: "No categories in this space yet." },
];

const OPTIONS_OF: Record<ListFilter, "tags" | "assignees" | "reporters" | "categories"> = {
  tags: "tags",
  assignees: "assignees",
  reporters: "reporters",
  category: "categories",
};

export function CasesToolbar({ state, dispatch, result, severityCounts, searchRef, options }: Props) {
  const [more, setMore] = useState(false);
  const moreInUse =
    state.reporters.length + state.category.length + Object.keys(state.toggles).length + (state.sla ? 1 : 0);
  const showMore = more || moreInUse > 0;
  const listFilter = ({ filter, label, emptyText }: ListFilterUi) => {
    const o = options[OPTIONS_OF[filter]];
    return (
      <ListFilterPopover
        key={filter}
        label={label}
        options={o.options}
        loading={o.loading}
        error={o.error}
        emptyText={emptyText}
        selected={state[filter]}
        onToggle={(value) => dispatch({ type: "toggleValue", filter, value })}
        onClear={() => dispatch({ type: "clearList", filter })}
      />
    );
  };
  return (
    <div className="toolbar">
      <SearchBox value={state.search} onSearch={(search) => dispatch({ type: "search", search })} inputRef={searchRef} />
      <div className="filters" role="group" aria-label="Filters">
        <StatusFilter selected={state.status} result={result} onToggle={(status) => dispatch({ type: "toggleStatus", status })} />
        <SeverityFilter
          selected={state.severity}
          counts={severityCounts}
          onToggle={(severity) => dispatch({ type: "toggleSeverity", severity })}
        />
        {MAIN_FILTERS.map(listFilter)}
        <DateRangeFilter
          field={state.dateField}
          range={state.dateRange}
          onField={(field) => dispatch({ type: "dateField", field })}
          onRange={(range) => dispatch({ type: "dateRange", range })}
        />
        {showMore && MORE_FILTERS.map(listFilter)}
        {showMore && (options.toggleFields.length > 0 || Object.keys(state.toggles).length > 0) && (
          <ToggleFieldsFilter
            fields={options.toggleFields}
            value={state.toggles}
            onChange={(key, value) => dispatch({ type: "setToggle", key, value })}
          />
        )}
        {showMore && (
          <select
              aria-label="SLA"
              className={`filter-select ${state.sla ? "active" : ""}`.trim()}
              value={state.sla ?? ""}
              onChange={(e) => dispatch({ type: "sla", sla: e.target.value === "" ? null : (e.target.value as SlaFilter) })}
            >
              <option value="">SLA: any</option>
              <option value="breaching">SLA: breaching</option>
              <option value="at_risk">SLA: at risk</option>
          </select>
        )}
        {moreInUse === 0 && (
          <button type="button" className="button subtle" aria-expanded={more} onClick={() => setMore(!more)}>
            {more ? "Fewer filters" : "More filters"}
          </button>
        )}
      </div>
    </div>
  );
}

function SearchBox({
  value,
  onSearch,
  inputRef,
}: {
  value: string;
  onSearch: (v: string) => void;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  const [text, setText] = useState(value);
  const debounced = useDebounced(text, SEARCH_DEBOUNCE_MS);
  const lastSent = useRef(value);

  // The state changed from outside (Clear filters, another tab of the list): follow it.
  useEffect(() => {
    if (value !== lastSent.current) {
      lastSent.current = value;
      setText(value);
    }
  }, [value]);

  useEffect(() => {
    // The core refuses an over-long search: keep showing the last results and the problem.
    if (debounced !== lastSent.current && !searchProblem(debounced)) {
      lastSent.current = debounced;
      onSearch(debounced);
    }
  }, [debounced, onSearch]);

  const send = (v: string) => {
    if (searchProblem(v)) return;
    lastSent.current = v;
    onSearch(v);
  };
  const hints = searchHints(text);
  const problem = searchProblem(text);

  return (
    <div className="search">
      <div className="search-field">
        <span className="search-icon" aria-hidden="true">
          ⌕
        </span>
        <input
          ref={inputRef}
          id="case-search"
          type="search"
          placeholder="Search: words, “phrases”, prefix*, #12 or a case ID"
          aria-label="Search cases"
          aria-describedby="case-search-hints"
          aria-keyshortcuts="/"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") send(text);
            if (e.key === "Escape" && text !== "") {
              e.preventDefault();
              setText("");
              send("");
            } else if (e.key === "Escape") {
              // Nothing to clear: leave the box, so "c" and "/" work again without the mouse.
              e.currentTarget.blur();
            }
          }}
        />
        <kbd className="search-kbd" aria-hidden="true">
          /
        </kbd>
      </div>
      <div id="case-search-hints" className="search-hints" aria-live="polite">
        {problem ? (
          <span className="field-error">{problem}</span>
        ) : (
          hints.length > 0 && (
            <>
              <span className="hint">Finding:</span>
              {hints.map((h, i) => (
                <span key={`${h.kind}-${i}`} className={`chip chip-${h.kind}`}>
                  {h.label}
                </span>
              ))}
            </>
          )
        )}
      </div>
    </div>
  );
}

function StatusFilter({
  selected,
  result,
  onToggle,
}: {
  selected: Status[];
  result: FindResult | undefined;
  onToggle: (s: Status) => void;
}) {
  const counts: Record<Status, number | undefined> = {
    open: result?.count_open_cases,
    "in-progress": result?.count_in_progress_cases,
    closed: result?.count_closed_cases,
  };
  return (
    <div className="segmented" role="group" aria-label="Status">
      <span className="segmented-label">Status</span>
      {STATUSES.map((s) => (
        <button
          key={s}
          type="button"
          className={`segment status-filter-${s}`}
          aria-pressed={selected.includes(s)}
          onClick={() => onToggle(s)}
        >
          {STATUS_LABEL[s]}
          <span className="count">{counts[s] === undefined ? "" : formatCount(counts[s])}</span>
        </button>
      ))}
    </div>
  );
}

function SeverityFilter({
  selected,
  counts,
  onToggle,
}: {
  selected: Severity[];
  counts: SeverityCounts | undefined;
  onToggle: (s: Severity) => void;
}) {
  return (
    <div className="segmented" role="group" aria-label="Severity">
      <span className="segmented-label">Severity</span>
      {SEVERITIES.map((s) => (
        <button
          key={s}
          type="button"
          className={`segment severity-filter-${s}`}
          aria-pressed={selected.includes(s)}
          onClick={() => onToggle(s)}
        >
          <span className={`severity-dot severity-${s}`} aria-hidden="true" />
          {SEVERITY_LABEL[s]}
          <span className="count">{counts === undefined ? "" : formatCount(counts[s])}</span>
        </button>
      ))}
    </div>
  );
}
