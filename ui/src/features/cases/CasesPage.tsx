import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { RowSelectionState } from "@tanstack/react-table";
import type { Case } from "../../lib/api/bindings";
import { ApiError, findCases, severityCounts } from "../../lib/api/client";
import { formatCount } from "../../lib/format";
import { useHotkeys } from "../../components/hotkeys";
import { queryKeys } from "../../lib/queryKeys";
import { navigate } from "../../lib/route";
import { BulkActionsBar } from "./BulkActionsBar";
import { BulkProgressDialog } from "./BulkProgressDialog";
import { CasesMetrics } from "./CasesMetrics";
import { CasesTable, Pagination } from "./CasesTable";
import { CasesToolbar } from "./CasesToolbar";
import { loadColumnPrefs, saveColumnPrefs, toggleColumn, type ColumnPrefs } from "./columnPrefs";
import { ColumnsMenu } from "./ColumnsMenu";
import { CreateCaseDialog } from "./CreateCaseDialog";
import { SORT_LABEL } from "../../components/labels";
import { hasFilters, loadTableState, saveTableState, tableReducer, toFindQuery } from "./tableState";
import { useBulkActions, type Notice } from "./useBulkActions";
import { useBulkRun } from "./useBulkRun";
import { useMatchingSelection } from "./useMatchingSelection";
import { SelectAllMatchingBanner } from "./SelectAllMatchingBanner";
import { useFilterOptions } from "./useFilterOptions";
import "./cases.css";

