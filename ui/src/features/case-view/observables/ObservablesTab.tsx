import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { Case, Observable } from "../../../lib/api/bindings";
import { ApiError, listObservables, observableTypes } from "../../../lib/api/client";
import { queryKeys } from "../../../lib/queryKeys";
import { AddObservableForm } from "./AddObservableForm";
import { DeleteObservableDialog } from "./DeleteObservableDialog";
import { EditObservableDialog } from "./EditObservableDialog";
import { ObservablesTable } from "./ObservablesTable";
import "./observables.css";

/**
 * Kibana's Observables tab: the indicators of the case (IPs, hosts, hashes…), added by hand or
 * taken from its alerts; cases sharing one are its similar cases.
 */
export function ObservablesTab({ space, current }: { space: string; current: Case }) {
  const list = useQuery({ queryKey: queryKeys.observables(space, current.id), queryFn: () => listObservables(current.id) });
  const types = useQuery({ queryKey: queryKeys.observableTypes(space), queryFn: () => observableTypes(space) });
  const [editing, setEditing] = useState<Observable | null>(null);
  const [deleting, setDeleting] = useState<Observable | null>(null);
  const observables = list.data ?? [];
  const error = list.error ?? types.error;

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
            }}
          >
            Retry
          </button>
        </div>
      )}
      <AddObservableForm space={space} caseId={current.id} types={types.data ?? []} count={list.data?.length ?? current.total_observables} />
      {list.isPending ? (
        <p className="muted" role="status">
          Loading observables…
        </p>
      ) : observables.length === 0 ? (
        <p className="muted">
          No observables yet. Add one above, or attach alerts: their IPs, hosts, domains, hashes and the like are added
          when the case extracts observables.
        </p>
      ) : (
        <ObservablesTable observables={observables} onEdit={setEditing} onDelete={setDeleting} />
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
