import { useState } from "react";
import type { CaseConfiguration, ClosureType } from "../../lib/api/bindings";
import { useConfigurationWrite } from "./useConfigurationWrite";
import { WriteStatus } from "./WriteStatus";

const OPTIONS: { value: ClosureType; label: string; explain: string }[] = [
  {
    value: "close-by-user",
    label: "Close cases manually",
    explain: "A case is closed only when someone sets its status to Closed.",
  },
  {
    value: "close-by-pushing",
    label: "Automatically close cases when pushing to an external incident management system",
    explain:
      "Pushing a case to its external system (Jira, ServiceNow…) also closes it, and with Sync alerts on, its alerts.",
  },
];

/** Kibana's "Case closures" setting: saved as soon as an option is chosen. */
export function ClosureSection({ space, config }: { space: string; config: CaseConfiguration }) {
  const writer = useConfigurationWrite(space);
  // The choice being saved (or that failed to save) is shown rather than the stored one.
  const [choice, setChoice] = useState<ClosureType | null>(null);
  const shown = (writer.pending || writer.error) && choice ? choice : config.closure_type;

  const choose = (value: ClosureType) => {
    setChoice(value);
    const label = OPTIONS.find((o) => o.value === value)?.label ?? value;
    writer.save(() => ({ closure_type: value }), `Case closure set to “${label}”.`);
  };

  return (
    <section className="settings-section" aria-labelledby="settings-closure">
      <h2 id="settings-closure">Case closures</h2>
      <p className="hint">How cases in this space get closed.</p>
      <fieldset className="radio-group" disabled={writer.pending}>
        <legend className="offscreen">Case closure option</legend>
        {OPTIONS.map((o) => (
          <label key={o.value} className="radio-option">
            <input
              type="radio"
              name="closure_type"
              value={o.value}
              checked={shown === o.value}
              onChange={() => choose(o.value)}
            />
            <span>
              <span className="radio-title">{o.label}</span>
              <span className="hint">{o.explain}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <WriteStatus
        error={writer.error}
        success={writer.success}
        failed="The closure option was not saved."
        onRetry={() => void writer.reloadAndRetry()}
        onDiscard={() => void writer.reloadAndDiscard()}
      />
    </section>
  );
}
