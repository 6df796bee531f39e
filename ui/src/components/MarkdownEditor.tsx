import { forwardRef, useId, useState, type KeyboardEvent } from "react";
import { charCount } from "../lib/format";
import { Counter } from "./Counter";
import { MarkdownPreviewPanel, MarkdownTabs, MarkdownWritePanel, type MarkdownTab } from "./MarkdownTabs";
import { MarkdownToolbar, markdownShortcut } from "./MarkdownToolbar";

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

/** A Markdown text area with Write / Preview tabs, a formatting toolbar and a character counter. */
export const MarkdownEditor = forwardRef<HTMLTextAreaElement, Props>(function MarkdownEditor(
  { label, value, onChange, max, placeholder, rows = 6, onSubmit, disabled, autoFocus },
  ref,
) {
  const id = useId();
  const [tab, setTab] = useState<MarkdownTab>("write");
  const n = charCount(value.trim());
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (markdownShortcut(e)) return;
    if (onSubmit && e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onSubmit();
    }
  };
  return (
    <div className="markdown-editor">
      <div className="markdown-editor-bar">
        <MarkdownTabs idPrefix={id} label={label} tab={tab} onTab={setTab} />
        <MarkdownToolbar target={`${id}-text`} label={label} hidden={tab !== "write" || disabled} />
        <Counter n={n} max={max} />
      </div>
      <MarkdownWritePanel idPrefix={id} tab={tab}>
        <textarea
          ref={ref}
          id={`${id}-text`}
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
      </MarkdownWritePanel>
      <MarkdownPreviewPanel idPrefix={id} tab={tab} source={value} />
      {n > max && (
        <p className="field-error" role="alert">
          {label} is {(n - max).toLocaleString()} characters over the limit of {max.toLocaleString()}.
        </p>
      )}
    </div>
  );
});
