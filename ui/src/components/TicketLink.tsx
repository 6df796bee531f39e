import { useState } from "react";
import { isSafeExternalUrl, openExternal } from "../lib/external";

type Props = {
  /** What the link reads: the ticket's key or number (SEC-1, INC0010001). */
  title: string;
  url: string;
  /** Tooltip; the URL when not given. */
  hint?: string;
  className?: string;
  /** Where a failure to open goes; shown beside the link when not given. */
  onError?: (message: string) => void;
};

/**
 * A pushed ticket, opened in the system browser (the window itself never navigates). Only
 * https links are offered; anything else is shown as plain text.
 */
export function TicketLink({ title, url, hint, className, onError }: Props) {
  const [failed, setFailed] = useState<string | null>(null);
  if (!isSafeExternalUrl(url)) return <span title={url}>{title}</span>;
  const open = () =>
    openExternal(url).catch((err: unknown) => {
      const message = `Could not open ${url}: ${err instanceof Error ? err.message : String(err)}`;
      if (onError) onError(message);
      else setFailed(message);
    });
  return (
    <>
      <button
        type="button"
        className={className ? `link-button ${className}` : "link-button"}
        title={hint ?? `${url} — opens in your browser`}
        onClick={() => void open()}
      >
        {title} ↗
      </button>
      {failed && (
        <span className="field-error" role="alert">
          {" "}
          {failed}
        </span>
      )}
    </>
  );
}
