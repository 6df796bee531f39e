// Vitest's "core" project (*.core.test.tsx): builds the `casebook` binary and the contract fakes
// (cargo is quick when they are current), starts the fakes of Elasticsearch, Jira and ServiceNow
// once for the whole run, and hands their addresses and the binary's path to the test files
// (inject("core")). Each test file then starts its own `casebook serve --dev` (setup.mjs), so
// that what one file does to the whole database (numbering every space, syncing every alert
// status) never reaches another.
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { resolve } from "node:path";

const repo = resolve(import.meta.dirname, "../../../..");
const target = process.env.CARGO_TARGET_DIR ? resolve(repo, process.env.CARGO_TARGET_DIR) : resolve(repo, "target");

/** Starts `command` and resolves with the first JSON value it prints (the CLI pretty-prints it). */
export function startJson(command, args, env, children) {
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
    // Two builds: `--example` would restrict the first package to its examples too.
    for (const args of [["-p", "casebook-cli"], ["-p", "casebook-tests", "--example", "contract-fakes"]]) {
      const build = spawnSync("cargo", ["build", "--quiet", "--locked", ...args], { cwd: repo, stdio: "inherit" });
      if (build.status !== 0) throw new Error(`the core tests need \`cargo build ${args.join(" ")}\` to succeed`);
    }
  }
  const children = [];
  const fakes = await startJson(resolve(target, "debug/examples/contract-fakes"), [], {}, children);
  // The shape of server.ts's CoreServer.
  project.provide("core", { casebook: resolve(target, "debug/casebook"), fakes });
  return () => {
    for (const child of children) child.kill("SIGTERM");
  };
}
