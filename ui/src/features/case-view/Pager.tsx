import { formatCount } from "../../lib/format";

type Props = {
  page: number;
  perPage: number;
  total: number;
  onPage: (page: number) => void;
  /** The navigation's name, e.g. "Alert pages". */
  label: string;
};

/** "1–50 of 1,234" and first / previous / next / last, for a list the core pages. */
export function Pager({ page, perPage, total, onPage, label }: Props) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const first = total === 0 ? 0 : (page - 1) * perPage + 1;
  const last = Math.min(page * perPage, total);
  return (
    <nav className="pagination" aria-label={label}>
      <span className="range" aria-live="polite">
        {formatCount(first)}–{formatCount(last)} of {formatCount(total)}
      </span>
      {pages > 1 && (
        <span className="pager">
          <button type="button" className="button" disabled={page <= 1} onClick={() => onPage(1)} aria-label="First page">
            «
          </button>
          <button type="button" className="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
            ‹ Previous
          </button>
          <span className="page-of">
            Page {formatCount(page)} of {formatCount(pages)}
          </span>
          <button type="button" className="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
            Next ›
          </button>
          <button type="button" className="button" disabled={page >= pages} onClick={() => onPage(pages)} aria-label="Last page">
            »
          </button>
        </span>
      )}
    </nav>
  );
}
