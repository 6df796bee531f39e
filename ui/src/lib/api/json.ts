// Any JSON value: what serde_json::Value becomes in the generated bindings.
export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;
