// Each system's settings form, by kind. Adding a system: its form here, beside its module in
// crates/core/src/connectors/.
import type { ConnectorKind, ConnectorSettings } from "../../../lib/api/bindings";
import { jira } from "./jira";
import { resilient } from "./resilient";
import { servicenowItsm, servicenowSir } from "./servicenow";
import { swimlane } from "./swimlane";
import { thehive } from "./thehive";
import { webhook } from "./webhook";
import type { SystemForm } from "./types";

export const SYSTEM_FORMS: { [K in ConnectorKind]: SystemForm<K> } = {
  jira,
  "servicenow-itsm": servicenowItsm,
  "servicenow-sir": servicenowSir,
  resilient,
  swimlane,
  thehive,
  "cases-webhook": webhook,
};

/** The form of the system `settings` belong to (one place narrows the union). */
export function formOf(settings: ConnectorSettings): SystemForm<ConnectorKind> {
  return SYSTEM_FORMS[settings.kind] as unknown as SystemForm<ConnectorKind>;
}
