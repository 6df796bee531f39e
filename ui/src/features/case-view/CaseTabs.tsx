import { useRef, type KeyboardEvent, type ReactNode } from "react";
import type { CaseTab } from "../../lib/route";
import { formatCount } from "../../lib/format";

export type TabItem = {
  id: CaseTab;
  label: string;
  /** Shown after the label, "(12)"; none while unknown. */
  count?: number | null;
  /** A small marker after the label (e.g. an import running). */
  busy?: boolean;
};

type Props = {
  tabs: TabItem[];
  selected: CaseTab;
  onSelect: (tab: CaseTab) => void;
  /** The selected tab's panel. */
  children: ReactNode;
};

export const tabId = (t: CaseTab) => `case-tab-${t}`;
export const panelId = (t: CaseTab) => `case-panel-${t}`;

/**
 * The case's tabs (WAI-ARIA tabs with automatic activation): ←/→ move between them, Home/End go
 * to the first/last; only the selected tab is in the Tab order, and only its panel is rendered.
 */
export function CaseTabs({ tabs, selected, onSelect, children }: Props) {
  const list = useRef<HTMLDivElement>(null);

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const at = tabs.findIndex((t) => t.id === selected);
    let next = -1;
    if (e.key === "ArrowRight") next = (at + 1) % tabs.length;
    else if (e.key === "ArrowLeft") next = (at - 1 + tabs.length) % tabs.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    onSelect(tabs[next].id);
    list.current?.querySelector<HTMLButtonElement>(`#${tabId(tabs[next].id)}`)?.focus();
  };

  return (
    <div className="case-tabs-area">
      <div ref={list} className="case-tabs" role="tablist" aria-label="Case sections">
        {tabs.map((t) => (
          <button
            key={t.id}
            id={tabId(t.id)}
            type="button"
            role="tab"
            className="case-tab"
            aria-selected={t.id === selected}
            aria-controls={t.id === selected ? panelId(t.id) : undefined}
            tabIndex={t.id === selected ? 0 : -1}
            onClick={() => onSelect(t.id)}
            onKeyDown={onKeyDown}
          >
            {t.label}
            {t.count !== undefined && t.count !== null && <span className="case-tab-count"> ({formatCount(t.count)})</span>}
            {t.busy && (
              <span className="spinner small" aria-label="(importing)" role="img" />
            )}
          </button>
        ))}
      </div>
      <div id={panelId(selected)} role="tabpanel" aria-labelledby={tabId(selected)} className="case-tab-panel" tabIndex={-1}>
        {children}
      </div>
    </div>
  );
}
