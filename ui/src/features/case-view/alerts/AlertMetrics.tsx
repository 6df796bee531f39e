import { useQuery } from "@tanstack/react-query";
import { alertOverview } from "../../../lib/api/client";
import { formatCount } from "../../../lib/format";
import { queryKeys } from "../../../lib/queryKeys";

/** "Alerts 42 · Hosts 3 · Users 5" in the case header: the alerts' reach at a glance. */
export function AlertMetrics({ space, caseId }: { space: string; caseId: string }) {
  const overview = useQuery({ queryKey: queryKeys.alertOverview(space, caseId), queryFn: () => alertOverview(caseId) });
  if (!overview.data) return null;
  const { total, hosts, users } = overview.data;
  return (
    <dl className="case-metrics" aria-label="Alerts summary">
      <div>
        <dt>Alerts</dt>
        <dd>{formatCount(total)}</dd>
      </div>
      <div title="Distinct host names across the attached alerts">
        <dt>Hosts</dt>
        <dd>{formatCount(hosts)}</dd>
      </div>
      <div title="Distinct user names across the attached alerts">
        <dt>Users</dt>
        <dd>{formatCount(users)}</dd>
      </div>
    </dl>
  );
}
