import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RowSelectionState } from "@tanstack/react-table";
import type { AlertImportReport, Case } from "../../../lib/api/bindings";
import { ApiError, alertOverview, listAlerts } from "../../../lib/api/client";
import { fileName, pickAlertFile } from "../../../lib/files";
import { formatCount } from "../../../lib/format";
import { useDebounced } from "../../../lib/hooks";
import { queryKeys } from "../../../lib/queryKeys";
import { routeHref } from "../../../lib/route";
import { useAlertSource } from "../../alert-source/useAlertSource";
import { Pager } from "../Pager";
import { AlertDetailPanel } from "./AlertDetailPanel";
import { AlertFilters } from "./AlertFilters";
import { AlertsEmptyState } from "./AlertsEmptyState";
import { AlertsTable } from "./AlertsTable";
import { ALERTS_PER_PAGE, DEFAULT_VIEW, hasFilters, ruleCounts, toAlertQuery, viewReducer } from "./alertsView";
import { ImportFailure } from "./ImportFailure";
import { ImportProgress } from "./ImportProgress";
import { ImportReport } from "./ImportReport";
import { RemoveAlertsDialog } from "./RemoveAlertsDialog";
import { SourceSearchDialog } from "./SourceSearchDialog";
import { StatusSyncNotice } from "./StatusSyncNotice";
import type { AlertImport } from "./useAlertImport";
import { useFileDrop } from "./useFileDrop";
import "./alerts.css";

type Props = {
  space: string;
  current: Case;
  imports: AlertImport;
};

/** What the Alerts tab says of "Search Elasticsearch…" until a source is set. */
export const NO_SOURCE_TITLE = "Set an Elasticsearch source in Settings first";

/**
 * The case's alerts: attach them from a file (button or drop) or from a search of the space's
 * Elasticsearch, see the import through, then browse them grouped by rule or sorted, filter,
 * open one, remove some.
 */
