// What the Settings list shows for each section (route.ts has their order and addresses), shared
// so that a message elsewhere ("add them in Settings → People") names a section exactly as the
// list does and links to it.
import { SETTINGS_SECTIONS, routeHref, type SettingsSection } from "./route";

type SectionInfo = {
  title: string;
  /** "space": the current space's case settings; "all": shared by every space. */
  scope: "space" | "all";
};

export const SETTINGS_SECTION_INFO: Record<SettingsSection, SectionInfo> = {
  closure: { title: "Case closures", scope: "space" },
  sla: { title: "Service levels", scope: "space" },
  connectors: { title: "Connectors", scope: "space" },
  "custom-fields": { title: "Custom fields", scope: "space" },
  templates: { title: "Templates", scope: "space" },
  "observable-types": { title: "Observable types", scope: "space" },
  "alert-source": { title: "Alert source", scope: "space" },
  "case-numbers": { title: "Case numbers", scope: "all" },
  people: { title: "People", scope: "all" },
  spaces: { title: "Spaces", scope: "all" },
  secrets: { title: "Secrets", scope: "all" },
};

/** The sections of one scope, in list order. */
export const settingsSectionsOf = (scope: SectionInfo["scope"]) =>
  SETTINGS_SECTIONS.filter((s) => SETTINGS_SECTION_INFO[s].scope === scope);

export const settingsHref = (section: SettingsSection) => routeHref({ page: "settings", section });
