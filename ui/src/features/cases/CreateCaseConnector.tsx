import type { Connector } from "../../lib/api/bindings";
import { FieldLabel } from "../../components/Field";
import { Switch } from "../../components/Switch";
import { ConnectorFieldsEditor } from "../connectors/ConnectorFieldsEditor";
import { withField } from "../connectors/caseFields";
import { KIND_LABEL } from "../connectors/connectorText";
import type { CaseDraft } from "./draft";

type Props = {
  space: string;
  connectors: Connector[];
  draft: CaseDraft;
  onChange: (patch: Partial<CaseDraft>) => void;
};

/**
 * The create form's External incident: the connector the case goes to, its fields from the
 * cached choices (so it works offline), and whether to push once the case is saved.
 */
export function CreateCaseConnector({ space, connectors, draft, onChange }: Props) {
  const chosen = connectors.find((c) => c.id === draft.connector);
  return (
    <fieldset className="create-connector">
      <legend>External incident</legend>
      <div className="field">
        <FieldLabel htmlFor="create-connector">Connector</FieldLabel>
        <select
          id="create-connector"
          value={chosen?.id ?? ""}
          onChange={(e) => onChange({ connector: e.target.value, connectorFields: {} })}
        >
          <option value="">No connector</option>
          {connectors.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({KIND_LABEL[c.kind]})
            </option>
          ))}
        </select>
      </div>
      {chosen && (
        <>
          <ConnectorFieldsEditor
            space={space}
            connector={chosen}
            fields={draft.connectorFields}
            busy={false}
            idPrefix="create-connector"
            onChange={(name, value) =>
              onChange({ connectorFields: withField(draft.connectorFields, name, value, chosen.metadata) })
            }
          />
          <Switch
            id="create-push"
            label={`Push to ${chosen.name} when the case is created`}
            checked={draft.pushOnCreate}
            onChange={(pushOnCreate) => onChange({ pushOnCreate })}
            aria-describedby="create-push-hint"
          />
          <span id="create-push-hint" className="hint">
            Offline, the push waits in the outbox and is sent when {chosen.name} answers again. Off: push later from the
            case.
          </span>
        </>
      )}
    </fieldset>
  );
}
