import type { MouseEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { ApiError, getConfiguration } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { ConnectorsSection } from "../connectors/ConnectorsSection";
import { AlertSourceSection } from "./AlertSourceSection";
import { IdsSection } from "./IdsSection";
import { ClosureSection } from "./ClosureSection";
import { CustomFieldsSection } from "./CustomFieldsSection";
import { ObservableTypesSection } from "./ObservableTypesSection";
import { ProfileSection } from "./ProfileSection";
import { SecretsSection } from "./SecretsSection";
import { SpacesSection } from "./SpacesSection";
import { TeammatesSection } from "./TeammatesSection";
import { TemplatesSection } from "./TemplatesSection";
import "./settings.css";

/**
 * Kibana's Cases settings page for the current space (closures, custom fields, templates,
 * observable types), the space's connectors to Jira and ServiceNow and its Elasticsearch alert source,
 * plus what Kibana keeps elsewhere: the people who can be assigned, and the spaces.
 */
export function SettingsPage({ space }: { space: string }) {
  const config = useQuery({ queryKey: queryKeys.configuration(space), queryFn: () => getConfiguration(space) });

  return (
    <div className="settings-page">
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      <nav className="settings-nav" aria-label="Settings sections">
        <a href="#settings-profile" onClick={jump}>People</a>
        <a href="#settings-spaces" onClick={jump}>Spaces</a>
        <a href="#settings-case-numbers" onClick={jump}>Case numbers</a>
        <a href="#settings-secrets" onClick={jump}>Secrets</a>
        <a href="#settings-closure" onClick={jump}>Case closures</a>
        <a href="#settings-custom-fields" onClick={jump}>Custom fields</a>
        <a href="#settings-templates" onClick={jump}>Templates</a>
        <a href="#settings-observable-types" onClick={jump}>Observable types</a>
        <a href="#settings-connectors" onClick={jump}>Connectors</a>
        <a href="#settings-alert-source" onClick={jump}>Alert source</a>
      </nav>

      <div className="settings-group">
        <h2 className="settings-group-title">People (all spaces)</h2>
        <ProfileSection />
        <TeammatesSection />
        <SpacesSection current={space} />
        <IdsSection />
        <SecretsSection />
      </div>

      <div className="settings-group">
        <h2 className="settings-group-title">
          Case settings of space <span className="mono">{space}</span>
        </h2>
        {config.isPending && (
          <div className="state-panel" role="status">
            <p>
              <span className="spinner" aria-hidden="true" />
              Loading the settings of {space}…
            </p>
          </div>
        )}
        {config.isError && (
          <div className="state-panel error" role="alert">
            <h2>The settings could not be loaded</h2>
            <p className="error-message">{ApiError.from(config.error).message}</p>
            <button type="button" className="button" onClick={() => void config.refetch()}>
              Try again
            </button>
          </div>
        )}
        {config.data && (
          <>
            <ClosureSection space={space} config={config.data} />
            <CustomFieldsSection space={space} config={config.data} />
            <TemplatesSection space={space} config={config.data} />
            <ObservableTypesSection space={space} config={config.data} />
          </>
        )}
        <ConnectorsSection space={space} />
        <AlertSourceSection space={space} />
      </div>
    </div>
  );
}

/** In-page links: the hash holds the route (#/settings), so scroll instead of navigating. */
function jump(e: MouseEvent<HTMLAnchorElement>) {
  e.preventDefault();
  const id = e.currentTarget.getAttribute("href")?.slice(1);
  const target = id ? document.getElementById(id) : null;
  target?.scrollIntoView({ block: "start" });
  target?.closest("section")?.querySelector<HTMLElement>("h2")?.focus?.();
}
