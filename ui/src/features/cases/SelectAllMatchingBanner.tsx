import { formatCount } from "../../lib/format";
import { casesNoun } from "./bulk";
import "./bulk.css";

type Props = {
  /** Cases on this page, all ticked. */
  onPage: number;
  /** Cases the query matches (the list's total). */
  total: number;
  /** Every matching case is selected, this many. */
  selectedAll: number | null;
  pending: boolean;
  error: string | null;
  onSelectAll: () => void;
  onClear: () => void;
};

/** Gmail's and Kibana's offer under a fully ticked page: take the whole query, not only the page. */
export function SelectAllMatchingBanner({ onPage, total, selectedAll, pending, error, onSelectAll, onClear }: Props) {
  return (
    <div className="select-all-banner" role="status">
      {selectedAll !== null ? (
        <>
          <span>
            All <strong>{casesNoun(selectedAll)}</strong> matching the search and filters are selected.
          </span>
          <button type="button" className="link-button" onClick={onClear}>
            Clear selection
          </button>
        </>
      ) : (
        <>
          <span>All {casesNoun(onPage)} on this page are selected.</span>
          <button type="button" className="link-button" onClick={onSelectAll} disabled={pending}>
            {pending ? "Selecting…" : `Select all ${formatCount(total)} matching cases`}
          </button>
          {error && (
            <span className="form-error" role="alert">
              {error}
            </span>
          )}
        </>
      )}
    </div>
  );
}
