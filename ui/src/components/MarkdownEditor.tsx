import { forwardRef, useId, useState, type KeyboardEvent } from "react";
import { charCount } from "../lib/format";
import { Markdown } from "./Markdown";

type Props = {
  /** Accessible name of the text area ("Comment", "Description"). */
  label: string;
  value: string;
  onChange: (value: string) => void;
  max: number;
  placeholder?: string;
  rows?: number;
  /** Ctrl/⌘+Enter. */
  onSubmit?: () => void;
  disabled?: boolean;
  autoFocus?: boolean;
};

/** A Markdown text area with Write / Preview tabs and a character counter. */
export const MarkdownEditor = forwardRef<HTMLTextAreaElement, Props>(function MarkdownEditor(
  { label, value, onChange, max, placeholder, rows = 6, onSubmit, disabled, autoFocus },
  ref,
) {
  const id = useId();
  const [tab, setTab] = useState<"write" | "preview">("write");
  const n = charCount(value.trim());
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (onSubmit && e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onSubmit();
    }
  };
  return (
    <div className="markdown-editor">
      <div className="markdown-editor-bar">
        <div className="tabs" role="tablist" aria-label={`${label} editor`}>
          <button
            type="button"
            role="tab"
            id={`${id}-write-tab`}
            aria-selected={tab === "write"}
            aria-controls={`${id}-write`}
            className="tab"
            onClick={() => setTab("write")}
          >
            Write
          </button>
          <button
            type="button"
            role="tab"
            id={`${id}-preview-tab`}
            aria-selected={tab === "preview"}
            aria-controls={`${id}-preview`}
            className="tab"
            onClick={() => setTab("preview")}
          >
            Preview
          </button>
        </div>
        <span className={`counter ${n > max ? "over" : ""}`.trim()} aria-live={n > max ? "polite" : "off"}>
          {n.toLocaleString()}/{max.toLocaleString()}
        </span>
      </div>
      <div id={`${id}-write`} role="tabpanel" aria-labelledby={`${id}-write-tab`} hidden={tab !== "write"}>
        <textarea
          ref={ref}
          aria-label={label}
          value={value}
          rows={rows}
          placeholder={placeholder}
          disabled={disabled}
          autoFocus={autoFocus}
          aria-invalid={n > max}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
        />
      </div>
      <div
        id={`${id}-preview`}
        role="tabpanel"
        aria-labelledby={`${id}-preview-tab`}
        hidden={tab !== "preview"}
        className="preview"
        tabIndex={0}
      >
        {tab === "preview" && (value.trim() === "" ? <p className="muted">Nothing to preview.</p> : <Markdown source={value} />)}
      </div>
      {n > max && (
        <p className="field-error" role="alert">
          {label} is {(n - max).toLocaleString()} characters over the limit of {max.toLocaleString()}.
        </p>
      )}
    </div>
  );
});
