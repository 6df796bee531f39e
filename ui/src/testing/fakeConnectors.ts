// Test helpers: the core's connector, push and outbox commands in memory, answering as the core
// does (its checks, its error codes and sentences), for the Vitest suites; not bundled.
import type {
  Case,
  Choice,
  ConnectionCheck,
  Connector,
  ConnectorInput,
  ConnectorKind,
  ConnectorMetadata,
  OutboxItem,
  PushOutcome,
  User,
} from "../lib/api/bindings";
import { CONNECTOR_CHOICE_FIELDS, CONNECTOR_KIND_LABEL, KIBANA_CONNECTOR_TYPE, SECOPS_SWITCHES } from "../lib/api/bindings";
import { ApiError, type CommandFunction, type ConnectorFields } from "../lib/api/client";
import { notFoundError, validationError } from "./wireErrors";

const choice = (value: string, label = value, depends_on?: string): Choice =>
  depends_on === undefined ? { value, label } : { value, label, depends_on };

const EMPTY_METADATA: ConnectorMetadata = {
  issue_types: [],
  priorities: [],
  parents: [],
  urgencies: [],
  severities: [],
  impacts: [],
  categories: [],
  subcategories: [],
};

/** What the fake Jira, ServiceNow ITSM and SecOps offer when their choices are refreshed. */
export const FAKE_METADATA: Record<ConnectorKind, ConnectorMetadata> = {
  jira: {
    ...EMPTY_METADATA,
    issue_types: [choice("10001", "Task"), choice("10002", "Bug"), choice("10003", "Incident")],
    priorities: ["Highest", "High", "Medium", "Low", "Lowest"].map((p) => choice(p)),
    parents: [choice("SEC-7", "SEC-7: Phishing campaign Q4"), choice("SEC-3", "SEC-3: Ransomware readiness")],
  },
  "servicenow-itsm": {
    ...EMPTY_METADATA,
    urgencies: [choice("1", "1 - High"), choice("2", "2 - Medium"), choice("3", "3 - Low")],
    severities: [choice("1", "1 - High"), choice("2", "2 - Medium"), choice("3", "3 - Low")],
    impacts: [choice("1", "1 - High"), choice("2", "2 - Medium"), choice("3", "3 - Low")],
    categories: [choice("network", "Network"), choice("software", "Software"), choice("inquiry", "Inquiry / Help")],
    subcategories: [
      choice("dns", "DNS", "network"),
      choice("vpn", "VPN", "network"),
      choice("email", "Email", "software"),
      choice("os", "Operating System", "software"),
    ],
  },
  "servicenow-sir": {
    ...EMPTY_METADATA,
    priorities: [choice("1", "1 - Critical"), choice("2", "2 - High"), choice("3", "3 - Moderate"), choice("4", "4 - Low")],
    categories: [choice("malware", "Malicious code activity"), choice("phishing", "Phishing")],
    subcategories: [
      choice("ransomware", "Ransomware", "malware"),
      choice("trojan", "Trojan", "malware"),
      choice("spear", "Spear phishing", "phishing"),
    ],
  },
};

const KIBANA_TYPE = KIBANA_CONNECTOR_TYPE;
const KIND_LABEL = CONNECTOR_KIND_LABEL;
const FIELD_NAMES = (kind: ConnectorKind): string[] => CONNECTOR_CHOICE_FIELDS[kind].map((f) => f.name);
const SWITCHES = SECOPS_SWITCHES.map((s) => s.name);
const LIST_OF = (kind: ConnectorKind, name: string): keyof ConnectorMetadata =>
  CONNECTOR_CHOICE_FIELDS[kind].find((f) => f.name === name)!.list;
const RETRYABLE = ["unreachable", "keychain_locked", "keychain_unavailable", "busy"];

const KEYCHAIN_UNAVAILABLE =
  "No OS keychain is available (Secret Service / D-Bus is not running). Start gnome-keyring or KWallet, or log in to a desktop session, then try again. Nothing was saved.";
const KEYCHAIN_LOCKED = "The OS keychain is locked or access was denied. Unlock it and try again.";

const validation = validationError;

