// The Write / Preview tabs of a Markdown field, shared by MarkdownEditor and the Create case form
// (which lays them out next to its own label). Ids derive from `idPrefix`: `${idPrefix}-write` is
// the panel holding the text area, `${idPrefix}-preview` the rendered one.
import type { ReactNode } from "react";
import { Markdown } from "./Markdown";

export type MarkdownTab = "write" | "preview";

type TabsProps = {
  idPrefix: string;
  /** The field's name; the tab list is "<label> editor". */
  label: string;
  tab: MarkdownTab;
  onTab: (tab: MarkdownTab) => void;
};

export function MarkdownTabs({ idPrefix, label, tab, onTab }: TabsProps) {
  return (
    <div className="tabs" role="tablist" aria-label={`${label} editor`}>
      <button
        type="button"
        role="tab"
        id={`${idPrefix}-write-tab`}
        aria-selected={tab === "write"}
        aria-controls={`${idPrefix}-write`}
        className="tab"
        onClick={() => onTab("write")}
      >
        Write
      </button>
      <button
        type="button"
        role="tab"
        id={`${idPrefix}-preview-tab`}
        aria-selected={tab === "preview"}
        aria-controls={`${idPrefix}-preview`}
        className="tab"
        onClick={() => onTab("preview")}
      >
        Preview
      </button>
    </div>
  );
}

/** The Write panel around the field's text area. */
export function MarkdownWritePanel({ idPrefix, tab, children }: { idPrefix: string; tab: MarkdownTab; children: ReactNode }) {
  return (
    <div id={`${idPrefix}-write`} role="tabpanel" aria-labelledby={`${idPrefix}-write-tab`} hidden={tab !== "write"}>
      {children}
    </div>
  );
}

/** The Preview panel; renders the Markdown only while shown. */
export function MarkdownPreviewPanel({ idPrefix, tab, source }: { idPrefix: string; tab: MarkdownTab; source: string }) {
  return (
    <div
      id={`${idPrefix}-preview`}
      role="tabpanel"
      aria-labelledby={`${idPrefix}-preview-tab`}
      hidden={tab !== "preview"}
      className="preview"
      tabIndex={0}
    >
      {tab === "preview" && (source.trim() === "" ? <p className="muted">Nothing to preview.</p> : <Markdown source={source} />)}
    </div>
  );
}
