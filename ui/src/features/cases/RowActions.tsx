import type { Case } from "../../lib/api/bindings";
import { copyText } from "../../lib/clipboard";
import { navigate } from "../../lib/route";
import { Popover } from "./Popover";
import type { Notice } from "./useBulkActions";

/** The "⋯" menu at the end of a row. */
export function RowActions({ c, notify, up }: { c: Case; notify: (n: Notice) => void; up: boolean }) {
  const name = c.incremental_id !== null ? `case #${c.incremental_id}` : `case “${c.title}”`;
  return (
    <Popover kind="menu" align="end" placement={up ? "up" : "down"} label="⋯" ariaLabel={`Actions for ${name}`} title="Actions" buttonClassName="icon-button row-actions-button">
      {(close) => (
        <>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={() => {
              close();
              navigate({ page: "case", id: c.id });
            }}
          >
            Open case
          </button>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={async () => {
              close();
              const ok = await copyText(c.id);
              notify(
                ok
                  ? { kind: "info", text: `Case ID copied: ${c.id}` }
                  : { kind: "error", text: `Could not reach the clipboard. The case ID is ${c.id}` },
              );
            }}
          >
            Copy case ID
          </button>
        </>
      )}
    </Popover>
  );
}