/** The core's URL rule: https, or http to this computer only. */
function checkUrl(input: string, kind: ConnectorKind): string {
  const example = `e.g. ${kind === "jira" ? "https://your-site.atlassian.net" : "https://your-instance.service-now.com"}`;
  const raw = input.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw validation("url", `${JSON.stringify(raw)} is not a URL (relative URL without a base); it must start with https://, ${example}`);
  }
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol === "http:" && !local) {
    throw validation(
      "url",
      `must start with https:// (plain http:// would send the password or token unencrypted; it is accepted only for localhost), ${example}`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw validation("url", `must start with https://, ${example}`);
  return raw.replace(/\/+$/, "");
}

/** The connector an input describes (without ids and times), checked as the core checks it. */
function checkInput(input: ConnectorInput): Omit<Connector, "id" | "space" | "secret_stored" | "metadata" | "metadata_fetched_at" | "created_at" | "updated_at"> {
  const name = input.name.trim();
  if (name === "") throw validation("name", "cannot be an empty string");
  if ([...name].length > 128) throw validation("name", `at most 128 characters (got ${[...name].length})`);
  const auth = input.auth ?? "basic";
  const username = input.username?.trim() || null;
  let project_key: string | null = null;
  let mode: Connector["mode"] = null;
  if (input.kind === "jira") {
    const key = input.project_key?.trim() ?? "";
    if (key === "") throw validation("project_key", "is required for Jira (e.g. SEC)");
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) {
      throw validation("project_key", `must be a Jira project key: a letter, then letters, digits or _, at most 255 characters (got ${JSON.stringify(key)})`);
    }
    if (input.mode) throw validation("mode", "applies to ServiceNow connectors only");
    project_key = key.toUpperCase();
  } else {
    if (input.project_key?.trim()) throw validation("project_key", "applies to Jira connectors only");
    if (auth === "pat") throw validation("auth", "ServiceNow connectors sign in with a user name and password (basic)");
    mode = input.mode ?? "import-set";
  }
  if (auth === "basic" && !username) {
    throw validation(
      "username",
      input.kind === "jira"
        ? "is required: the account's email (Jira Cloud) or user name (Data Center)"
        : "is required: the ServiceNow user the incidents are created as",
    );
  }
  if (auth === "pat" && username) throw validation("username", "is not used with a personal access token; leave it empty");
  return { name, kind: input.kind, url: checkUrl(input.url, input.kind), project_key, mode, auth, username };
}

export type ConnectorFakeInit = {
  /** The case with this id; the fake writes the connector, push state and ticket into it. */
  findCase: (id: string) => Case | undefined;
  /** Who pushes. */
  me?: User;
};

/**
 * Connectors, the keychain, the remote systems and the outbox in memory. Its methods have the
 * signatures of lib/api/client's functions, for mockImplementation.
 */