/** The home page (Kibana's all-cases list): metrics, search and filters, the table. */
export function CasesPage({ space }: { space: string }) {
  const [state, dispatch] = useReducer(tableReducer, undefined, () => loadTableState());
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [columnPrefs, setColumnPrefs] = useState<ColumnPrefs>(() => loadColumnPrefs());
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [fitted, setFitted] = useState<string[]>([]);
  const onFitted = useCallback((d: string[]) => setFitted((p) => (p.join(",") === d.join(",") ? p : d)), []);
  const searchRef = useRef<HTMLInputElement>(null);
  const options = useFilterOptions(space);

  useEffect(() => saveTableState(state), [state]);
  useEffect(() => saveColumnPrefs(columnPrefs), [columnPrefs]);

  const query = toFindQuery(space, state, options.toggleKeys);
  const list = useQuery({
    queryKey: queryKeys.find(query),
    queryFn: () => findCases(query),
    placeholderData: keepPreviousData,
    // A toggle filter must wait for the space's fields: the core refuses one on a removed field.
    enabled: Object.keys(state.toggles).length === 0 || options.configurationSettled,
  });
  const result = list.data;
  // Beside the severity filter, as the status counts are beside the status filter.
  const severityQuery = { ...query, severity: [], sort_field: undefined, page: 1, per_page: 1 };
  const severities = useQuery({
    queryKey: queryKeys.severityCounts(severityQuery),
    queryFn: () => severityCounts(severityQuery),
    placeholderData: keepPreviousData,
    enabled: Object.keys(state.toggles).length === 0 || options.configurationSettled,
  });

  // A selection belongs to one page of one query: another page or filter starts afresh.
  const queryId = JSON.stringify(query);
  const all = useMatchingSelection(query);
  const clearMatching = all.clear;
  useEffect(() => {
    setSelection({});
    clearMatching();
  }, [queryId, clearMatching]);
  const selected = (result?.cases ?? []).filter((c) => selection[c.id]);
  const pageSelected = result !== undefined && result.cases.length > 0 && selected.length === result.cases.length;

  const notify = useCallback((n: Notice) => setNotice(n), []);
  const clearSelection = useCallback(() => {
    setSelection({});
    clearMatching();
  }, [clearMatching]);
  const bulk = useBulkActions(space, notify, clearSelection);
  const run = useBulkRun(space, clearSelection);
  // Unticking a row leaves "all matching" (not while a run is under way: its dialog needs it).
  useEffect(() => {
    if (all.matching && !pageSelected && !run.state) clearMatching();
  }, [all.matching, pageSelected, run.state, clearMatching]);

  // The list shrank under us (deleted elsewhere): step back to the last page that has cases.
  useEffect(() => {
    if (result && result.cases.length === 0 && result.total > 0 && state.page > 1) {
      dispatch({ type: "page", page: Math.ceil(result.total / state.perPage) });
    }
  }, [result, state.page, state.perPage]);

  useEffect(() => {
    if (!notice) return;
    // Errors stay longer: they ask the user to do something.
    const t = setTimeout(() => setNotice(null), notice.kind === "error" ? 15000 : 6000);
    return () => clearTimeout(t);
  }, [notice]);

  useHotkeys({
    c: () => setCreating(true),
    "/": () => searchRef.current?.focus(),
    Escape: clearSelection,
  });

  // The new case opens, as in Kibana: the next step (alerts, a comment, a push) is made there;
  // "← All cases" and Back lead here again.
  const onCreated = (c: Case) => {
    setCreating(false);
    navigate({ page: "case", id: c.id });
  };

  const filtered = hasFilters(state);
  const error = list.error ? ApiError.from(list.error) : null;

  let body;
  if (list.isPending) {
    body = (
      <div className="state-panel" role="status">
        <span className="spinner" aria-hidden="true" /> Loading cases…
      </div>
    );
  } else if (error && !result) {
    body = <ErrorPanel error={error} onRetry={() => void list.refetch()} />;
  } else if (result && result.total === 0) {
    body = filtered ? (
      <div className="state-panel">
        <h2>No cases match</h2>
        <p>Nothing in this space matches the search and filters.</p>
        <button type="button" className="button" onClick={() => dispatch({ type: "clearFilters" })}>
          Clear filters
        </button>
      </div>
    ) : (
      <div className="state-panel empty">
        <h2>No cases yet — create your first case</h2>
        <p>
          A case collects what you know about an investigation: a description in Markdown, tags, severity, comments
          and the alerts it concerns. Cases created with the <code>casebook</code> command line show up here too.
        </p>
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          Create case
        </button>
        <p className="hint">
          or press <kbd>C</kbd>
        </p>
      </div>
    );
  } else if (result) {
    body = (
      <>
        {error && (
          <div className="banner error" role="alert">
            Could not refresh the list: {error.message}{" "}
            <button type="button" className="link-button" onClick={() => void list.refetch()}>
              Retry
            </button>
          </div>
        )}
        <div className="table-bar">
          {selected.length > 0 || all.matching ? (
            <BulkActionsBar
              selected={selected}
              matching={all.matching}
              actions={bulk}
              run={run}
              people={options.people}
              tagSuggestions={options.tags.options.map((o) => o.value)}
              notify={notify}
              onClearSelection={clearSelection}
            />
          ) : (
            <span className="hint table-count">
              {formatCount(result.total)} {result.total === 1 ? "case" : "cases"}
              {filtered && (
                <>
                  {" "}
                  match ·{" "}
                  {/* Beside the count, as Kibana's utility bar has it, so the filters keep one row. */}
                  <button type="button" className="link-button" onClick={() => dispatch({ type: "clearFilters" })}>
                    Clear filters
                  </button>
                </>
              )}
              {result.cases.length > 0 && " — tick rows to change several at once"}
            </span>
          )}
          <ColumnsMenu
            prefs={columnPrefs}
            state={state}
            fitted={fitted}
            customFields={options.customFields}
            // A column hidden for want of room comes back as the user's explicit choice.
            onToggle={(id) => setColumnPrefs((p) => (fitted.includes(id) ? { ...p, [id]: true } : toggleColumn(p, id, state)))}
            onReset={() => setColumnPrefs({})}
          />
        </div>
        {((pageSelected && result.total > result.cases.length) || all.matching) && (
          <SelectAllMatchingBanner
            onPage={result.cases.length}
            total={result.total}
            selectedAll={all.matching?.total ?? null}
            pending={all.pending}
            error={all.error}
            onSelectAll={() => void all.select()}
            onClear={clearSelection}
          />
        )}
        <CasesTable
          cases={result.cases}
          state={state}
          dispatch={dispatch}
          busy={list.isFetching}
          customFields={options.customFields}
          users={options.users}
          columnPrefs={columnPrefs}
          onFitted={onFitted}
          selection={selection}
          onSelectionChange={setSelection}
          notify={notify}
        />
        <Pagination state={state} dispatch={dispatch} total={result.total} />
      </>
    );
  }

  return (
    <div className="cases-page">
      <div className="page-header">
        <div className="page-title">
          <h1>Cases</h1>
          <p className="hint">
            Space <strong>{space}</strong>
          </p>
        </div>
        <div className="page-header-actions">
          <button
            type="button"
            className="button primary"
            onClick={() => setCreating(true)}
            aria-keyshortcuts="c"
            title="Create case (C)"
          >
            Create case
          </button>
        </div>
      </div>
      <CasesMetrics space={space} />
      <CasesToolbar
        state={state}
        dispatch={dispatch}
        result={result}
        severityCounts={severities.data}
        searchRef={searchRef}
        options={options}
      />
      {state.search.trim() !== "" && (
        <p className="hint sort-note">
          {state.sortField === null ? (
            "Best matches first."
          ) : (
            <>
              Sorted by {SORT_LABEL[state.sortField].toLowerCase()}.{" "}
              <button type="button" className="link-button" onClick={() => dispatch({ type: "resetSort" })}>
                Best matches first
              </button>
            </>
          )}
        </p>
      )}
      <section aria-label="Cases" className="cases-body">
        {body}
      </section>
      <div className="toast-region" aria-live="polite">
        {notice && (
          <div className={`toast ${notice.kind === "error" ? "toast-error" : ""}`.trim()} role={notice.kind === "error" ? "alert" : "status"}>
            {notice.text}
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
              ×
            </button>
          </div>
        )}
      </div>
      {run.state && <BulkProgressDialog run={run.state} onStop={run.stop} onClose={run.close} />}
      {creating && (
        <CreateCaseDialog
          space={space}
          onClose={() => setCreating(false)}
          onCreated={onCreated}
        />
      )}
    </div>
  );
}

function ErrorPanel({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  return (
    <div className="state-panel error" role="alert">
      <h2>Cases could not be loaded</h2>
      <p className="error-message">{error.message}</p>
      <p className="hint">
        Error code <code>{error.code}</code>
        {error.code === "busy" && " — another program held the database; it usually frees up in a moment."}
      </p>
      <button type="button" className="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