export function AlertsTab({ space, current, imports }: Props) {
  const zone = useRef<HTMLElement>(null);
  const [view, dispatch] = useReducer(viewReducer, DEFAULT_VIEW);
  const search = useDebounced(view.search, 300);
  const query = toAlertQuery(view, search);
  const overview = useQuery({ queryKey: queryKeys.alertOverview(space, current.id), queryFn: () => alertOverview(current.id) });
  const list = useQuery({
    queryKey: queryKeys.alerts(space, current.id, query),
    queryFn: () => listAlerts(current.id, query),
    placeholderData: keepPreviousData,
  });
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [openId, setOpenId] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const source = useAlertSource(space);
  const [searching, setSearching] = useState(false);
  const [sourceReport, setSourceReport] = useState<AlertImportReport | null>(null);

  // A new page, sort or filter: the selection was of rows no longer shown.
  const queryText = JSON.stringify(query);
  useEffect(() => setSelection({}), [queryText]);

  // Removing the last alerts of the last page: step back to a page that has some.
  const page = list.data;
  useEffect(() => {
    if (page && page.alerts.length === 0 && page.total > 0 && view.page > 1) {
      dispatch({ type: "page", page: Math.ceil(page.total / ALERTS_PER_PAGE) });
    }
  }, [page, view.page]);

  const running = imports.state.kind === "running";
  const start = imports.start;
  const importPaths = useCallback(
    (paths: string[]) => {
      if (running) {
        setNote("An import is already running: wait for it to finish, or cancel it, then drop the file again.");
        return;
      }
      setNote(paths.length > 1 ? `One file at a time: only ${fileName(paths[0])} is being attached.` : null);
      start(paths[0]);
    },
    [running, start],
  );
  const dragging = useFileDrop(zone, importPaths);

  const attach = async () => {
    setNote(null);
    try {
      const path = await pickAlertFile();
      if (path) importPaths([path]);
    } catch (err) {
      setNote(`The file dialog could not be opened: ${ApiError.from(err).message}`);
    }
  };

  const caseTotal = overview.data?.total ?? current.total_alerts;
  const counts = ruleCounts(overview.data?.rules ?? []);
  const selected = Object.keys(selection).filter((k) => selection[k]);
  const pending = overview.data?.status_sync_pending ?? 0;
  const s = imports.state;
  const onOpen = useCallback((id: string) => setOpenId(id), []);
  const noSource = source.isSuccess && source.data === null;
  const sourceTitle = source.isError
    ? `The Elasticsearch source could not be read: ${ApiError.from(source.error).message}`
    : noSource
      ? NO_SOURCE_TITLE
      : undefined;
  const searchButton = (
    <SearchSourceButton disabled={!source.data} title={sourceTitle} onClick={() => setSearching(true)} showSettingsLink={noSource} />
  );

  return (
    <section
      ref={zone}
      className={`panel alerts-tab drop-zone${dragging ? " drag-over" : ""}`}
      aria-labelledby="alerts-heading"
    >
      <div className="panel-header">
        <h2 id="alerts-heading">Alerts</h2>
        <span className="hint drop-hint">Drop an NDJSON, JSON or CSV export here, or</span>
        <button type="button" className="button primary" onClick={() => void attach()} disabled={running}>
          Attach alerts…
        </button>
        {searchButton}
      </div>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop the file to attach its alerts to this case
        </div>
      )}

      {s.kind === "running" && (
        <ImportProgress file={s.file} progress={s.progress} cancelling={s.cancelling} onCancel={imports.cancel} />
      )}
      {s.kind === "done" && (
        <ImportReport file={s.file} report={s.report} extracting={current.settings.extract_observables} onDismiss={imports.dismiss} />
      )}
      {s.kind === "failed" && <ImportFailure file={s.file} error={s.error} onDismiss={imports.dismiss} />}
      {sourceReport && (
        <ImportReport
          file="Elasticsearch"
          report={sourceReport}
          extracting={current.settings.extract_observables}
          onDismiss={() => setSourceReport(null)}
        />
      )}
      <StatusSyncNotice pending={pending} />
      {note && (
        <p className="banner warning" role="alert">
          {note}
        </p>
      )}

      {caseTotal === 0 && !hasFilters(view) && !list.isFetching ? (
        <AlertsEmptyState onAttach={() => void attach()} busy={running} search={searchButton} />
      ) : (
        <>
          <AlertFilters view={view} dispatch={dispatch} rules={overview.data?.rules ?? []} />
          {selected.length > 0 && (
            <div className="bulk-bar" role="region" aria-label="Selected alerts">
              <span>
                {formatCount(selected.length)} {selected.length === 1 ? "alert" : "alerts"} selected
              </span>
              <button type="button" className="button danger-outline small" onClick={() => setRemoving(selected)}>
                Remove from case
              </button>
              <button type="button" className="link-button" onClick={() => setSelection({})}>
                Clear selection
              </button>
            </div>
          )}
          {list.isError ? (
            <div className="banner error" role="alert">
              The alerts could not be loaded: {ApiError.from(list.error).message}{" "}
              <button type="button" className="link-button" onClick={() => void list.refetch()}>
                Retry
              </button>
            </div>
          ) : !page ? (
            <p className="muted" role="status">
              <span className="spinner" aria-hidden="true" />
              Loading alerts…
            </p>
          ) : page.alerts.length === 0 ? (
            <div className="state-panel">
              <p>No alert of this case matches these filters.</p>
              <button type="button" className="button" onClick={() => dispatch({ type: "clear" })}>
                Clear filters
              </button>
            </div>
          ) : (
            <>
              <AlertsTable
                alerts={page.alerts}
                view={view}
                dispatch={dispatch}
                busy={list.isFetching}
                ruleCounts={counts}
                selection={selection}
                onSelectionChange={setSelection}
                openId={openId}
                onOpen={onOpen}
              />
              <Pager
                label="Alert pages"
                page={view.page}
                perPage={ALERTS_PER_PAGE}
                total={page.total}
                onPage={(p) => dispatch({ type: "page", page: p })}
              />
            </>
          )}
        </>
      )}

      {searching && (
        <SourceSearchDialog
          space={space}
          caseId={current.id}
          onClose={() => setSearching(false)}
          onAttached={(report) => {
            setSearching(false);
            setSourceReport(report);
            // Counts, lists, observables and activity all changed.
            void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
          }}
        />
      )}
      {openId && <AlertDetailPanel space={space} caseId={current.id} alertId={openId} onClose={() => setOpenId(null)} />}
      {removing && (
        <RemoveAlertsDialog
          space={space}
          caseId={current.id}
          alertIds={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            setSelection({});
          }}
        />
      )}
    </section>
  );
}

/** "Search Elasticsearch…", or why it cannot be used yet and where to fix that. */
function SearchSourceButton({
  disabled,
  title,
  onClick,
  showSettingsLink,
}: {
  disabled: boolean;
  title?: string;
  onClick: () => void;
  showSettingsLink: boolean;
}) {
  return (
    <span className="source-search-action">
      <button type="button" className="button" disabled={disabled} title={title} onClick={onClick}>
        Search Elasticsearch…
      </button>
      {showSettingsLink && (
        <a className="hint" href={routeHref({ page: "settings", section: "alert-source" })}>
          Set a source in Settings
        </a>
      )}
    </span>
  );
}
