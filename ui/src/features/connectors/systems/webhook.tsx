// Webhook – Case Management: one request per step (method, URL and JSON body templates with
// Kibana's Mustache variables), how it signs in, and its headers. Grouped as Requests,
// Authentication and Headers; a saved connector can preview the exact request for a case.
import { useState } from "react";
import type {
  CertType,
  RequestPreview,
  PreviewRequest,
  Verification,
  WebhookAuth,
  WebhookFind,
  WebhookMethod,
  WebhookRequest,
} from "../../../lib/api/bindings";
import { ApiError, previewConnectorRequest } from "../../../lib/api/client";
import { Field } from "../../../components/Field";
import type { SettingsFieldsProps, SettingsOf, SystemForm } from "./types";

type Settings = SettingsOf<"cases-webhook">;
type Props = SettingsFieldsProps<"cases-webhook">;

const SECRET_HEADER = "header:";
const MAX_HEADERS = 20;
const VARIABLES_HINT =
  "Mustache variables, filled in as JSON in bodies (no quotes around them) and URL-encoded in URLs: {{{case.title}}}, {{{case.description}}}, {{{case.tags}}}, {{{case.id}}}, {{{case.severity}}}, {{{case.status}}}, {{{case.comment}}}, {{{external.system.id}}}, {{{external.system.title}}}.";

const AUTH_LABEL: Record<WebhookAuth["type"], string> = {
  none: "None",
  basic: "Basic (user name and password)",
  bearer: "Bearer token",
  oauth2: "OAuth 2.0 client credentials",
  certificate: "Client certificate (PEM or PFX)",
};

function MethodSelect({ id, value, allowed, onChange }: { id: string; value: WebhookMethod; allowed: WebhookMethod[]; onChange: (m: WebhookMethod) => void }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as WebhookMethod)} aria-label="Method">
      {allowed.map((m) => (
        <option key={m} value={m}>
          {m.toUpperCase()}
        </option>
      ))}
    </select>
  );
}

type RequestProps = {
  prefix: string;
  title: string;
  allowed: WebhookMethod[];
  method: WebhookMethod;
  url: string;
  json?: string;
  /** Whether the body may be left out (a GET). */
  bodyOptional?: boolean;
  errorFor: (field: string) => string | undefined;
  onChange: (patch: { method?: WebhookMethod; url?: string; json?: string }) => void;
};

/** One request: method and URL on a line, the JSON body below. */
function RequestFields({ prefix, title, allowed, method, url, json, bodyOptional, errorFor, onChange }: RequestProps) {
  const id = `webhook-${prefix.replace(/_/g, "-")}`;
  const showBody = !bodyOptional || method === "post";
  return (
    <div className="webhook-request">
      <Field id={`${id}-url`} label={`${title} URL`} error={errorFor(`${prefix}.url`) ?? errorFor(`${prefix}.method`)} announce>
        <div className="field-row">
          <MethodSelect id={`${id}-method`} value={method} allowed={allowed} onChange={(m) => onChange({ method: m })} />
          <input
            id={`${id}-url`}
            className="mono grow"
            value={url}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => onChange({ url: e.target.value })}
            aria-invalid={errorFor(`${prefix}.url`) ? true : undefined}
            aria-describedby={`${id}-url-error`}
          />
        </div>
      </Field>
      {showBody && (
        <Field id={`${id}-json`} label={`${title} body (JSON)`} error={errorFor(`${prefix}.json`)} announce>
          <textarea
            id={`${id}-json`}
            className="mono"
            rows={5}
            value={json ?? ""}
            spellCheck={false}
            onChange={(e) => onChange({ json: e.target.value })}
            aria-invalid={errorFor(`${prefix}.json`) ? true : undefined}
            aria-describedby={`${id}-json-error`}
          />
        </Field>
      )}
    </div>
  );
}

function TextField({ id, label, value, hint, error, onChange, mono = true }: { id: string; label: string; value: string; hint?: string; error?: string; onChange: (v: string) => void; mono?: boolean }) {
  return (
    <Field id={id} label={label} hint={hint} error={error} announce>
      <input
        id={id}
        className={mono ? "mono" : undefined}
        value={value}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : "", `${id}-error`].join(" ").trim()}
      />
    </Field>
  );
}

