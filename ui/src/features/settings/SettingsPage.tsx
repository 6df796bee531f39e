import type { ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import type { CaseConfiguration } from "../../lib/api/bindings";
import { ApiError, getConfiguration } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { SETTINGS_SECTIONS, type SettingsSection } from "../../lib/route";
import { SETTINGS_SECTION_INFO, settingsHref, settingsSectionsOf } from "../../lib/settingsSections";
import { ConnectorsSection } from "../connectors/ConnectorsSection";
import { AlertSourceSection } from "./AlertSourceSection";
import { IdsSection } from "./IdsSection";
import { ClosureSection } from "./ClosureSection";
import { CustomFieldsSection } from "./CustomFieldsSection";
import { ObservableTypesSection } from "./ObservableTypesSection";
import { ProfileSection } from "./ProfileSection";
import { SecretsSection } from "./SecretsSection";
import { SlaSection } from "./SlaSection";
import { SpacesSection } from "./SpacesSection";
import { TeammatesSection } from "./TeammatesSection";
import { TemplatesSection } from "./TemplatesSection";
import "./settings.css";

/**
 * Kibana's Cases settings of the current space (closures, connectors, custom fields, templates,
 * observable types, the Elasticsearch alert source), plus what Kibana keeps elsewhere: case
 * numbering, the people who can be assigned, and the spaces. One section at a time, chosen in a
 * list of links (`#/settings/<section>`), so a message can link to one and Back returns.
 */
export function SettingsPage({ space, section = SETTINGS_SECTIONS[0] }: { space: string; section?: SettingsSection }) {
  return (
    <div className="settings-page">
      <nav className="settings-nav" aria-label="Settings sections">
        <h1>Settings</h1>
        <NavGroup title="This space" detail={space} sections={settingsSectionsOf("space")} current={section} />
        <NavGroup title="All spaces" sections={settingsSectionsOf("all")} current={section} />
      </nav>
      {/* A new element per section: the content starts at its top, with its own scroll bar. */}
      <div key={section} className="settings-content">
        <p className="settings-scope">
          {SETTINGS_SECTION_INFO[section].scope === "space" ? (
            <>
              Case settings of space <span className="mono">{space}</span>
            </>
          ) : (
            "Shared by every space"
          )}
        </p>
        <SectionBody space={space} section={section} />
      </div>
    </div>
  );
}

function NavGroup({
  title,
  detail,
  sections,
  current,
}: {
  title: string;
  detail?: string;
  sections: readonly SettingsSection[];
  current: SettingsSection;
}) {
  const headingId = `settings-nav-${title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <div className="settings-nav-group">
      <h2 id={headingId} className="settings-nav-title">
        {title}
        {detail && (
          <>
            {" "}
            <span className="mono" title={detail}>
              {detail}
            </span>
          </>
        )}
      </h2>
      <ul aria-labelledby={headingId}>
        {sections.map((s) => (
          <li key={s}>
            <a href={settingsHref(s)} aria-current={s === current ? "page" : undefined}>
              {SETTINGS_SECTION_INFO[s].title}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function SectionBody({ space, section }: { space: string; section: SettingsSection }) {
  switch (section) {
    case "closure":
      return <WithConfiguration space={space}>{(config) => <ClosureSection space={space} config={config} />}</WithConfiguration>;
    case "sla":
      return <WithConfiguration space={space}>{(config) => <SlaSection space={space} config={config} />}</WithConfiguration>;
    case "connectors":
      return <ConnectorsSection space={space} />;
    case "custom-fields":
      return (
        <WithConfiguration space={space}>{(config) => <CustomFieldsSection space={space} config={config} />}</WithConfiguration>
      );
    case "templates":
      return <WithConfiguration space={space}>{(config) => <TemplatesSection space={space} config={config} />}</WithConfiguration>;
    case "observable-types":
      return (
        <WithConfiguration space={space}>{(config) => <ObservableTypesSection space={space} config={config} />}</WithConfiguration>
      );
    case "alert-source":
      return <AlertSourceSection space={space} />;
    case "case-numbers":
      return <IdsSection />;
    case "secrets":
      return <SecretsSection />;
    case "people":
      return (
        <>
          <ProfileSection />
          <TeammatesSection />
        </>
      );
    case "spaces":
      return <SpacesSection current={space} />;
  }
}

/** The space's case settings (one read shared by four sections), or why they are not shown. */
function WithConfiguration({ space, children }: { space: string; children: (config: CaseConfiguration) => ReactNode }) {
  const config = useQuery({ queryKey: queryKeys.configuration(space), queryFn: () => getConfiguration(space) });
  if (config.isPending) {
    return (
      <div className="state-panel" role="status">
        <p>
          <span className="spinner" aria-hidden="true" />
          Loading the settings of {space}…
        </p>
      </div>
    );
  }
  if (config.isError) {
    return (
      <div className="state-panel error" role="alert">
        <h2>The settings could not be loaded</h2>
        <p className="error-message">{ApiError.from(config.error).message}</p>
        <button type="button" className="button" onClick={() => void config.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  return <>{children(config.data)}</>;
}
