// A case's connector fields, in Kibana's names, and where the form finds their choices.
import type { Case, Choice, ChoiceField, ConnectorMetadata } from "../../lib/api/bindings";
import type { ConnectorFields } from "../../lib/api/client";

// The fields and their drop-downs are the core's (connectors/fields.rs), through the bindings.
export {
  CONNECTOR_CHOICE_FIELDS as CHOICE_FIELDS,
  CONNECTOR_JSON_FIELDS as JSON_FIELDS,
  CONNECTOR_SWITCHES as SWITCHES,
} from "../../lib/api/bindings";

/** The fields saved on the case: text, switches, and additional fields as JSON text to edit. */
export function fieldsOf(c: Case): ConnectorFields {
  const raw = c.connector.fields;
  const out: ConnectorFields = {};
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v === "string" || typeof v === "boolean") out[k] = v;
      else if (v && typeof v === "object") out[k] = JSON.stringify(v, null, 2);
    }
  }
  return out;
}

/** The choices of a field; a subcategory offers only those of the chosen category. */
export function choicesFor(field: ChoiceField, metadata: ConnectorMetadata, fields: ConnectorFields): Choice[] {
  const list = metadata[field.list];
  if (field.name !== "subcategory") return list;
  const category = typeof fields.category === "string" ? fields.category : undefined;
  return list.filter((c) => c.depends_on === undefined || c.depends_on === category);
}

/**
 * The fields after one change: blank and off values are left out (the core drops them too), and
 * a subcategory that does not belong to a newly chosen category goes.
 */
export function withField(fields: ConnectorFields, name: string, value: string | boolean, metadata: ConnectorMetadata | null): ConnectorFields {
  const next: ConnectorFields = { ...fields, [name]: value };
  if (value === "" || value === false) delete next[name];
  if (name === "category" && typeof next.subcategory === "string" && metadata) {
    const sub = metadata.subcategories.find((c) => c.value === next.subcategory);
    if (sub?.depends_on !== undefined && sub.depends_on !== next.category) delete next.subcategory;
  }
  return next;
}