function Requests({ settings, set, errorFor }: Props) {
  const comment = settings.create_comment;
  const find = settings.find_incident;
  const setComment = (patch: Partial<WebhookRequest>) => set({ create_comment: { ...(comment as WebhookRequest), ...patch } });
  const setFind = (patch: Partial<WebhookFind>) => set({ find_incident: { ...(find as WebhookFind), ...patch } });
  return (
    <fieldset className="webhook-group">
      <legend>Requests</legend>
      <p className="hint">{VARIABLES_HINT}</p>
      <RequestFields
        prefix="create_incident"
        title="Create"
        allowed={["post", "put"]}
        {...settings.create_incident}
        errorFor={errorFor}
        onChange={(p) => set({ create_incident: { ...settings.create_incident, ...p } })}
      />
      <TextField
        id="webhook-create-response-key"
        label="Incident id in the create answer"
        hint="A path such as ticket.id"
        value={settings.create_incident.response_key}
        error={errorFor("create_incident.response_key")}
        onChange={(v) => set({ create_incident: { ...settings.create_incident, response_key: v } })}
      />
      <RequestFields
        prefix="get_incident"
        title="Get"
        allowed={["get", "post"]}
        bodyOptional
        {...settings.get_incident}
        errorFor={errorFor}
        onChange={(p) => set({ get_incident: { ...settings.get_incident, ...p } })}
      />
      <TextField
        id="webhook-get-title-key"
        label="Incident title in the get answer"
        hint="A path such as ticket.key"
        value={settings.get_incident.title_key}
        error={errorFor("get_incident.title_key")}
        onChange={(v) => set({ get_incident: { ...settings.get_incident, title_key: v } })}
      />
      <TextField
        id="webhook-view-url"
        label="Incident view URL"
        hint="Where people open it, e.g. https://tickets.example.com/browse/{{{external.system.title}}}"
        value={settings.view_incident_url}
        error={errorFor("view_incident_url")}
        onChange={(v) => set({ view_incident_url: v })}
      />
      <RequestFields
        prefix="update_incident"
        title="Update"
        allowed={["put", "patch", "post"]}
        {...settings.update_incident}
        errorFor={errorFor}
        onChange={(p) => set({ update_incident: { ...settings.update_incident, ...p } })}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={comment !== undefined}
          onChange={(e) => set({ create_comment: e.target.checked ? { method: "post", url: "", json: '{"body": {{{case.comment}}}}' } : undefined })}
        />
        Send comments
      </label>
      {comment && <RequestFields prefix="create_comment" title="Comment" allowed={["post", "put", "patch"]} {...comment} errorFor={errorFor} onChange={setComment} />}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={find !== undefined}
          onChange={(e) => set({ find_incident: e.target.checked ? { method: "get", url: "", id_key: "" } : undefined })}
        />
        Find an incident by case id (so a lost answer never makes a second incident)
      </label>
      {!find && <p className="hint">Without it, a create whose answer was lost waits in the outbox for your check.</p>}
      {find && (
        <>
          <RequestFields prefix="find_incident" title="Find" allowed={["get", "post"]} bodyOptional {...find} errorFor={errorFor} onChange={setFind} />
          <TextField
            id="webhook-find-id-key"
            label="Incident id in the find answer"
            hint="A path such as tickets[0].id; empty: the create's path"
            value={find.id_key ?? ""}
            error={errorFor("find_incident.id_key")}
            onChange={(v) => setFind({ id_key: v })}
          />
        </>
      )}
    </fieldset>
  );
}

