import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ApiError, alertOverview, getCase, similarCases } from "../../lib/api/client";
import { useHotkeys } from "../../components/hotkeys";
import { queryKeys } from "../../lib/queryKeys";
import { navigate, replaceRoute, routeHref, type CaseTab } from "../../lib/route";
import { CreateCaseDialog } from "../cases/CreateCaseDialog";
import { ActivityFeed } from "./ActivityFeed";
import { AlertsTab } from "./alerts/AlertsTab";
import { useAlertImport } from "./alerts/useAlertImport";
import { CaseHeader } from "./CaseHeader";
import { CaseSidebar } from "./CaseSidebar";
import { CaseTabs, type TabItem } from "./CaseTabs";
import { DescriptionSection } from "./DescriptionSection";
import { ObservablesTab } from "./observables/ObservablesTab";
import { SIMILAR_PER_PAGE, SimilarCasesTab } from "./similar/SimilarCasesTab";
import "./caseView.css";

/**
 * One case (Kibana's case view): the header, then tabs right under it: activity (description,
 * comments, the side panel), alerts, observables, similar cases.
 */
export function CaseView({ space, id, tab: routeTab = "activity" }: { space: string; id: string; tab?: CaseTab }) {
  const query = useQuery({ queryKey: queryKeys.case(space, id), queryFn: () => getCase(space, id) });
  const [tab, setTab] = useState<CaseTab>(routeTab);
  // Back/Forward to another tab of this case.
  useEffect(() => setTab(routeTab), [routeTab]);
  const selectTab = (t: CaseTab) => {
    setTab(t);
    replaceRoute({ page: "case", id, tab: t });
  };
  const imports = useAlertImport(space, id);
  const overview = useQuery({
    queryKey: queryKeys.alertOverview(space, id),
    queryFn: () => alertOverview(id),
    enabled: query.isSuccess,
  });
  const similar = useQuery({
    queryKey: queryKeys.similar(space, id, 1, SIMILAR_PER_PAGE),
    queryFn: () => similarCases(id, 1, SIMILAR_PER_PAGE),
    enabled: query.isSuccess,
  });
  const [creating, setCreating] = useState(false);
  // "c" creates a case from here too; the new case opens when it is saved.
  useHotkeys({ c: () => setCreating(true) });
  const createDialog = creating && (
    <CreateCaseDialog
      space={space}
      onClose={() => setCreating(false)}
      onCreated={(c) => {
        setCreating(false);
        navigate({ page: "case", id: c.id });
      }}
    />
  );
  const error = query.error ? ApiError.from(query.error) : null;
  const back = (
    <a className="back-link" href={routeHref({ page: "cases" })}>
      ← All cases
    </a>
  );

  if (query.isPending) {
    return (
      <div className="case-view">
        {back}
        <div className="state-panel" role="status">
          <span className="spinner" aria-hidden="true" /> Loading the case…
        </div>
      </div>
    );
  }
  if (error && (error.code === "not_found" || !query.data)) {
    return (
      <div className="case-view">
        {back}
        <div className="state-panel error" role="alert">
          {error.code === "not_found" ? (
            <>
              <h2>This case no longer exists</h2>
              <p>It was deleted, or it belongs to another space than “{space}”.</p>
            </>
          ) : (
            <>
              <h2>The case could not be loaded</h2>
              <p className="error-message">{error.message}</p>
              <button type="button" className="button" onClick={() => void query.refetch()}>
                Retry
              </button>
            </>
          )}
          <p>
            <a href={routeHref({ page: "cases" })}>Back to the cases of this space</a>
          </p>
        </div>
        {createDialog}
      </div>
    );
  }
  const c = query.data!;
  const tabs: TabItem[] = [
    { id: "activity", label: "Activity" },
    { id: "alerts", label: "Alerts", count: overview.data?.total ?? c.total_alerts, busy: imports.state.kind === "running" },
    { id: "observables", label: "Observables", count: c.total_observables },
    { id: "similar", label: "Similar cases", count: similar.data?.total ?? null },
  ];
  return (
    <div className="case-view">
      {back}
      <CaseHeader space={space} current={c} />
      <CaseTabs tabs={tabs} selected={tab} onSelect={selectTab}>
        {/* The description and the side panel belong to the activity, as in Kibana: the other
            tabs get the whole page under the header. */}
        {tab === "activity" && (
          <div className="case-layout">
            <div className="case-main">
              <DescriptionSection space={space} current={c} />
              <ActivityFeed space={space} current={c} />
            </div>
            <CaseSidebar space={space} current={c} />
          </div>
        )}
        {tab === "alerts" && <AlertsTab space={space} current={c} imports={imports} />}
        {tab === "observables" && <ObservablesTab space={space} current={c} />}
        {tab === "similar" && <SimilarCasesTab space={space} current={c} />}
      </CaseTabs>
      {createDialog}
    </div>
  );
}
