import type { CustomFieldDefinition } from "../../lib/api/bindings";
import { BASE_COLUMNS, FIXED_COLUMN, customFieldColumnId, defaultShown, isShown, type ColumnPrefs } from "./columnPrefs";
import { COLUMN_LABEL } from "../../components/labels";
import { Popover } from "./Popover";
import type { CasesTableState } from "./tableState";

type Props = {
  prefs: ColumnPrefs;
  state: CasesTableState;
  /** Shown columns hidden to fit the window's width. */
  fitted?: readonly string[];
  customFields: CustomFieldDefinition[];
  onToggle: (id: string) => void;
  onReset: () => void;
};

/** Show or hide columns; Name always stays. */
export function ColumnsMenu({ prefs, state, fitted = [], onToggle, onReset, customFields }: Props) {
  const columns = [
    ...BASE_COLUMNS.map((id) => ({ id, label: COLUMN_LABEL[id] as string })),
    ...customFields.map((f) => ({ id: customFieldColumnId(f.key), label: f.label })),
  ];
  const hidden = columns.filter((c) => !isShown(c.id, prefs, state)).length;
  return (
    <Popover
      align="end"
      label={
        <>
          Columns
          {hidden > 0 && <span className="filter-count" title={`${hidden} hidden`}>{columns.length - hidden}/{columns.length}</span>}
          <span className="caret" aria-hidden="true">
            ▾
          </span>
        </>
      }
      ariaLabel="Columns"
      buttonClassName="button"
      panelClassName="filter-panel"
    >
      {() => (
        <>
          <ul className="checklist columns-checklist">
            {columns.map((c) => {
              const fixed = c.id === FIXED_COLUMN;
              const auto = c.id === "closed_at" && prefs.closed_at === undefined && defaultShown("closed_at", state);
              const narrow = fitted.includes(c.id);
              return (
                <li key={c.id}>
                  <label className={fixed ? "disabled" : undefined}>
                    <input type="checkbox" checked={isShown(c.id, prefs, state) && !narrow} disabled={fixed} onChange={() => onToggle(c.id)} />
                    <span className="checklist-label">{c.label}</span>
                    {fixed && <span className="muted checklist-hint">always shown</span>}
                    {narrow ? (
                      <span className="muted checklist-hint" title="Hidden while the window is this narrow. Tick it to show it anyway (the table then scrolls sideways).">
                        no room
                      </span>
                    ) : (
                      auto && <span className="muted checklist-hint">shown for closed cases</span>
                    )}
                  </label>
                </li>
              );
            })}
          </ul>
          <div className="filter-footer">
            <span />
            {Object.keys(prefs).length > 0 && (
              <button type="button" className="link-button" onClick={onReset}>
                Reset to defaults
              </button>
            )}
          </div>
        </>
      )}
    </Popover>
  );
}
