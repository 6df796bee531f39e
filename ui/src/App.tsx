import { lazy, Suspense } from "react";
import { CaseView } from "./features/case-view/CaseView";
import { CasesPage } from "./features/cases/CasesPage";
import { OutboxButton } from "./features/outbox/OutboxButton";
import { UnlockAtStart } from "./features/secrets/UnlockAtStart";
import { FirstRunDialog } from "./features/settings/FirstRunDialog";
import { SettingsPage } from "./features/settings/SettingsPage";
import { SpaceSwitcher } from "./features/spaces/SpaceSwitcher";
import { useSpace } from "./features/spaces/useSpace";
import { navigate, routeHref, useRoute } from "./lib/route";

// ECharts is large and only the Analytics page draws charts: it loads when first opened.
const AnalyticsPage = lazy(() => import("./features/analytics/AnalyticsPage").then((m) => ({ default: m.AnalyticsPage })));

export function App() {
  const { space, choose, spaces } = useSpace();
  const route = useRoute();
  const onCases = route.page === "cases" || route.page === "case";
  return (
    <div className="app">
      <header className="app-header">
        <a className="brand" href={routeHref({ page: "cases" })}>
          <span className="brand-mark" aria-hidden="true">
            ▣
          </span>
          Casebook
        </a>
        <nav className="app-nav" aria-label="Main">
          <a className="nav-item" href={routeHref({ page: "cases" })} aria-current={onCases ? "page" : undefined}>
            Cases
          </a>
          <a
            className="nav-item"
            href={routeHref({ page: "analytics" })}
            aria-current={route.page === "analytics" ? "page" : undefined}
          >
            Analytics
          </a>
          <a
            className="nav-item"
            href={routeHref({ page: "settings" })}
            aria-current={route.page === "settings" ? "page" : undefined}
          >
            Settings
          </a>
        </nav>
        <OutboxButton space={space} />
        <SpaceSwitcher
          space={space}
          spaces={spaces}
          onChoose={(name) => {
            choose(name);
            // A case belongs to one space: switching shows the other space's list.
            if (route.page === "case") navigate({ page: "cases" });
          }}
        />
      </header>
      <main className="app-main">
        {/* A new page per space: its filters are kept, its dialogs are not. */}
        {route.page === "cases" && <CasesPage key={space} space={space} />}
        {route.page === "case" && <CaseView key={`${space}/${route.id}`} space={space} id={route.id} tab={route.tab} />}
        {route.page === "analytics" && (
          <Suspense fallback={<p className="hint">Loading Analytics…</p>}>
            <AnalyticsPage key={space} space={space} />
          </Suspense>
        )}
        {route.page === "settings" && <SettingsPage key={space} space={space} section={route.section} />}
      </main>
      <FirstRunDialog />
      <UnlockAtStart />
    </div>
  );
}
