import { useMemo } from "react";
import { renderMarkdown } from "../lib/markdown";

/** The only component that inserts HTML, and only what markdown.ts sanitised. */
export function Markdown({ source, className }: { source: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return <div className={`markdown ${className ?? ""}`.trim()} dangerouslySetInnerHTML={{ __html: html }} />;
}
