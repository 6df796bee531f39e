// What the "core" project's test files reach: the contract fakes (globalSetup.mjs starts them)
// and the `casebook` binary each file's server runs from (setup.mjs), and a helper that gives
// each test its own space (a file's tests share its server).
import { inject } from "vitest";
import { createSpace } from "../../lib/api/client";
import type { ConnectorInput } from "../../lib/api/bindings";
import { SPACE_KEY } from "../../features/spaces/useSpace";

export type CoreServer = {
  /** The `casebook` binary whose `serve --dev` each test file starts. */
  casebook: string;
  fakes: {
    elasticsearch: { url: string; api_key: string };
    jira: { url: string; project_key: string; username: string; secret: string };
    servicenow: { url: string; username: string; secret: string };
    resilient: { url: string; org_id: string; api_key_id: string; secret: string };
    swimlane: {
      url: string;
      app_id: string;
      secret: string;
      /** The application's field ids for each mapping (its severity field is text). */
      fields: { case_id: string; name: string; description: string; severity: string; status: string; comments: string };
    };
    thehive: { url: string; organisation: string; secret: string };
    webhook: { url: string; username: string; password: string };
  };
};

declare module "vitest" {
  export interface ProvidedContext {
    core: CoreServer;
  }
}

/** `http://127.0.0.1:PORT`: this test file's `casebook serve --dev` (setup.mjs starts it). */
export function coreUrl(): string {
  const url = (globalThis as { casebookCoreUrl?: string }).casebookCoreUrl;
  if (url === undefined) throw new Error("this test file's core has not started");
  return url;
}

/** The contract fakes' addresses and credentials. */
export function fakes(): CoreServer["fakes"] {
  return inject("core").fakes;
}

let spaces = 0;

/**
 * A new, empty space for one test (the tests of a file share its server), chosen in
 * localStorage as the user's space. Its name starts with `prefix`.
 */
export async function freshSpace(prefix = "t"): Promise<string> {
  spaces += 1;
  const name = `${prefix}-${spaces}-${Math.random().toString(36).slice(2, 8)}`;
  await createSpace(name);
  localStorage.setItem(SPACE_KEY, JSON.stringify(name));
  return name;
}

/** Nothing listens there: a connector or source pointing at it cannot be reached. */
export const OFFLINE = "http://127.0.0.1:9";

/** A Jira connector to the contract fake Jira ("SOC Jira"), with `patch` over it. */
export function jiraInput(patch: Partial<ConnectorInput> = {}): ConnectorInput {
  const { url, project_key, username, secret } = fakes().jira;
  return { name: "SOC Jira", url, settings: { kind: "jira", project_key, auth: "basic", username }, secret, ...patch };
}
