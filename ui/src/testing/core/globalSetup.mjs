// Vitest's "core" project (*.core.test.tsx): starts, once for the whole run, the real core over
// HTTP (`casebook serve --dev`, a temporary database) and the contract fakes of Elasticsearch,
// Jira and ServiceNow, and hands their addresses to the test files (inject("core")). They stop
// with the run. The binaries are built first (cargo is quick when they are current).
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { resolve } from "node:path";

const repo = resolve(import.meta.dirname, "../../../..");
const target = process.env.CARGO_TARGET_DIR ? resolve(repo, process.env.CARGO_TARGET_DIR) : resolve(repo, "target");

/** Starts `command` and resolves with the first JSON value it prints (the CLI pretty-prints it). */
function startJson(command, args, env, children) {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, ...env } });
  children.push(child);
  return new Promise((ok, fail) => {
    let text = "";
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      text += line;
      try {
        const value = JSON.parse(text);
        lines.removeAllListeners("line");
        ok(value);
      } catch {
        // Not all of it yet.
      }
    });
    child.on("error", fail);
    child.on("exit", (code) => fail(new Error(`${command} exited (${code}) before it started: ${text}`)));
  });
}

/** @param {import("vitest/node").TestProject} project */
export default async function setup(project) {
  // CASEBOOK_SKIP_CARGO_BUILD=1: the binaries in the target folder are current (another
  // checkout built them), do not build.
  if (process.env.CASEBOOK_SKIP_CARGO_BUILD !== "1") {
    const build = spawnSync(
      "cargo",
      ["build", "--quiet", "--locked", "-p", "casebook-cli", "-p", "casebook-tests", "--example", "contract-fakes"],
      { cwd: repo, stdio: "inherit" },
    );
    if (build.status !== 0) {
      throw new Error("the core tests need `cargo build -p casebook-cli -p casebook-tests --example contract-fakes` to succeed");
    }
  }
  const children = [];
  const fakes = await startJson(resolve(target, "debug/examples/contract-fakes"), [], {}, children);
  // Numbering waits an hour: new cases stay "ID pending" unless a test assigns numbers.
  const served = await startJson(resolve(target, "debug/casebook"), ["serve", "--dev", "--port", "0", "--json"], { CASEBOOK_ID_INTERVAL: "3600s" }, children);
  // The shape of server.ts's CoreServer.
  project.provide("core", { url: served.url, fakes });
  return () => {
    for (const child of children) child.kill("SIGTERM");
  };
}