function Authentication({ settings, set, errorFor, secrets, setSecret, storedSecrets }: Props) {
  const auth = settings.auth;
  const setAuth = (a: WebhookAuth) => set({ auth: a });
  const keyStored = storedSecrets.includes("client_key");
  return (
    <fieldset className="webhook-group">
      <legend>Authentication</legend>
      <Field id="webhook-auth" label="Sign-in" error={errorFor("auth")} announce>
        <select
          id="webhook-auth"
          value={auth.type}
          onChange={(e) => {
            const t = e.target.value as WebhookAuth["type"];
            if (t === "basic") setAuth({ type: "basic", username: "" });
            else if (t === "oauth2") setAuth({ type: "oauth2", access_token_url: "", client_id: "" });
            else if (t === "certificate") setAuth({ type: "certificate", cert_type: "pem", certificate: "", verification: "full" });
            else setAuth({ type: t });
          }}
        >
          {(Object.keys(AUTH_LABEL) as WebhookAuth["type"][]).map((t) => (
            <option key={t} value={t}>
              {AUTH_LABEL[t]}
            </option>
          ))}
        </select>
      </Field>
      {auth.type === "basic" && (
        <TextField id="webhook-username" label="User name" mono={false} value={auth.username} error={errorFor("auth.username")} onChange={(v) => setAuth({ ...auth, username: v })} />
      )}
      {auth.type === "oauth2" && (
        <>
          <TextField
            id="webhook-token-url"
            label="Access token URL"
            value={auth.access_token_url}
            error={errorFor("auth.access_token_url")}
            onChange={(v) => setAuth({ ...auth, access_token_url: v })}
          />
          <TextField id="webhook-client-id" label="Client id" value={auth.client_id} error={errorFor("auth.client_id")} onChange={(v) => setAuth({ ...auth, client_id: v })} />
          <TextField id="webhook-scope" label="Scope (optional)" value={auth.scope ?? ""} error={errorFor("auth.scope")} onChange={(v) => setAuth({ ...auth, scope: v })} />
          <AdditionalFields value={auth.additional_fields} error={errorFor("auth.additional_fields")} onChange={(f) => setAuth({ ...auth, additional_fields: f })} />
        </>
      )}
      {auth.type === "certificate" && (
        <>
          <Field id="webhook-cert-type" label="Certificate form" error={errorFor("auth.cert_type")} announce>
            <select id="webhook-cert-type" value={auth.cert_type} onChange={(e) => setAuth({ ...auth, cert_type: e.target.value as CertType })}>
              <option value="pem">PEM certificate and key</option>
              <option value="pfx">PFX file (base64)</option>
            </select>
          </Field>
          {auth.cert_type === "pem" && (
            <PemField id="webhook-certificate" label="Certificate (PEM)" value={auth.certificate ?? ""} error={errorFor("auth.certificate")} onChange={(v) => setAuth({ ...auth, certificate: v })} />
          )}
          <PemField
            id="webhook-client-key"
            label={auth.cert_type === "pem" ? "Private key (PEM)" : "PFX file (base64, e.g. from `base64 -w0 client.pfx`)"}
            hint={keyStored ? "Stored in keychain — leave empty to keep it" : "Stored in your OS keychain only."}
            value={secrets.client_key ?? ""}
            error={errorFor("secrets")}
            onChange={(v) => setSecret("client_key", v)}
          />
          {auth.cert_type === "pfx" && (
            <Field id="webhook-pfx-password" label="PFX password" hint={storedSecrets.includes("client_key_password") ? "Stored in keychain — leave empty to keep it" : undefined} announce>
              <input
                id="webhook-pfx-password"
                type="password"
                value={secrets.client_key_password ?? ""}
                autoComplete="off"
                onChange={(e) => setSecret("client_key_password", e.target.value)}
              />
            </Field>
          )}
          <PemField id="webhook-ca" label="CA certificate (PEM, optional)" value={auth.ca ?? ""} error={errorFor("auth.ca")} onChange={(v) => setAuth({ ...auth, ca: v })} />
          <Field id="webhook-verification" label="Server certificate check" error={errorFor("auth.verification")} announce>
            <select id="webhook-verification" value={auth.verification} onChange={(e) => setAuth({ ...auth, verification: e.target.value as Verification })}>
              <option value="full">Full (trusted chain and host name)</option>
              <option value="certificate">Chain to the CA only (any host name)</option>
              <option value="none">None (accept any certificate)</option>
            </select>
          </Field>
        </>
      )}
    </fieldset>
  );
}

