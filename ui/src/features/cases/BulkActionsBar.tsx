import { useState, type ReactNode } from "react";
import type { Case } from "../../lib/api/bindings";
import { BulkEditLabelsDialog } from "./BulkEditLabelsDialog";
import { casesNoun, type BulkChange } from "./bulk";
import { DeleteCasesDialog } from "./DeleteCasesDialog";
import { SEVERITY_LABEL, STATUS_LABEL } from "../../components/labels";
import type { FilterOption } from "./ListFilterPopover";
import { Popover } from "./Popover";
import { SEVERITIES, STATUSES } from "./tableState";
import type { Notice, useBulkActions } from "./useBulkActions";
import type { useBulkRun } from "./useBulkRun";
import type { MatchingSelection } from "./useMatchingSelection";

type Props = {
  selected: Case[];
  /** Every case of the query is selected, not only the ticked rows: changes run in batches. */
  matching: MatchingSelection | null;
  actions: ReturnType<typeof useBulkActions>;
  run: ReturnType<typeof useBulkRun>;
  people: FilterOption[];
  tagSuggestions: string[];
  notify: (n: Notice) => void;
  onClearSelection: () => void;
};

/**
 * What can be done to the selected cases at once (Kibana's bulk actions): the ticked rows in one
 * call, or every matching case in batches with progress (`matching`).
 */
export function BulkActionsBar({ selected, matching, actions, run, people, tagSuggestions, notify, onClearSelection }: Props) {
  const [dialog, setDialog] = useState<"tags" | "assignees" | "delete" | null>(null);
  const close = () => setDialog(null);
  const busy = actions.busy || run.state !== null;
  const count = matching ? matching.total : selected.length;

  const update = (change: BulkChange): Promise<string | null> => {
    if (!matching) return actions.update(selected, change);
    void run.start(matching, { kind: "update", change });
    return Promise.resolve(null);
  };
  const remove = (): Promise<string | null> => {
    if (!matching) return actions.remove(selected);
    void run.start(matching, { kind: "delete" });
    return Promise.resolve(null);
  };
  // Menu picks have no dialog to show an error in: it goes to the toast.
  const quick = async (change: BulkChange) => {
    const problem = await update(change);
    if (problem) notify({ kind: "error", text: `Nothing was changed: ${problem}` });
  };
  const inDialog = async (write: () => Promise<string | null>) => {
    const problem = await write();
    if (!problem) close();
    return problem;
  };

  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions">
      <span className="bulk-count">{casesNoun(count)} selected</span>
      <PickMenu
        label="Status"
        ariaLabel="Set status"
        options={STATUSES}
        disabled={busy}
        onPick={(status) => void quick({ kind: "status", status })}
        render={(s) => <span className={`badge status-${s}`}>{STATUS_LABEL[s]}</span>}
      />
      <PickMenu
        label="Severity"
        ariaLabel="Set severity"
        options={SEVERITIES}
        disabled={busy}
        onPick={(severity) => void quick({ kind: "severity", severity })}
        render={(s) => (
          <span className={`severity severity-${s}`}>
            <span className="severity-dot" aria-hidden="true" />
            {SEVERITY_LABEL[s]}
          </span>
        )}
      />
      <button type="button" className="button" disabled={busy} onClick={() => setDialog("tags")}>
        Edit tags
      </button>
      <button type="button" className="button" disabled={busy} onClick={() => setDialog("assignees")}>
        Edit assignees
      </button>
      <button type="button" className="button danger-outline" disabled={busy} onClick={() => setDialog("delete")}>
        Delete
      </button>
      <button type="button" className="button subtle" onClick={onClearSelection}>
        Clear selection
      </button>
      {actions.busy && <span className="spinner" role="status" aria-label="Saving" />}

      {dialog === "tags" && (
        <BulkEditLabelsDialog
          what="tags"
          count={count}
          lists={matching ? null : selected.map((c) => c.tags)}
          suggestions={tagSuggestions}
          onClose={close}
          onSubmit={(change) => inDialog(() => update({ kind: "tags", ...change }))}
        />
      )}
      {dialog === "assignees" && (
        <BulkEditLabelsDialog
          what="assignees"
          count={count}
          lists={matching ? null : selected.map((c) => c.assignees.map((a) => a.uid))}
          choices={people}
          onClose={close}
          onSubmit={(change) => inDialog(() => update({ kind: "assignees", ...change }))}
        />
      )}
      {dialog === "delete" && (
        <DeleteCasesDialog
          count={count}
          titles={matching ? null : selected.map((c) => c.title)}
          onClose={close}
          onConfirm={() => inDialog(remove)}
        />
      )}
    </div>
  );
}

type PickMenuProps<T extends string> = {
  label: string;
  ariaLabel: string;
  options: readonly T[];
  disabled: boolean;
  onPick: (option: T) => void;
  render: (option: T) => ReactNode;
};

/** A menu button whose items each set one value on every selected case. */
function PickMenu<T extends string>({ label, ariaLabel, options, disabled, onPick, render }: PickMenuProps<T>) {
  return (
    <Popover kind="menu" label={<>{label} <span className="caret" aria-hidden="true">▾</span></>} ariaLabel={ariaLabel} buttonClassName="button">
      {(done) =>
        options.map((o) => (
          <button
            key={o}
            type="button"
            role="menuitem"
            className="menu-item"
            disabled={disabled}
            onClick={() => {
              done();
              onPick(o);
            }}
          >
            {render(o)}
          </button>
        ))
      }
    </Popover>
  );
}
