// What the "core" project's test files reach: the address of `casebook serve --dev` and of the
// contract fakes (globalSetup.ts starts them), and helpers to give each test its own space.
import { inject } from "vitest";
import { createSpace } from "../../lib/api/client";
import { SPACE_KEY } from "../../features/spaces/useSpace";

export type CoreServer = {
  /** `http://127.0.0.1:PORT`: `casebook serve --dev`. */
  url: string;
  fakes: {
    elasticsearch: { url: string; api_key: string };
    jira: { url: string; project_key: string; username: string; secret: string };
    servicenow: { url: string; username: string; secret: string };
  };
};

declare module "vitest" {
  export interface ProvidedContext {
    core: CoreServer;
  }
}

/** The contract fakes' addresses and credentials. */
export function fakes(): CoreServer["fakes"] {
  return inject("core").fakes;
}

let spaces = 0;

/**
 * A new, empty space for one test (the server is shared by the whole run), chosen in
 * localStorage as the user's space. Its name starts with `prefix`.
 */
export async function freshSpace(prefix = "t"): Promise<string> {
  spaces += 1;
  const name = `${prefix}-${spaces}-${Math.random().toString(36).slice(2, 8)}`;
  await createSpace(name);
  localStorage.setItem(SPACE_KEY, JSON.stringify(name));
  return name;
}
