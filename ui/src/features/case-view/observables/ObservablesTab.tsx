import { useEffect, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Case, Observable } from "../../../lib/api/bindings";
import { ApiError, getConfiguration, leftOutObservables, listObservables, observableTypes } from "../../../lib/api/client";
import { formatCount } from "../../../lib/format";
import { MAX_OBSERVABLES_PER_CASE } from "../../../lib/limits";
import { queryKeys } from "../../../lib/queryKeys";
import { AddObservableForm } from "./AddObservableForm";
import { DeleteObservableDialog } from "./DeleteObservableDialog";
import { EditObservableDialog } from "./EditObservableDialog";
import { LEFT_OUT_PER_PAGE, LeftOutObservables } from "./LeftOutObservables";
import { ObservablesTable } from "./ObservablesTable";
import "./observables.css";

/**
 * Kibana's Observables tab: the indicators of the case (IPs, hosts, hashes…), added by hand or
 * taken from its alerts; cases sharing one are its similar cases.
 */
export function ObservablesTab({ space, current }: { space: string; current: Case }) {
  const list = useQuery({ queryKey: queryKeys.observables(space, current.id), queryFn: () => listObservables(current.id) });
  const types = useQuery({ queryKey: queryKeys.observableTypes(space), queryFn: () => observableTypes(space) });
  const config = useQuery({ queryKey: queryKeys.configuration(space), queryFn: () => getConfiguration(space) });
  const [leftOutPage, setLeftOutPage] = useState(1);
  const leftOut = useQuery({
    queryKey: queryKeys.leftOutObservables(space, current.id, leftOutPage),
    queryFn: () => leftOutObservables(current.id, leftOutPage, LEFT_OUT_PER_PAGE),
    placeholderData: keepPreviousData,
  });
  // Promoting the last value of the last page leaves it empty: show the new last page.
  useEffect(() => {
    const d = leftOut.data;
    if (d && d.values.length === 0 && d.total > 0 && leftOutPage > 1) setLeftOutPage(Math.ceil(d.total / LEFT_OUT_PER_PAGE));
  }, [leftOut.data, leftOutPage]);
  const [view, setView] = useState<"case" | "left-out">("case");
  const [editing, setEditing] = useState<Observable | null>(null);
  const [deleting, setDeleting] = useState<Observable | null>(null);
  const observables = list.data ?? [];
  const error = list.error ?? types.error ?? leftOut.error;
  const leftOutTotal = leftOut.data?.total ?? 0;
  // Once no value is left out (the last one promoted, the cap raised) the case's list shows again.
  const showLeftOut = view === "left-out" && leftOut.data !== undefined && leftOutTotal > 0;

  return (
    <section className="panel observables-tab" aria-labelledby="observables-heading">
      <div className="panel-header">
        <h2 id="observables-heading">Observables</h2>
        <span className="hint">
          Indicators of this case. Other cases of the space holding the same type and value show under Similar cases.
        </span>
      </div>
      {error && (
        <div className="banner error" role="alert">
          The observables could not be loaded: {ApiError.from(error).message}{" "}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              void list.refetch();
              void types.refetch();
              void leftOut.refetch();
            }}
          >
            Retry
          </button>
        </div>
      )}
      {leftOutTotal > 0 && (
        <div className="segmented observables-views" role="group" aria-label="Show">
          <button type="button" className="segment" aria-pressed={!showLeftOut} onClick={() => setView("case")}>
            In the case ({formatCount(observables.length)})
          </button>
          <button
            type="button"
            className="segment"
            aria-pressed={showLeftOut}
            title="Values from the alerts that the space's cap on observables left out"
            onClick={() => setView("left-out")}
          >
            Left out ({formatCount(leftOutTotal)})
          </button>
        </div>
      )}
      {showLeftOut && leftOut.data ? (
        <LeftOutObservables space={space} caseId={current.id} data={leftOut.data} page={leftOutPage} onPage={setLeftOutPage} />
      ) : (
        <>
          <AddObservableForm
            space={space}
            caseId={current.id}
            types={types.data ?? []}
            count={list.data?.length ?? current.total_observables}
            cap={config.data?.max_observables ?? MAX_OBSERVABLES_PER_CASE}
          />
          {list.isPending ? (
            <p className="muted" role="status">
              Loading observables…
            </p>
          ) : observables.length === 0 ? (
            <p className="muted">
              No observables yet. Add one above, or attach alerts: their IPs, hosts, domains, hashes and the like are
              added when the case extracts observables.
            </p>
          ) : (
            <ObservablesTable observables={observables} onEdit={setEditing} onDelete={setDeleting} />
          )}
        </>
      )}
      {editing && (
        <EditObservableDialog
          space={space}
          caseId={current.id}
          observable={editing}
          types={types.data ?? []}
          onClose={() => setEditing(null)}
        />
      )}
      {deleting && <DeleteObservableDialog space={space} caseId={current.id} observable={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}
