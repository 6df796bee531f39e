import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { LeftOutObservable, LeftOutPage, Promotion } from "../../../lib/api/bindings";
import { ApiError, promoteObservable } from "../../../lib/api/client";
import { formatCount } from "../../../lib/format";
import { queryKeys } from "../../../lib/queryKeys";
import { routeHref } from "../../../lib/route";
import { Pager } from "../Pager";

export const LEFT_OUT_PER_PAGE = 50;

type Props = {
  space: string;
  caseId: string;
  data: LeftOutPage;
  page: number;
  onPage: (page: number) => void;
};

const alerts = (n: number) => `${formatCount(n)} ${n === 1 ? "alert" : "alerts"}`;

function promotedText(p: Promotion): string {
  const o = p.observable;
  const added = `${o.type_label} ${o.value} was added to the case.`;
  if (!p.replaced) return added;
  const r = p.replaced;
  return `${added} The case was full: ${r.type_label} ${r.value} (${alerts(r.alerts)}), the lowest ranked value extracted automatically, is left out in its place.`;
}

/**
 * The values taken from the case's alerts that its space's cap left out, the ones the most
 * alerts carry first, each with a Promote action.
 */
export function LeftOutObservables({ space, caseId, data, page, onPage }: Props) {
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const full = data.held >= data.max_observables;
  const promote = useMutation({
    mutationFn: (v: LeftOutObservable) => promoteObservable(caseId, v.type_key, v.value),
    onSuccess: (p) => {
      setOutcome({ ok: true, text: promotedText(p) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
    },
    onError: (err, v) => setOutcome({ ok: false, text: `${v.type_label} ${v.value} was not promoted: ${ApiError.from(err).message}` }),
  });

  return (
    <div className="left-out">
      <p className="hint left-out-intro">
        The case holds {formatCount(data.held)} of {formatCount(data.max_observables)} observables (the space&rsquo;s cap, set in{" "}
        <a href={routeHref({ page: "settings", section: "observable-types" })}>Settings → Observable types</a>). These values from its alerts were left out, the ones the most alerts carry first.
        {full
          ? " Promoting one replaces the lowest ranked value that was extracted automatically."
          : " Promoting one adds it to the case."}
      </p>
      {outcome && (
        <p className={outcome.ok ? "banner success" : "banner error"} role={outcome.ok ? "status" : "alert"}>
          {outcome.text}
        </p>
      )}
      <div className="table-wrap">
        <table className="observables-table" aria-label="Observables left out">
          <thead>
            <tr>
              <th scope="col" className="col-type">
                Type
              </th>
              <th scope="col" className="col-value">
                Value
              </th>
              <th scope="col" className="col-alerts">
                Alerts
              </th>
              <th scope="col" className="col-actions">
                <span className="offscreen">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.values.map((v) => (
              <tr key={`${v.type_key}\u0000${v.value}`}>
                <td>{v.type_label}</td>
                <td className="mono break">{v.value}</td>
                <td className="num" title={`Carried by ${alerts(v.alerts)} of the case`}>
                  {formatCount(v.alerts)}
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="button subtle small"
                    aria-label={`Promote ${v.type_label} ${v.value}`}
                    disabled={promote.isPending}
                    onClick={() => {
                      setOutcome(null);
                      promote.mutate(v);
                    }}
                  >
                    Promote
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.total > LEFT_OUT_PER_PAGE && (
        <Pager label="Left-out value pages" page={page} perPage={LEFT_OUT_PER_PAGE} total={data.total} onPage={onPage} />
      )}
    </div>
  );
}