function PemField({ id, label, hint, value, error, onChange }: { id: string; label: string; hint?: string; value: string; error?: string; onChange: (v: string) => void }) {
  return (
    <Field id={id} label={label} hint={hint} error={error} announce>
      <textarea id={id} className="mono" rows={3} value={value} spellCheck={false} placeholder="-----BEGIN …-----" onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

/** The OAuth token request's extra form fields, one `name=value` a line. */
function AdditionalFields({ value, error, onChange }: { value: Record<string, string> | undefined; error?: string; onChange: (v: Record<string, string> | undefined) => void }) {
  const [text, setText] = useState(() =>
    Object.entries(value ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
  );
  return (
    <Field id="webhook-additional-fields" label="Additional token request fields (optional)" hint="One name=value a line, e.g. audience=tickets-api" error={error} announce>
      <textarea
        id="webhook-additional-fields"
        className="mono"
        rows={2}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const pairs = e.target.value
            .split("\n")
            .map((l) => l.split("="))
            .filter((p) => p.length >= 2 && p[0].trim() !== "")
            .map(([k, ...rest]) => [k.trim(), rest.join("=").trim()] as const);
          onChange(pairs.length ? Object.fromEntries(pairs) : undefined);
        }}
      />
    </Field>
  );
}

function Headers({ settings, set, errorFor, secrets, setSecret, storedSecrets }: Props) {
  const plain = Object.entries(settings.headers);
  const secretNames = [
    ...new Set([...storedSecrets.filter((n) => n.startsWith(SECRET_HEADER)), ...Object.keys(secrets).filter((n) => n.startsWith(SECRET_HEADER))]),
  ].filter((n) => secrets[n] !== "");
  const [newSecret, setNewSecret] = useState("");
  const setPlain = (rows: [string, string][]) => set({ headers: Object.fromEntries(rows) });
  const total = plain.length + secretNames.length;
  return (
    <fieldset className="webhook-group">
      <legend>Headers</legend>
      <p className="hint">At most {MAX_HEADERS}. A secret header is kept in your OS keychain and wins over a plain one of the same name.</p>
      {plain.map(([name, value], i) => (
        <div className="field-row" key={i}>
          <input
            aria-label={`Header ${i + 1} name`}
            className="mono"
            value={name}
            onChange={(e) => setPlain(plain.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))}
          />
          <input
            aria-label={`Header ${i + 1} value`}
            className="mono grow"
            value={value}
            onChange={(e) => setPlain(plain.map((r, j) => (j === i ? [r[0], e.target.value] : r)))}
          />
          <button type="button" className="btn" onClick={() => setPlain(plain.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      {secretNames.map((key) => {
        const name = key.slice(SECRET_HEADER.length);
        const stored = storedSecrets.includes(key);
        return (
          <div className="field-row" key={key}>
            <span className="mono">{name}</span>
            <input
              type="password"
              aria-label={`Secret header ${name} value`}
              className="mono grow"
              placeholder={stored ? "Stored in keychain — leave empty to keep it" : ""}
              value={secrets[key] ?? ""}
              onChange={(e) => setSecret(key, e.target.value)}
            />
            <button type="button" className="btn" onClick={() => setSecret(key, "")}>
              Remove
            </button>
          </div>
        );
      })}
      <span className="field-error" role={errorFor("headers") ? "alert" : undefined}>
        {errorFor("headers")}
      </span>
      <div className="field-row">
        <button type="button" className="btn" disabled={total >= MAX_HEADERS} onClick={() => setPlain([...plain, ["", ""]])}>
          Add header
        </button>
        <input aria-label="New secret header name" className="mono" placeholder="X-Api-Key" value={newSecret} onChange={(e) => setNewSecret(e.target.value)} />
        <button
          type="button"
          className="btn"
          disabled={total >= MAX_HEADERS || newSecret.trim() === ""}
          onClick={() => {
            setSecret(`${SECRET_HEADER}${newSecret.trim()}`, " ");
            setNewSecret("");
          }}
        >
          Add secret header
        </button>
      </div>
    </fieldset>
  );
}

/** The exact request a push of a case would send, for a saved connector. */
function Preview({ connector }: { connector: { space: string; id: string } }) {
  const [caseId, setCaseId] = useState("");
  const [request, setRequest] = useState<PreviewRequest>("create");
  const [shown, setShown] = useState<RequestPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setError(null);
    try {
      setShown(await previewConnectorRequest(connector.space, connector.id, caseId.trim(), request));
    } catch (e) {
      setShown(null);
      setError(ApiError.from(e).message);
    }
  };
  return (
    <fieldset className="webhook-group">
      <legend>Preview request</legend>
      <p className="hint">Shows the saved settings filled in with a case; secrets show as ••••. Nothing is sent.</p>
      <div className="field-row">
        <input aria-label="Case id" className="mono grow" placeholder="Case id" value={caseId} onChange={(e) => setCaseId(e.target.value)} />
        <select aria-label="Request" value={request} onChange={(e) => setRequest(e.target.value as PreviewRequest)}>
          {(["create", "update", "comment", "get", "find"] as const).map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button type="button" className="btn" disabled={caseId.trim() === ""} onClick={() => void run()}>
          Preview request
        </button>
      </div>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
      {shown && (
        <pre className="mono webhook-preview" aria-label="Request preview">
          {[`${shown.method} ${shown.url}`, ...shown.headers.map((h) => `${h.name}: ${h.value}`), ...(shown.body ? ["", shown.body] : [])].join("\n")}
        </pre>
      )}
    </fieldset>
  );
}

function WebhookFields(props: Props) {
  return (
    <>
      <Requests {...props} />
      <Authentication {...props} />
      <Headers {...props} />
      {props.connector && <Preview connector={props.connector} />}
    </>
  );
}

const trimmed = (s: string | undefined) => (s && s.trim() !== "" ? s.trim() : undefined);

export const webhook: SystemForm<"cases-webhook"> = {
  defaults: () => ({
    kind: "cases-webhook",
    create_incident: { method: "post", url: "", json: '{\n  "title": {{{case.title}}},\n  "description": {{{case.description}}},\n  "tags": {{{case.tags}}},\n  "case_id": {{{case.id}}}\n}', response_key: "" },
    get_incident: { method: "get", url: "", title_key: "" },
    view_incident_url: "",
    update_incident: { method: "put", url: "", json: '{\n  "title": {{{case.title}}},\n  "description": {{{case.description}}}\n}' },
    headers: {},
    auth: { type: "none" },
  }),
  Fields: WebhookFields,
  urlPlaceholder: "https://tickets.example.com",
  namePlaceholder: "Ticket system",
  secretLabel: (s) =>
    s.auth.type === "basic" ? "Password" : s.auth.type === "bearer" ? "Bearer token" : s.auth.type === "oauth2" ? "Client secret" : "Secret (not used with this sign-in)",
  secretHint: (s) => (s.auth.type === "none" || s.auth.type === "certificate" ? "Leave empty: this sign-in has no password or token." : undefined),
  clean: (s: Settings): Settings => {
    const auth: WebhookAuth =
      s.auth.type === "oauth2"
        ? { ...s.auth, scope: trimmed(s.auth.scope), additional_fields: s.auth.additional_fields }
        : s.auth.type === "certificate"
          ? { ...s.auth, certificate: s.auth.cert_type === "pem" ? trimmed(s.auth.certificate) : undefined, ca: trimmed(s.auth.ca) }
          : s.auth;
    const headers = Object.fromEntries(Object.entries(s.headers).filter(([n]) => n.trim() !== ""));
    const get = { ...s.get_incident, json: s.get_incident.method === "post" ? s.get_incident.json : undefined };
    const find = s.find_incident && { ...s.find_incident, json: s.find_incident.method === "post" ? s.find_incident.json : undefined, id_key: trimmed(s.find_incident.id_key) };
    return { ...s, get_incident: get, find_incident: find, headers, auth };
  },
};
