import { useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { CaseConfiguration, ObservableType } from "../../lib/api/bindings";
import { formatCount } from "../../lib/format";
import { MAX_OBSERVABLES_CAP, MAX_OBSERVABLES_PER_CASE } from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";
import { useConfigurationWrite } from "./useConfigurationWrite";
import { WriteStatus } from "./WriteStatus";

type Props = {
  space: string;
  config: CaseConfiguration;
  /** Every type of the space: built-in, then its own. */
  types: readonly ObservableType[];
};

/** The space's types in ranking order: the ones it lists first, then the rest as shown. */
export function rankedTypes(priority: readonly string[], types: readonly ObservableType[]): ObservableType[] {
  const listed = priority.flatMap((k) => types.filter((t) => t.key === k));
  return [...listed, ...types.filter((t) => !priority.includes(t.key))];
}

/**
 * How many observables a case holds, and which values from its alerts it keeps when there are
 * more: the ones the most alerts carry, ties broken by the order of types below.
 */
export function ObservableRanking({ space, config, types }: Props) {
  const queryClient = useQueryClient();
  const capWriter = useConfigurationWrite(space);
  const orderWriter = useConfigurationWrite(space);
  const [cap, setCap] = useState<string | null>(null);
  const shownCap = cap ?? String(config.max_observables);
  const order = rankedTypes(config.observable_type_priority, types);
  const capError = capWriter.error?.field === "max_observables" ? capWriter.error.detail : undefined;

  const saveCap = (e: FormEvent) => {
    e.preventDefault();
    if (capWriter.pending) return;
    const n = Number(shownCap.trim());
    capWriter.save(
      () => ({ max_observables: n }),
      `A case of this space now holds at most ${formatCount(n)} observables.`,
      () => {
        setCap(null);
        // A higher cap moves left-out values into the cases.
        void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
      },
    );
  };

  const move = (index: number, by: -1 | 1) => {
    const keys = order.map((t) => t.key);
    [keys[index], keys[index + by]] = [keys[index + by], keys[index]];
    const label = order[index].label;
    orderWriter.save(() => ({ observable_type_priority: keys }), `“${label}” moved ${by < 0 ? "up" : "down"}.`);
  };

  return (
    <div className="observable-ranking">
      <h3>Observables per case</h3>
      <p className="hint" id="obs-cap-hint">
        Kibana&rsquo;s cap is {formatCount(MAX_OBSERVABLES_PER_CASE)}; a space may allow up to {formatCount(MAX_OBSERVABLES_CAP)}.
        Values from alerts past the cap are not dropped: each case lists them under Observables › Left out, and raising
        the cap moves the best ranked of them into the case.
      </p>
      <form className="form settings-form inline-form" onSubmit={saveCap} noValidate aria-label="Observables per case">
        <div className="field">
          <label htmlFor="obs-cap">At most</label>
          <input
            id="obs-cap"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_OBSERVABLES_CAP}
            value={shownCap}
            onChange={(e) => {
              capWriter.reset();
              setCap(e.target.value);
            }}
            aria-invalid={capError ? true : undefined}
            aria-describedby="obs-cap-hint obs-cap-error"
          />
          {capError && (
            <span id="obs-cap-error" className="field-error" role="alert">
              {capError}
            </span>
          )}
        </div>
        <button type="submit" className="button" disabled={capWriter.pending || shownCap === String(config.max_observables)}>
          {capWriter.pending ? "Saving…" : "Save cap"}
        </button>
      </form>
      <WriteStatus
        error={capError ? null : capWriter.error}
        success={capWriter.success}
        failed="The cap was not saved."
        onRetry={() => void capWriter.reloadAndRetry()}
        onDiscard={() => void capWriter.reloadAndDiscard()}
      />

      <h3>Ranking of extracted values</h3>
      <p className="hint">
        When a case cannot hold every value from its alerts, the values the most alerts carry are kept; among values
        carried by as many alerts, types higher in this list come first.
      </p>
      <ol className="type-ranking" aria-label="Observable types by rank">
        {order.map((t, i) => (
          <li key={t.key}>
            <span className="type-ranking-rank" aria-hidden="true">
              {i + 1}.
            </span>
            <span className="type-ranking-label">{t.label}</span>
            <button
              type="button"
              className="button subtle small"
              aria-label={`Move ${t.label} up`}
              disabled={i === 0 || orderWriter.pending}
              onClick={() => move(i, -1)}
            >
              ↑
            </button>
            <button
              type="button"
              className="button subtle small"
              aria-label={`Move ${t.label} down`}
              disabled={i === order.length - 1 || orderWriter.pending}
              onClick={() => move(i, 1)}
            >
              ↓
            </button>
          </li>
        ))}
      </ol>
      <WriteStatus
        error={orderWriter.error}
        success={orderWriter.success}
        failed="The order of types was not saved."
        onRetry={() => void orderWriter.reloadAndRetry()}
        onDiscard={() => void orderWriter.reloadAndDiscard()}
      />
    </div>
  );
}
