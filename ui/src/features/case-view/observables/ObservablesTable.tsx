import type { Observable } from "../../../lib/api/bindings";
import { formatCount, formatDateTime, splitDateTime } from "../../../lib/format";
import { userLabel } from "../../../components/AssigneesInput";

type Props = {
  observables: Observable[];
  onEdit: (o: Observable) => void;
  onDelete: (o: Observable) => void;
};

/** The case's observables, oldest first: type, value, description, alerts carrying it, when added, Edit / Delete. */
export function ObservablesTable({ observables, onEdit, onDelete }: Props) {
  return (
    <div className="table-wrap">
      <table className="observables-table" aria-label="Observables of this case">
        <thead>
          <tr>
            <th scope="col" className="col-type">
              Type
            </th>
            <th scope="col" className="col-value">
              Value
            </th>
            <th scope="col">Description</th>
            <th scope="col" className="col-alerts" title="How many of the case's alerts carry the value">
              Alerts
            </th>
            <th scope="col" className="col-added">
              Added
            </th>
            <th scope="col" className="col-actions">
              <span className="offscreen">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {observables.map((o) => {
            const added = splitDateTime(o.created_at);
            const name = `${o.type_label} ${o.value}`;
            return (
              <tr key={o.id}>
                <td>{o.type_label}</td>
                <td className="mono break">{o.value}</td>
                <td className="break">{o.description ?? <span className="muted">—</span>}</td>
                <td className="num">{o.alerts === null ? <span className="muted">—</span> : formatCount(o.alerts)}</td>
                <td title={`${formatDateTime(o.created_at)} by ${userLabel(o.created_by, o.created_by.username)}`}>
                  {added ? added.date : o.created_at}
                </td>
                <td className="row-actions">
                  <button type="button" className="button subtle small" aria-label={`Edit ${name}`} onClick={() => onEdit(o)}>
                    Edit
                  </button>
                  <button type="button" className="button subtle small" aria-label={`Delete ${name}`} onClick={() => onDelete(o)}>
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
