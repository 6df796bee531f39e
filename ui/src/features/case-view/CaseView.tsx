import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ApiError, getCase } from "../../lib/api/client";
import { useHotkeys } from "../../lib/hooks";
import { queryKeys } from "../../lib/queryKeys";
import { navigate, routeHref } from "../../lib/route";
import { CreateCaseDialog } from "../cases/CreateCaseDialog";
import { ActivityFeed } from "./ActivityFeed";
import { CaseHeader } from "./CaseHeader";
import { CaseSidebar } from "./CaseSidebar";
import { DescriptionSection } from "./DescriptionSection";
import "./caseView.css";

/** One case (Kibana's case view): header, description, activity and comments, side panel. */
export function CaseView({ space, id }: { space: string; id: string }) {
  const query = useQuery({ queryKey: queryKeys.case(space, id), queryFn: () => getCase(space, id) });
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
  return (
    <div className="case-view">
      {back}
      <CaseHeader space={space} current={c} />
      <div className="case-layout">
        <div className="case-main">
          <DescriptionSection space={space} current={c} />
          <ActivityFeed space={space} current={c} />
        </div>
        <CaseSidebar space={space} current={c} />
      </div>
      {createDialog}
    </div>
  );
}
