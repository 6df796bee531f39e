import type { Case } from "../../../lib/api/bindings";
import { CONNECTOR_SENDS_STATUS } from "../../../lib/api/bindings";
import { ApiError } from "../../../lib/api/client";
import { Field } from "../../../components/Field";
import { useConnectors } from "../../connectors/useConnectors";
import { KIND_LABEL } from "../../connectors/connectorText";
import { ExternalIncident } from "../ExternalIncident";
import { ConnectorFieldsEditor } from "../../connectors/ConnectorFieldsEditor";
import { PushControls } from "./PushControls";
import { CONNECTOR_CONFLICT, useCaseConnector, useOutboxItem } from "./usePush";
import { fieldsOf, withField } from "../../connectors/caseFields";
import "./push.css";

const NONE = "none";

/**
 * Kibana's "External incident" side panel: the ticket the case was pushed to, the case's
 * connector and its fields (each change saved at once), and pushing.
 */
export function ExternalIncidentPanel({ space, current }: { space: string; current: Case }) {
  const connectors = useConnectors(space);
  const save = useCaseConnector(space, current);
  const chosenId = current.connector.type === ".none" ? NONE : current.connector.id;
  const chosen = connectors.data?.find((k) => k.id === chosenId);
  // The case names a connector this space no longer has (deleted since).
  const gone = chosenId !== NONE && connectors.isSuccess && !chosen;
  const fields = fieldsOf(current);
  const saveError = save.error ? ApiError.from(save.error) : null;
  // A push can name its own connector (`casebook case push --connector`): say where the waiting
  // one goes when that is not the case's, so "None" above a failed push does not contradict it.
  const { item: waiting } = useOutboxItem(space, current);
  const elsewhere = waiting && waiting.connector_id !== (chosenId === NONE ? null : chosenId) ? waiting : null;

  const hint =
    connectors.isSuccess && connectors.data.length === 0
      ? "No connectors in this space yet: add one in Settings → Connectors."
      : gone
        ? `“${current.connector.name}” no longer exists in this space.`
        : elsewhere
          ? `The waiting push goes to “${elsewhere.connector_name}”, chosen for that push only; ${
              chosenId === NONE ? "the case itself has no connector" : "later pushes use the case's connector"
            }.`
          : undefined;

  const blocked =
    current.status === "closed" && !(chosen && CONNECTOR_SENDS_STATUS[chosen.kind])
      ? "Closed cases are not pushed; reopen the case to update its ticket"
      : chosenId === NONE
        ? "Choose a connector first"
        : gone
          ? "The case's connector was deleted: choose another one"
          : null;

  return (
    <div className="external-panel">
      <ExternalIncident current={current} />

      <Field
        id="case-connector"
        label="Connector"
        hint={hint}
        error={connectors.isError ? `The connectors could not be read: ${ApiError.from(connectors.error).message}` : undefined}
        announce
      >
        <select
          id="case-connector"
          value={chosenId}
          disabled={save.isPending}
          aria-describedby={hint ? "case-connector-hint" : undefined}
          // A new connector starts with no fields: those of another system mean nothing to it.
          onChange={(e) => save.mutate({ connector: e.target.value === NONE ? null : e.target.value, fields: {} })}
        >
          <option value={NONE}>None</option>
          {chosenId !== NONE && !chosen && <option value={chosenId}>{current.connector.name}</option>}
          {connectors.data?.map((k) => (
            <option key={k.id} value={k.id} title={KIND_LABEL[k.kind]}>
              {k.name}
            </option>
          ))}
        </select>
      </Field>

      {chosen && (
        <ConnectorFieldsEditor
          space={space}
          connector={chosen}
          fields={fields}
          busy={save.isPending}
          onChange={(name, value) => save.mutate({ connector: chosen.id, fields: withField(fields, name, value, chosen.metadata) })}
        />
      )}
      {saveError && (
        <p className="field-error push-error-lines" role="alert">
          {saveError.code === "conflict" ? CONNECTOR_CONFLICT : saveError.message}
        </p>
      )}

      <PushControls space={space} current={current} blocked={blocked} />
    </div>
  );
}
