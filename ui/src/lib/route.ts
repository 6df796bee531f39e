// Where the window is: kept in the URL hash so the navigation guard never sees a new page
// load, and Back/Forward (Alt+←/→) work as users expect.
import { useEffect, useState } from "react";

/** The tabs of a case: `#/cases/<uuid>?tab=alerts` (Activity, the default, is left out). */
export const CASE_TABS = ["activity", "alerts", "observables", "similar"] as const;
export type CaseTab = (typeof CASE_TABS)[number];

/**
 * The sections of Settings, `#/settings/<section>`: the space's case settings first, then what
 * all spaces share. The first is shown for a bare `#/settings`.
 */
export const SETTINGS_SECTIONS = [
  "closure",
  "sla",
  "connectors",
  "custom-fields",
  "templates",
  "observable-types",
  "alert-source",
  "case-numbers",
  "people",
  "spaces",
  "secrets",
] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export type Route =
  | { page: "cases" }
  | { page: "analytics" }
  | { page: "case"; id: string; tab?: CaseTab }
  | { page: "settings"; section?: SettingsSection };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isSettingsSection(s: string | undefined): s is SettingsSection {
  return s !== undefined && (SETTINGS_SECTIONS as readonly string[]).includes(s);
}

function isCaseTab(s: string | null): s is CaseTab {
  return s !== null && (CASE_TABS as readonly string[]).includes(s);
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, "");
  const q = raw.indexOf("?");
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? "" : raw.slice(q + 1));
  const [first, second] = path.split("/");
  if (first === "settings") {
    return isSettingsSection(second) && second !== SETTINGS_SECTIONS[0] ? { page: "settings", section: second } : { page: "settings" };
  }
  if (first === "analytics") return { page: "analytics" };
  if (first === "cases" && second && UUID.test(second)) {
    const tab = params.get("tab");
    return isCaseTab(tab) && tab !== "activity" ? { page: "case", id: second.toLowerCase(), tab } : { page: "case", id: second.toLowerCase() };
  }
  return { page: "cases" };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case "cases":
      return "#/cases";
    case "analytics":
      return "#/analytics";
    case "case":
      return `#/cases/${route.id}${route.tab && route.tab !== "activity" ? `?tab=${route.tab}` : ""}`;
    case "settings":
      return route.section && route.section !== SETTINGS_SECTIONS[0] ? `#/settings/${route.section}` : "#/settings";
  }
}

export function navigate(route: Route): void {
  const href = routeHref(route);
  if (window.location.hash !== href) window.location.hash = href;
}

/**
 * Shows `route` in the address without a new history entry nor a hashchange: for state that
 * lives in the page already (a case's tab), so Back still leads to the previous page.
 */
export function replaceRoute(route: Route): void {
  const href = routeHref(route);
  if (window.location.hash !== href) window.history.replaceState(window.history.state, "", href);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
