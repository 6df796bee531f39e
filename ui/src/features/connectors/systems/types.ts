// What each system's settings form provides. The settings' shape and rules are the core's
// (ConnectorSettings in the bindings); a form only lays them out.
import type { ComponentType } from "react";
import type { Connector, ConnectorInput, ConnectorKind, ConnectorSettings } from "../../../lib/api/bindings";

/** The settings of one kind: `{kind: "jira", project_key, …}`. */
export type SettingsOf<K extends ConnectorKind> = Extract<ConnectorSettings, { kind: K }>;

export type SettingsFieldsProps<K extends ConnectorKind> = {
  settings: SettingsOf<K>;
  set: (patch: Partial<SettingsOf<K>>) => void;
  /** The core's message when its refusal is about this settings field, else undefined. */
  errorFor: (field: string) => string | undefined;
  /**
   * The rest of the form, for settings chosen from what the system answers (Swimlane's field
   * mappings): the space, the connector being edited, and the input as Save would send it.
   */
  connection: { space: string; editing: Connector | null; input: () => ConnectorInput };
  /** Named secrets typed in this form (a webhook's `header:<Name>`, `client_key`); "" removes one. */
  secrets: Record<string, string>;
  setSecret: (name: string, value: string) => void;
  /** The names of the secrets the keychain holds for the connector being edited. */
  storedSecrets: string[];
  /** The connector being edited, once saved (for requests that need it, such as a preview). */
  connector?: { space: string; id: string };
};

export type SystemForm<K extends ConnectorKind> = {
  /** A new connector's settings. */
  defaults: () => SettingsOf<K>;
  /** The system's own fields, between URL and secret. */
  Fields: ComponentType<SettingsFieldsProps<K>>;
  /** The address users copy from their browser, as an example. */
  urlPlaceholder: string;
  namePlaceholder: string;
  /** What the secret is called with these settings. */
  secretLabel: (s: SettingsOf<K>) => string;
  /** A hint under the secret (where to create one), if any. */
  secretHint?: (s: SettingsOf<K>) => string | undefined;
  /** The settings as sent: trimmed, and without the fields that do not apply. */
  clean: (s: SettingsOf<K>) => SettingsOf<K>;
};
