import { useEffect, useReducer, useRef, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Case } from "../../lib/api/bindings";
import { ApiError, findCases } from "../../lib/api/client";
import { useHotkeys } from "../../lib/hooks";
import { queryKeys } from "../../lib/queryKeys";
import { CasesMetrics } from "./CasesMetrics";
import { CasesTable, Pagination } from "./CasesTable";
import { CasesToolbar } from "./CasesToolbar";
import { CreateCaseDialog } from "./CreateCaseDialog";
import { SORT_LABEL } from "./labels";
import { hasFilters, loadTableState, saveTableState, tableReducer, toFindQuery } from "./tableState";

/** The home page (Kibana's all-cases list): metrics, search and filters, the table. */
export function CasesPage({ space }: { space: string }) {
  const [state, dispatch] = useReducer(tableReducer, undefined, () => loadTableState());
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => saveTableState(state), [state]);

  const query = toFindQuery(space, state);
  const list = useQuery({
    queryKey: queryKeys.find(query),
    queryFn: () => findCases(query),
    placeholderData: keepPreviousData,
  });
  const result = list.data;

  // The list shrank under us (deleted elsewhere): step back to the last page that has cases.
  useEffect(() => {
    if (result && result.cases.length === 0 && result.total > 0 && state.page > 1) {
      dispatch({ type: "page", page: Math.ceil(result.total / state.perPage) });
    }
  }, [result, state.page, state.perPage]);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 6000);
    return () => clearTimeout(t);
  }, [notice]);

  useHotkeys({
    c: () => setCreating(true),
    "/": () => searchRef.current?.focus(),
  });

  const onCreated = (c: Case) => {
    setCreating(false);
    setNotice(`Case “${c.title}” created${c.incremental_id !== null ? ` as #${c.incremental_id}` : ""}.`);
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
        <CasesTable cases={result.cases} state={state} dispatch={dispatch} busy={list.isFetching} />
        <Pagination state={state} dispatch={dispatch} total={result.total} />
      </>
    );
  }

  return (
    <div className="cases-page">
      <div className="page-header">
        <div>
          <h1>Cases</h1>
          <p className="hint">
            Space <strong>{space}</strong>
          </p>
        </div>
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
      <CasesMetrics space={space} />
      <CasesToolbar state={state} dispatch={dispatch} result={result} searchRef={searchRef} />
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
          <div className="toast" role="status">
            {notice}
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
              ×
            </button>
          </div>
        )}
      </div>
      {creating && <CreateCaseDialog space={space} onClose={() => setCreating(false)} onCreated={onCreated} />}
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
