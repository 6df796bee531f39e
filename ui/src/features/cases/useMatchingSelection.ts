import { useCallback, useState } from "react";
import type { FindQuery } from "../../lib/api/bindings";
import { ApiError, selectMatchingCases } from "../../lib/api/client";

/** "Select all N matching cases": the query, how many it matched and the core's snapshot of that moment. */
export type MatchingSelection = { query: FindQuery; total: number; snapshot: string };

/**
 * Selecting every case of the current query, beyond the page. The core counts them and names the
 * moment; the cases themselves are only read batch by batch when something is done to them.
 */
export function useMatchingSelection(query: FindQuery) {
  const [matching, setMatching] = useState<MatchingSelection | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const select = async () => {
    setPending(true);
    setError(null);
    try {
      const m = await selectMatchingCases(query);
      setMatching({ query, total: m.total, snapshot: m.snapshot });
    } catch (err) {
      setError(ApiError.from(err).message);
    } finally {
      setPending(false);
    }
  };
  const clear = useCallback(() => {
    setMatching(null);
    setError(null);
  }, []);

  return { matching, pending, error, select, clear };
}
