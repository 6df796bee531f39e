// How connectors are named on screen: systems, secrets, and their failures.
import type { Connector, ConnectorKind } from "../../lib/api/bindings";
import { CONNECTOR_KIND_LABEL } from "../../lib/api/bindings";
import type { ApiError } from "../../lib/api/client";

// The kinds, their names and Kibana's connector type ids are the core's (ConnectorKind), through
// the bindings.
export {
  CONNECTOR_KIND_LABEL as KIND_LABEL,
  CONNECTOR_KINDS as KINDS,
  KIBANA_CONNECTOR_TYPE as KIBANA_TYPE,
} from "../../lib/api/bindings";

/** The secret's name inside a sentence: "its API token or password", "its personal access token". */
export function secretNoun(c: Connector): string {
  const label = c.secret_label;
  return /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

/** The system, in the words of the one the connector talks to. */
function systemOf(kind: ConnectorKind | undefined): string {
  return kind === undefined ? "the system" : CONNECTOR_KIND_LABEL[kind].replace(/ (ITSM|SecOps)$/, "");
}

/**
 * What went wrong talking to an incident system, in a few words; the core's sentence (what
 * failed and what to do) goes under it.
 */
export function connectorErrorHeading(error: ApiError, kind?: ConnectorKind): string {
  switch (error.code) {
    case "unreachable":
      return `Cannot reach ${systemOf(kind)}`;
    case "tls":
      return "Secure connection failed";
    case "unauthorized":
      return "Credentials rejected (401)";
    case "forbidden":
      return "Permission denied (403)";
    case "not_found":
      // The core names the missing thing (Error::NotFound's `what`).
      if (error.what === "Jira project") return "Project not found";
      if (error.what === "Elastic ServiceNow app") return "Elastic app not installed";
      if (error.what === "connector") return "Connector not found";
      return "Not found";
    case "remote":
      return `${systemOf(kind)} reported an error`.replace(/^the/, "The");
    case "keychain_unavailable":
      return "No OS keychain";
    case "keychain_locked":
      return "Keychain locked";
    case "secrets_locked":
      return "Secrets file locked";
    case "wrong_passphrase":
      return "Wrong passphrase";
    case "validation":
      return error.field === "secret" ? "Token or password needed" : "Not accepted";
    case "busy":
      return "Casebook is busy";
    case "needs_check":
      return "Needs your check";
    default:
      return "Something went wrong";
  }
}
