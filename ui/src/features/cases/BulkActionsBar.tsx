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

type Props = {
  selected: Case[];
  actions: ReturnType<typeof useBulkActions>;
  people: FilterOption[];
  tagSuggestions: string[];
  notify: (n: Notice) => void;
  onClearSelection: () => void;
};

/** What can be done to the selected cases at once (Kibana's bulk actions). */
export function BulkActionsBar({ selected, actions, people, tagSuggestions, notify, onClearSelection }: Props) {
  const [dialog, setDialog] = useState<"tags" | "assignees" | "delete" | null>(null);
  const close = () => setDialog(null);

  // Menu picks have no dialog to show an error in: it goes to the toast.
  const quick = async (change: BulkChange) => {
    const problem = await actions.update(selected, change);
    if (problem) notify({ kind: "error", text: `Nothing was changed: ${problem}` });
  };
  const inDialog = async (write: () => Promise<string | null>) => {
    const problem = await write();
    if (!problem) close();
    return problem;
  };

  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions">
      <span className="bulk-count">{casesNoun(selected.length)} selected</span>
      <PickMenu
        label="Status"
        ariaLabel="Set status"
        options={STATUSES}
        disabled={actions.busy}
        onPick={(status) => void quick({ kind: "status", status })}
        render={(s) => <span className={`badge status-${s}`}>{STATUS_LABEL[s]}</span>}
      />
      <PickMenu
        label="Severity"
        ariaLabel="Set severity"
        options={SEVERITIES}
        disabled={actions.busy}
        onPick={(severity) => void quick({ kind: "severity", severity })}
        render={(s) => (
          <span className={`severity severity-${s}`}>
            <span className="severity-dot" aria-hidden="true" />
            {SEVERITY_LABEL[s]}
          </span>
        )}
      />
      <button type="button" className="button" disabled={actions.busy} onClick={() => setDialog("tags")}>
        Edit tags
      </button>
      <button type="button" className="button" disabled={actions.busy} onClick={() => setDialog("assignees")}>
        Edit assignees
      </button>
      <button type="button" className="button danger-outline" disabled={actions.busy} onClick={() => setDialog("delete")}>
        Delete
      </button>
      <button type="button" className="button subtle" onClick={onClearSelection}>
        Clear selection
      </button>
      {actions.busy && <span className="spinner" role="status" aria-label="Saving" />}

      {dialog === "tags" && (
        <BulkEditLabelsDialog
          what="tags"
          lists={selected.map((c) => c.tags)}
          suggestions={tagSuggestions}
          onClose={close}
          onSubmit={(change) => inDialog(() => actions.update(selected, { kind: "tags", ...change }))}
        />
      )}
      {dialog === "assignees" && (
        <BulkEditLabelsDialog
          what="assignees"
          lists={selected.map((c) => c.assignees.map((a) => a.uid))}
          choices={people}
          onClose={close}
          onSubmit={(change) => inDialog(() => actions.update(selected, { kind: "assignees", ...change }))}
        />
      )}
      {dialog === "delete" && (
        <DeleteCasesDialog
          titles={selected.map((c) => c.title)}
          onClose={close}
          onConfirm={() => inDialog(() => actions.remove(selected))}
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
