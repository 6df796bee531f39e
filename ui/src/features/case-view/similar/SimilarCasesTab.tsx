import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Case } from "../../../lib/api/bindings";
import { ApiError, similarCases } from "../../../lib/api/client";
import { queryKeys } from "../../../lib/queryKeys";
import { Pager } from "../Pager";
import { SimilarCaseItem } from "./SimilarCaseItem";
import "./similar.css";

export const SIMILAR_PER_PAGE = 20;

/** Kibana's Similar cases: the space's other cases sharing an observable (type and value) with this one. */
export function SimilarCasesTab({ space, current }: { space: string; current: Case }) {
  const [page, setPage] = useState(1);
  const similar = useQuery({
    queryKey: queryKeys.similar(space, current.id, page, SIMILAR_PER_PAGE),
    queryFn: () => similarCases(current.id, page, SIMILAR_PER_PAGE),
    placeholderData: keepPreviousData,
  });
  const data = similar.data;

  return (
    <section className="panel similar-tab" aria-labelledby="similar-heading">
      <div className="panel-header">
        <h2 id="similar-heading">Similar cases</h2>
      </div>
      {similar.isError ? (
        <div className="banner error" role="alert">
          The similar cases could not be loaded: {ApiError.from(similar.error).message}{" "}
          <button type="button" className="link-button" onClick={() => void similar.refetch()}>
            Retry
          </button>
        </div>
      ) : !data ? (
        <p className="muted" role="status">
          Loading similar cases…
        </p>
      ) : data.total === 0 ? (
        <p className="muted similar-empty">
          No other case in this space shares an observable with this one. Observables are compared by type and value.
        </p>
      ) : (
        <>
          <ul className="similar-list" aria-label="Similar cases">
            {data.cases.map((item) => (
              <SimilarCaseItem key={item.case.id} item={item} />
            ))}
          </ul>
          {data.total > SIMILAR_PER_PAGE && (
            <Pager label="Similar case pages" page={page} perPage={SIMILAR_PER_PAGE} total={data.total} onPage={setPage} />
          )}
        </>
      )}
    </section>
  );
}
