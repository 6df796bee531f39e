import { useQuery } from "@tanstack/react-query";
import { caseStats, emptyFindQuery } from "../../lib/api/client";
import { formatCount, formatDuration } from "../../lib/format";
import { queryKeys } from "../../lib/queryKeys";

/** Kibana's metrics panel: counts per status and the average time to close, for the space. */
export function CasesMetrics({ space }: { space: string }) {
  const stats = useQuery({
    queryKey: queryKeys.stats(space),
    queryFn: () => caseStats(emptyFindQuery(space)),
  });
  const d = stats.data;
  const value = (n: number | undefined) => (d ? formatCount(n) : "…");
  return (
    <section className="metrics" aria-label="Case metrics" aria-busy={stats.isPending}>
      <dl>
        <div className="metric">
          <dt>Open</dt>
          <dd>{value(d?.count_open_cases)}</dd>
        </div>
        <div className="metric">
          <dt>In progress</dt>
          <dd>{value(d?.count_in_progress_cases)}</dd>
        </div>
        <div className="metric">
          <dt>Closed</dt>
          <dd>{value(d?.count_closed_cases)}</dd>
        </div>
        <div className="metric">
          <dt>Average time to close</dt>
          <dd title={d?.mean_time_to_close == null ? "No closed cases yet" : undefined}>
            {d ? formatDuration(d.mean_time_to_close) : "…"}
          </dd>
        </div>
      </dl>
      {stats.isError && (
        <p className="field-error" role="alert">
          Metrics unavailable: {stats.error.message}
        </p>
      )}
    </section>
  );
}
