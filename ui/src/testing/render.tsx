// Vitest helpers: rendering with React Query and the client mocks the suites share.
import type { ReactElement } from "react";
import { vi } from "vitest";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { CommandFunction } from "../lib/api/client";
import { idStatus } from "./builders";

/** Renders `ui` inside a fresh QueryClient that does not retry failed queries. */
export function renderWithQueries(ui: ReactElement) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return { ...render(<QueryClientProvider client={qc}>{ui}</QueryClientProvider>), queryClient: qc };
}

/*
 * The mocks below are spread over the real module in a factory, loaded there lazily (vi.mock is
 * hoisted above the imports):
 *
 *   vi.mock("…/lib/api/client", async (importOriginal) => ({
 *     ...(await importOriginal<typeof import("…/lib/api/client")>()),
 *     ...(await import("…/testing/render")).caseViewClientMocks(),
 *   }));
 */

/** The client functions a case view calls: the case, the numbering task, drafts, and the alerts, observables and similar-cases tabs. */
export function caseViewClientMocks() {
  return {
    getCase: vi.fn(),
    idTaskStatus: vi.fn(async () => idStatus()),
    getDraft: vi.fn(async () => null),
    saveDraft: vi.fn(async () => null),
    deleteDraft: vi.fn(async () => null),
    listAlerts: vi.fn(),
    alertOverview: vi.fn(),
    getAlert: vi.fn(),
    removeAlerts: vi.fn(),
    listObservables: vi.fn(),
    addObservable: vi.fn(),
    updateObservable: vi.fn(),
    deleteObservable: vi.fn(),
    leftOutObservables: vi.fn(),
    promoteObservable: vi.fn(),
    observableTypes: vi.fn(),
    similarCases: vi.fn(),
    listConnectors: vi.fn(async () => []),
    listOutbox: vi.fn(async () => []),
  } satisfies Partial<Record<CommandFunction, unknown>>;
}

/** The client functions of the space's Elasticsearch source. */
export function sourceClientMocks() {
  return {
    getAlertSource: vi.fn(),
    setAlertSource: vi.fn(),
    removeAlertSource: vi.fn(),
    testAlertSource: vi.fn(),
    searchSourceAlerts: vi.fn(),
    attachSourceAlerts: vi.fn(),
    syncAlertStatuses: vi.fn(),
  } satisfies Partial<Record<CommandFunction, unknown>>;
}