export function connectorFake(init: ConnectorFakeInit) {
  const me: User = init.me ?? { username: "ana", full_name: "Ana Lytic", email: null };
  const state = {
    connectors: [] as Connector[],
    /** The keychain: secrets by connector id. */
    keychain: new Map<string, string>(),
    keychainState: "ok" as "ok" | "unavailable" | "locked",
    /** False: every request to a system fails as unreachable (a push then waits in the outbox). */
    online: true,
    /** The secret the systems accept; null: any. */
    validSecret: null as string | null,
    /** The systems' answer to every request, when it fails (e.g. a 403, or field errors). */
    failure: null as ApiError | null,
    outbox: [] as OutboxItem[],
    /** Tickets by `case id / connector id`. */
    tickets: new Map<string, { id: string; title: string; url: string }>(),
    nextTicket: 1,
    nextConnector: 1,
    nextOutbox: 1,
  };
  const now = () => new Date().toISOString();

  const keychain = () => {
    if (state.keychainState === "unavailable") throw new ApiError("keychain_unavailable", KEYCHAIN_UNAVAILABLE);
    if (state.keychainState === "locked") throw new ApiError("keychain_locked", KEYCHAIN_LOCKED);
    return state.keychain;
  };
  /** The connector as the core returns it: whether a secret is stored, never the secret. */
  const shown = (k: Connector): Connector => structuredClone({ ...k, secret_stored: state.keychain.has(k.id) });
  const find = (space: string, ref: string): Connector => {
    const k = state.connectors.find((c) => c.space === space && (c.id === ref.trim() || c.name === ref.trim()));
    if (!k) throw notFoundError("connector", `${ref.trim()} in space ${space}`);
    return k;
  };
  const caseOf = (id: string): Case => {
    const c = init.findCase(id);
    if (!c) throw notFoundError("case", id);
    return c;
  };
  const touch = (c: Case) => {
    c.version = String(Number(c.version.replace(/\D/g, "") || "0") + 1);
    c.updated_at = now();
  };

  /** What every request to a system goes through: the secret, the network, the sign-in. */
  const connect = (k: Connector) => {
    const secret = keychain().get(k.id);
    if (!secret) {
      throw validation("secret", `the keychain holds no token or password for connector ${k.name}; enter it again in Settings → Connectors`);
    }
    if (!state.online) {
      throw new ApiError(
        "unreachable",
        `Cannot reach ${k.url}: connection refused. Check the URL and your network; if you use a VPN or proxy, check that it is connected.`,
      );
    }
    if (state.failure) throw state.failure;
    if (state.validSecret !== null && secret !== state.validSecret) {
      const [what, fix] =
        k.kind !== "jira"
          ? ["user name and password", "Check them in ServiceNow (the account must not require multi-factor sign-in for the REST API) and enter them in the connector's settings."]
          : k.auth === "pat"
            ? ["personal access token", "The token may have expired or been revoked: create a new one in your Jira profile (Personal Access Tokens) and enter it in the connector's settings."]
            : ["email and API token", "Check the email, and create a new API token at id.atlassian.com (Data Center: the user name and password), then enter it in the connector's settings."];
      throw new ApiError("unauthorized", `${k.kind === "jira" ? "Jira" : "ServiceNow"} at ${k.url} rejected the ${what} (401). ${fix}`);
    }
  };

  /** The core's check of a case's connector fields against the cached choices. */
  const checkFields = (k: Connector, given: ConnectorFields): ConnectorFields => {
    const out: ConnectorFields = {};
    for (const [name, value] of Object.entries(given)) {
      if (k.kind === "servicenow-sir" && SWITCHES.includes(name)) {
        if (value === true) out[name] = true;
        continue;
      }
      if (!FIELD_NAMES(k.kind).includes(name)) {
        throw validation(`fields.${name}`, `is not a ${KIND_LABEL[k.kind]} field; use one of ${FIELD_NAMES(k.kind).join(", ")}`);
      }
      const text = String(value).trim();
      if (text === "") continue;
      const list = k.metadata?.[LIST_OF(k.kind, name)] ?? [];
      if (list.length === 0 || name === "parent") {
        out[name] = text;
        continue;
      }
      const hit = list.find((c) => c.value === text) ?? list.find((c) => c.label.toLowerCase() === text.toLowerCase());
      if (!hit) {
        throw validation(
          `fields.${name}`,
          `${JSON.stringify(text)} is not offered by ${k.name}; choose one of: ${list.map((c) => c.label).join(", ")} (refresh the connector's choices if the list is outdated)`,
        );
      }
      out[name] = hit.value;
    }
    const sub = out.subcategory;
    if (typeof sub === "string" && k.metadata && k.metadata.subcategories.length > 0) {
      const category = typeof out.category === "string" ? out.category : undefined;
      if (!k.metadata.subcategories.some((c) => c.value === sub && (c.depends_on === undefined || c.depends_on === category))) {
        throw validation(
          "fields.subcategory",
          `${JSON.stringify(sub)} is not a subcategory of ${category ? `category ${JSON.stringify(category)}` : "no category"}; choose the category first`,
        );
      }
    }
    return out;
  };

  /** One attempt at a push: the ticket is created or updated, or the item waits / fails. */
  const send = (item: OutboxItem): PushOutcome => {
    const c = caseOf(item.case_id);
    const k = state.connectors.find((x) => x.id === item.connector_id)!;
    try {
      connect(k);
    } catch (e) {
      const err = ApiError.from(e);
      item.attempts += 1;
      item.last_error = err.message;
      item.last_error_code = err.code;
      const retryable = RETRYABLE.includes(err.code);
      item.state = retryable ? "queued" : "failed";
      item.next_attempt_at = retryable ? new Date(Date.now() + 5_000 * 2 ** (item.attempts - 1)).toISOString() : null;
      c.pending_push = item.state;
      return retryable ? { outcome: "queued", item: { ...item } } : { outcome: "failed", item: { ...item } };
    }
    const key = `${c.id}/${k.id}`;
    let ticket = state.tickets.get(key);
    const created = !ticket;
    if (!ticket) {
      const n = state.nextTicket++;
      ticket =
        k.kind === "jira"
          ? { id: String(10_000 + n), title: `${k.project_key}-${n}`, url: `${k.url}/browse/${k.project_key}-${n}` }
          : { id: `sys${n}`, title: `${k.kind === "servicenow-sir" ? "SIR" : "INC"}${String(n).padStart(7, "0")}`, url: `${k.url}/nav_to.do?uri=incident.do%3Fsys_id%3Dsys${n}` };
      state.tickets.set(key, ticket);
    }
    state.outbox = state.outbox.filter((x) => x.id !== item.id);
    c.external_service = {
      connector_id: k.id,
      connector_name: k.name,
      external_id: ticket.id,
      external_title: ticket.title,
      external_url: ticket.url,
      pushed_at: now(),
      pushed_by: me,
    };
    c.push_state = "up_to_date";
    c.pending_push = null;
    touch(c);
    return {
      outcome: "sent",
      report: {
        case_id: c.id,
        connector_name: k.name,
        external_id: ticket.id,
        external_title: ticket.title,
        external_url: ticket.url,
        created,
        adopted: false,
        comments_sent: 0,
        closed_case: false,
      },
    };
  };

  const itemOf = (id: number): OutboxItem => {
    const item = state.outbox.find((x) => x.id === id);
    if (!item) throw notFoundError("push", `${id} in the outbox (it was sent or cancelled)`);
    return item;
  };

  return {
    state,
    /** A connector saved straight into the fake (its secret in the keychain), for a suite's setup. */
    add(space: string, input: ConnectorInput, patch: Partial<Connector> = {}): Connector {
      const k: Connector = {
        ...checkInput(input),
        id: `connector-${state.nextConnector++}`,
        space,
        secret_stored: false,
        metadata: null,
        metadata_fetched_at: null,
        created_at: now(),
        updated_at: now(),
        ...patch,
      };
      state.connectors.push(k);
      if (input.secret) state.keychain.set(k.id, input.secret);
      return shown(k);
    },

    listConnectors: async (space: string): Promise<Connector[]> =>
      state.connectors
        .filter((k) => k.space === space)
        .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
        .map(shown),
    createConnector: async (space: string, input: ConnectorInput): Promise<Connector> => {
      const checked = checkInput(input);
      const secret = input.secret?.trim();
      if (!secret) throw validation("secret", "is required: the API token, password or personal access token");
      if (state.connectors.some((k) => k.space === space && k.name === checked.name)) {
        throw new ApiError("already_exists", `connector already exists: ${checked.name}`, { what: "connector" });
      }
      const id = `connector-${state.nextConnector++}`;
      keychain().set(id, secret);
      const k: Connector = { ...checked, id, space, secret_stored: true, metadata: null, metadata_fetched_at: null, created_at: now(), updated_at: now() };
      state.connectors.push(k);
      return shown(k);
    },
    updateConnector: async (space: string, ref: string, input: ConnectorInput): Promise<Connector> => {
      const old = find(space, ref);
      if (input.kind !== old.kind) throw validation("type", `cannot change from ${old.kind} to ${input.kind}; create a new connector instead`);
      const checked = checkInput(input);
      const secret = input.secret?.trim();
      if (secret) keychain().set(old.id, secret);
      else if (!keychain().has(old.id)) {
        throw validation("secret", "is required: the keychain holds none for this connector any more; enter it again");
      }
      if (state.connectors.some((k) => k.space === space && k.id !== old.id && k.name === checked.name)) {
        throw new ApiError("already_exists", `connector already exists: ${checked.name}`, { what: "connector" });
      }
      const sameTarget = checked.url === old.url && checked.project_key === old.project_key && checked.mode === old.mode;
      Object.assign(old, checked, {
        updated_at: now(),
        metadata: sameTarget ? old.metadata : null,
        metadata_fetched_at: sameTarget ? old.metadata_fetched_at : null,
      });
      return shown(old);
    },
    deleteConnector: async (space: string, ref: string): Promise<null> => {
      const k = find(space, ref);
      keychain().delete(k.id);
      state.connectors = state.connectors.filter((x) => x.id !== k.id);
      state.outbox = state.outbox.filter((x) => x.connector_id !== k.id);
      return null;
    },
    testConnector: async (space: string, ref: string): Promise<ConnectionCheck> => {
      const k = find(space, ref);
      connect(k);
      const message =
        k.kind === "jira"
          ? `Connected to Jira at ${k.url}: project ${k.project_key} (Security operations) is reachable.`
          : k.mode === "table"
            ? `Connected to ServiceNow at ${k.url}: the ${k.kind === "servicenow-sir" ? "sn_si_incident" : "incident"} table is reachable.`
            : `Connected to ServiceNow at ${k.url}: the Elastic app (${k.kind === "servicenow-sir" ? "x_elas2_sir_int" : "x_elas2_inc_int"}) version 2.1.0 is installed.`;
      return { message };
    },
    refreshConnectorMetadata: async (space: string, ref: string): Promise<Connector> => {
      const k = find(space, ref);
      connect(k);
      k.metadata = structuredClone(FAKE_METADATA[k.kind]);
      k.metadata_fetched_at = now();
      return shown(k);
    },

    setCaseConnector: async (caseId: string, version: string, connector: string | null, fields: ConnectorFields): Promise<Case> => {
      const c = caseOf(caseId);
      const ref = connector?.trim();
      const chosen =
        !ref || ref === "none"
          ? { id: "none", name: "none", type: ".none", fields: null }
          : (() => {
              const k = find(c.space, ref);
              return { id: k.id, name: k.name, type: KIBANA_TYPE[k.kind], fields: checkFields(k, fields) };
            })();
      if (c.version !== version) {
        throw new ApiError(
          "conflict",
          `case ${c.id} was changed since you loaded it: you sent version ${version}, the current version is ${c.version}. Reload it and apply your change again.`,
          { what: "case" },
        );
      }
      c.connector = chosen;
      touch(c);
      return { ...c };
    },
    pushCase: async (caseId: string, connector: string | null = null): Promise<PushOutcome> => {
      const c = caseOf(caseId);
      if (c.status === "closed") throw validation("status", "closed cases are not pushed; reopen the case to create or update its ticket");
      const ref = connector?.trim() || (c.connector.type === ".none" ? null : c.connector.id);
      if (!ref) {
        throw validation(
          "connector",
          "the case has no connector; choose one in the case's External incident panel or with `casebook case set-connector`",
        );
      }
      const k = find(c.space, ref);
      let item = state.outbox.find((x) => x.case_id === c.id && x.connector_id === k.id);
      if (!item) {
        item = {
          id: state.nextOutbox++,
          case_id: c.id,
          case_title: c.title,
          space: c.space,
          connector_id: k.id,
          connector_name: k.name,
          state: "queued",
          attempts: 0,
          next_attempt_at: now(),
          requested_at: now(),
          last_error: null,
          last_error_code: null,
        };
        state.outbox.push(item);
      }
      item.state = "queued";
      item.next_attempt_at = now();
      c.pending_push = "queued";
      return send(item);
    },
    listOutbox: async (space: string | null): Promise<OutboxItem[]> =>
      state.outbox.filter((x) => space === null || x.space === space).map((x) => ({ ...x })),
    retryPush: async (id: number): Promise<PushOutcome> => send(itemOf(id)),
    cancelPush: async (id: number): Promise<null> => {
      const item = itemOf(id);
      state.outbox = state.outbox.filter((x) => x.id !== id);
      const c = init.findCase(item.case_id);
      if (c) c.pending_push = null;
      return null;
    },
    /** The background sender's pass: every queued push that is due. */
    sendDue(): PushOutcome[] {
      const due = state.outbox.filter((x) => x.state === "queued" && Date.parse(x.next_attempt_at ?? "") <= Date.now());
      return due.map(send);
    },
  };
}

export type ConnectorFake = ReturnType<typeof connectorFake>;

/** The client functions a ConnectorFake answers for. */
export const CONNECTOR_COMMANDS = [
  "listConnectors",
  "createConnector",
  "updateConnector",
  "deleteConnector",
  "testConnector",
  "refreshConnectorMetadata",
  "setCaseConnector",
  "pushCase",
  "listOutbox",
  "retryPush",
  "cancelPush",
] as const satisfies readonly CommandFunction[];

export type ConnectorCommand = (typeof CONNECTOR_COMMANDS)[number];

/** Points the mocked client functions (of `vi.mocked(client)`) at `fake`'s. */
export function answerFromConnectors(mocked: Record<ConnectorCommand, unknown>, fake: ConnectorFake) {
  for (const k of CONNECTOR_COMMANDS) (mocked[k] as { mockImplementation: (f: unknown) => void }).mockImplementation(fake[k]);
}
