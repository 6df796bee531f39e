// The real UI in headless Chromium against the real core: `casebook serve --dev` (a temporary
// database, secrets in memory) behind the Vite dev server's /api proxy, talking to the contract
// fakes of Elasticsearch and Jira (cargo's `contract-fakes` example) as it would to the real
// systems. Nothing here re-implements the core: sorting, paging, validation messages, the
// search and the push are the core's own. Screenshots go to tests/out/.
//
// Run: node --test tests/pages.test.mjs — after `cargo build -p casebook-cli` and
// `cargo build -p casebook-tests --example contract-fakes` (scripts/test does both). Without
// Chromium or the binaries every test says "ui-pages SKIP"; CASEBOOK_E2E=require fails instead.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, createServer } from "vite";
import { chromium } from "playwright-core";
import { startJson } from "../src/testing/core/globalSetup.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(root, "..");
const out = join(root, "tests", "out");
const target = process.env.CARGO_TARGET_DIR ? resolve(repo, process.env.CARGO_TARGET_DIR) : join(repo, "target");
const CHROMIUM = process.env.CHROMIUM ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"].find(existsSync) ?? "/usr/bin/chromium";
const CASEBOOK = process.env.CASEBOOK_BIN ?? join(target, "debug", "casebook");
const FAKES = process.env.CASEBOOK_FAKES_BIN ?? join(target, "debug", "examples", "contract-fakes");
const ALERTS = join(repo, "crates", "core", "tests", "fixtures", "alerts");

const missing = [
  [CHROMIUM, "apt install chromium"],
  [CASEBOOK, "cargo build -p casebook-cli"],
  [FAKES, "cargo build -p casebook-tests --example contract-fakes"],
].find(([path]) => !existsSync(path));
const skip = missing ? `no ${missing[0]} (${missing[1]})` : false;
if (skip) {
  console.log(`ui-pages SKIP: ${skip}`);
  if (process.env.CASEBOOK_E2E === "require") {
    test("the browser page tests can run", () => assert.fail(`CASEBOOK_E2E=require: ${skip}`));
  }
}

const children = [];
let vite;
let browser;
let base;
let api;
let fakes;

before(async () => {
  if (skip) return;
  mkdirSync(out, { recursive: true });
  fakes = await startJson(FAKES, [], {}, children);
  // The scheduled numbering pass waits an hour: cases get numbers only from the pass the core
  // runs right after it creates one.
  const served = await startJson(CASEBOOK, ["serve", "--dev", "--port", "0", "--json"], { CASEBOOK_ID_INTERVAL: "3600s" }, children);
  api = served.url;
  process.env.CASEBOOK_SERVE = api;
  // A new database's profile is not confirmed, and the first-run dialog would cover every page:
  // confirm it as the core made it.
  const me = await call("profile");
  await call("set_profile", { input: { username: me.username, full_name: me.full_name ?? undefined, email: me.email ?? undefined } });
  vite = await createServer({ root, configFile: join(root, "vite.config.ts"), server: { port: 0, strictPort: false }, logLevel: "error" });
  await vite.listen();
  base = `http://localhost:${vite.httpServer.address().port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  await vite?.close();
  for (const child of children) child.kill("SIGTERM");
});

/** Calls a command of the core directly, as the page does; throws the WireError on refusal. */
async function call(command, args = {}) {
  const response = await fetch(`${api}/api/invoke/${command}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(args),
  });
  const body = await response.json();
  if (!response.ok) throw Object.assign(new Error(`${command}: ${body.message}`), body);
  return body;
}

const TITLES = [
  "Credential phishing wave targeting finance",
  "Impossible travel: j.doe logged in from two continents",
  "Ransomware precursor: Cobalt Strike beacon on WS-0142",
  "Suspicious PowerShell encoded command on build server",
  "Okta MFA fatigue attempts against helpdesk accounts",
  "Outbound DNS tunnelling from 10.20.4.17",
  "Unusual admin share access (ADMIN$) across subnet",
  "Malicious OAuth app consent in M365 tenant",
  "Brute force against VPN gateway",
  "Data staged for exfiltration in C:\\ProgramData\\tmp",
  "Lateral movement via WMI from jump host",
  "New service installed with random name on DC02",
];
const TAGS = ["phishing", "okta", "mfa", "ransomware", "dns", "exfiltration", "vpn", "m365", "triaged", "T1566"];
const SEVERITIES = ["low", "medium", "high", "critical"];

/** A space of its own for one test, with `count` cases (every fourth closed, every third in progress). */
async function seedSpace(name, count) {
  await call("create_space", { name });
  const cases = [];
  for (let n = 0; n < count; n++) {
    const input = {
      title: `${TITLES[n % TITLES.length]}${n >= TITLES.length ? ` (${Math.floor(n / TITLES.length) + 1})` : ""}`,
      description: "Seen by the **SOC** on the night shift.",
      tags: [TAGS[n % TAGS.length], TAGS[(n * 3 + 1) % TAGS.length]],
      severity: SEVERITIES[n % 4],
      category: ["Email", "Identity", "Endpoint", "Network"][n % 4],
    };
    cases.push(await call("create_case", { space: name, input }));
  }
  const patches = cases
    .map((c, n) => (n % 4 === 3 ? { id: c.id, version: c.version, status: "closed" } : n % 3 === 1 ? { id: c.id, version: c.version, status: "in-progress" } : null))
    .filter(Boolean);
  if (patches.length) await call("update_cases", { space: name, patches });
  return cases;
}

async function open(space, hash = "", colorScheme = "light") {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
  context.setDefaultTimeout(8000);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // A refusal (4xx) is an answer the page shows, not an error of the page; Chromium logs it anyway.
  page.on("console", (m) => m.type() === "error" && !/status of 4\d\d/.test(m.text()) && errors.push(m.text()));
  await page.addInitScript((s) => {
    if (!sessionStorage.getItem("seeded")) {
      localStorage.clear();
      localStorage.setItem("casebook.space", JSON.stringify(s));
      sessionStorage.setItem("seeded", "1");
    }
  }, space);
  // Every command the page sends, to check what it asked the core.
  const sent = [];
  page.on("request", (r) => {
    const at = r.url().indexOf("/api/invoke/");
    if (at >= 0) sent.push({ cmd: r.url().slice(at + "/api/invoke/".length), args: JSON.parse(r.postData() ?? "{}") });
  });
  await page.goto(`${base}${hash}`);
  return { page, context, errors, sent };
}

/** Waits until the pager's range ends with `text` ("of 38"). */
const rangeIncludes = (page, text, scope = ".pagination .range") =>
  page.waitForFunction(([sel, t]) => document.querySelector(sel)?.textContent?.trim().endsWith(t), [scope, text]);

test("home page lists the core's cases with metrics, filters, sorting and paging", { skip }, async () => {
  await seedSpace("home", 38);
  const { page, context, errors, sent } = await open("home");
  await page.waitForSelector(".cases-table tbody tr");
  assert.equal(await page.locator(".cases-table tbody tr").count(), 25);
  assert.match(await page.locator(".metrics").innerText(), /Average time to close/i);
  await rangeIncludes(page, "1–25 of 38");
  // Created through the core's API, the cases were numbered at once, not after the hour.
  await page.waitForFunction(() => document.querySelectorAll(".case-number.pending").length === 0);
  assert.match(await page.locator(".cases-table tbody").innerText(), /#38\b/);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, "home-light.png") });

  // The status filter's counts are the core's; the closed list gains "Closed on".
  assert.match(await page.getByRole("button", { name: /^Closed/ }).innerText(), /9/);
  await page.getByRole("button", { name: /^Closed/ }).click();
  await rangeIncludes(page, "of 9");
  assert.equal(await page.locator("th.col-date").count(), 3, "Closed on appears when listing closed cases");
  await page.locator("th.col-severity .sort-button").click();
  await page.waitForSelector("th.col-severity[aria-sort=descending]");
  const query = sent.filter((c) => c.cmd === "find_cases").at(-1).args.query;
  assert.deepEqual([query.status, query.sort_field, query.sort_order], [["closed"], "severity", "desc"]);
  // Sorted by the core: critical first.
  await page.waitForFunction(() => document.querySelector(".cases-table tbody tr .severity")?.textContent?.match(/critical/i));
  await page.screenshot({ path: join(out, "closed-by-severity.png") });

  // The list state is kept in localStorage.
  const saved = JSON.parse(await page.evaluate(() => localStorage.getItem("casebook.cases.list.state")));
  assert.deepEqual([saved.status, saved.sortField, saved.sortOrder], [["closed"], "severity", "desc"]);

  // A case closed by someone else (the CLI, another window) appears without a reload: the core's
  // change watcher says "db-changed" on the event stream.
  const [other] = (await call("find_cases", { query: { space: "home", status: ["open"], per_page: 1 } })).cases;
  await call("update_cases", { space: "home", patches: [{ id: other.id, version: other.version, status: "closed" }] });
  await rangeIncludes(page, "of 10");

  await context.close();
  assert.deepEqual(errors, []);
});

test("search is debounced, shows hints, and finds through the core's index", { skip }, async () => {
  await seedSpace("search", 12);
  const { page, context, errors, sent } = await open("search");
  await page.waitForSelector(".cases-table tbody tr");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "case-search");
  const before = sent.filter((c) => c.cmd === "find_cases").length;
  await page.keyboard.type("okta mfa", { delay: 20 });
  await rangeIncludes(page, "of 1");
  const searches = sent.filter((c) => c.cmd === "find_cases").slice(before).map((c) => c.args.query.search);
  assert.deepEqual(searches, ["okta mfa"], "one request after typing stopped");
  assert.match(await page.locator(".cases-table tbody").innerText(), /Okta MFA fatigue attempts/);
  await page.fill("#case-search", "#38 okta");
  assert.match(await page.locator(".search-hints").innerText(), /Case #38/);
  await context.close();
  assert.deepEqual(errors, []);
});

test("create case: the core's own refusal beside the field, preview, draft kept, created", { skip }, async () => {
  await seedSpace("create", 3);
  const { page, context, errors } = await open("create", "", "dark");
  await page.waitForSelector(".cases-table tbody tr");
  await page.keyboard.press("c");
  await page.waitForSelector("[role=dialog]");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "create-title");
  await page.getByRole("button", { name: "Create case", exact: true }).last().click();
  await page.waitForSelector("#create-title-error");
  assert.match(await page.locator("#create-title-error").innerText(), /cannot be an empty string/);

  // Over the limit: the core's check (check_case_create) names the field and the limit.
  await page.fill("#create-title", "x".repeat(161));
  await page.waitForFunction(() => /at most 160 characters/.test(document.querySelector("#create-title-error")?.textContent ?? ""));

  await page.fill("#create-title", "Beaconing to 203.0.113.9 from WS-0142");
  await page.fill("#create-tags", "beacon, c2,");
  await page.fill("#create-category", "Endpoint");
  await page.selectOption("#create-severity", "high");
  await page.fill("#create-description", "## Findings\n\n- **beacon** every `60s`\n- see [ticket](https://example.org/t/1)\n\n<img src=x onerror=alert(1)>");
  await page.getByRole("tab", { name: "Preview" }).click();
  await page.waitForSelector("#create-description-preview h2");
  assert.equal(await page.locator("#create-description-preview img").count(), 0);
  await page.screenshot({ path: join(out, "create-dark.png") });

  // Esc closes; the draft is still there when the dialog comes back.
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("[role=dialog]").count(), 0);
  await page.keyboard.press("c");
  assert.equal(await page.inputValue("#create-title"), "Beaconing to 203.0.113.9 from WS-0142");
  assert.equal(await page.locator(".tag-input .chip").count(), 2);

  await page.getByRole("button", { name: "Create case", exact: true }).last().click();
  // The new case opens, as in Kibana; "← All cases" leads back to the list.
  await page.waitForURL(/#\/cases\/[0-9a-f-]{36}$/);
  assert.equal(await page.locator("[role=dialog]").count(), 0);
  const [created] = (await call("find_cases", { query: { space: "create", search: "Beaconing" } })).cases;
  assert.ok(page.url().endsWith(`#/cases/${created.id}`), page.url());
  assert.deepEqual([created.tags, created.severity, created.category], [["beacon", "c2"], "high", "Endpoint"]);
  assert.equal(await page.evaluate(() => localStorage.getItem("casebook.cases.create.draft")), null);
  await page.getByRole("link", { name: "← All cases" }).click();
  await rangeIncludes(page, "of 4");
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, "home-dark.png") });
  await context.close();
  assert.deepEqual(errors, []);
});

test("empty state tells a new user what to do", { skip }, async () => {
  await call("create_space", { name: "empty" });
  const { page, context, errors } = await open("empty");
  await page.waitForSelector(".state-panel.empty");
  assert.match(await page.locator(".state-panel.empty").innerText(), /No cases yet — create your first case/);
  await page.screenshot({ path: join(out, "empty.png") });
  await context.close();
  assert.deepEqual(errors, []);
});

test("case view: a comment, an alert file imported with its report, the alert panel, observables, activity", { skip }, async () => {
  const [c] = await seedSpace("caseview", 1);
  const { page, context, errors } = await open("caseview", `#/cases/${c.id}`);
  await page.getByRole("textbox", { name: "Add a comment" }).fill("Isolated **WS-0142** from the network");
  await page.getByRole("button", { name: "Add comment" }).click();
  await page.waitForSelector(".comment-body strong");
  assert.equal((await call("list_comments", { caseId: c.id, order: "asc", page: 1, perPage: 10 })).total, 1);

  // In a browser the file is named by its path; the core reads it.
  await page.getByRole("tab", { name: /^Alerts/ }).click();
  page.once("dialog", (d) => d.accept(join(ALERTS, "broken-lines.ndjson")));
  await page.getByRole("button", { name: "Attach alerts…" }).first().click();
  await page.waitForSelector(".import-report");
  const report = await page.locator(".import-report").innerText();
  assert.match(report, /Attached \d+ alerts?/);
  assert.match(report, /line \d+/, "the lines that could not be read are listed");
  await page.waitForSelector(".alerts-table tbody tr");
  await page.screenshot({ path: join(out, "case-alerts-report.png") });

  await page.locator(".alerts-table tbody tr:not(.alert-group-row)").first().locator(".col-reason").click();
  await page.waitForSelector(".alert-fields");
  await page.getByRole("button", { name: "JSON" }).click();
  await page.waitForSelector(".alert-json");
  await page.screenshot({ path: join(out, "case-alert-panel.png") });
  await page.keyboard.press("Escape");

  await page.getByRole("tab", { name: /^Observables/ }).click();
  await page.waitForSelector(".observables-table");
  await page.fill("#obs-add-value", "999.1.1.1");
  await page.getByRole("button", { name: "Add observable" }).click();
  await page.waitForSelector("#obs-add-value-error");
  await page.screenshot({ path: join(out, "case-observables.png") });

  await page.getByRole("tab", { name: "Activity" }).click();
  await page.getByText(/attached (an alert|\d+ alerts)/).first().waitFor();
  await page.screenshot({ path: join(out, "case-activity.png") });
  await context.close();
  assert.deepEqual(errors, []);
});

test("Elasticsearch: the source set in Settings, tested, searched and attached from the Alerts tab", { skip }, async () => {
  const [c] = await seedSpace("elastic", 1);
  const { page, context, errors } = await open("elastic", "#/settings/alert-source");
  const section = page.locator("section[aria-labelledby=settings-alert-source]");
  await section.waitFor();
  await page.fill("#source-url", fakes.elasticsearch.url);
  await page.fill("#source-kibana-space", "default");
  await page.fill("#source-api-key", fakes.elasticsearch.api_key);
  await section.getByRole("button", { name: /^Save/ }).click();
  await section.getByText(/stored in keychain/i).waitFor();
  assert.equal(await page.locator("#source-api-key").count(), 0, "the key field is hidden once stored");
  assert.ok(!(await page.content()).includes(fakes.elasticsearch.api_key), "the key is never shown again");
  await section.getByRole("button", { name: "Test connection" }).click();
  await section.getByText(/Connected to/).waitFor();
  await section.screenshot({ path: join(out, "settings-alert-source.png") });

  await page.evaluate((id) => (window.location.hash = `#/cases/${id}?tab=alerts`), c.id);
  await page.getByRole("button", { name: "Search Elasticsearch…" }).click();
  const dialog = page.getByRole("dialog", { name: "Search Elasticsearch alerts" });
  await dialog.locator(".source-table tbody tr").first().waitFor();
  const shown = await dialog.locator(".source-table tbody tr").count();
  assert.equal(shown, 13, "the fake's 13 alerts of the default space");
  await dialog.getByRole("checkbox", { name: /^Select all/ }).check();
  await page.screenshot({ path: join(out, "case-alerts-search.png") });
  await dialog.getByRole("button", { name: `Attach ${shown} selected` }).click();
  await page.waitForSelector(".import-report");
  assert.match(await page.locator(".import-report").innerText(), new RegExp(`Attached ${shown} alerts\\s+from Elasticsearch`));
  await rangeIncludes(page, `of ${shown}`, ".alerts-tab .pagination .range");
  await context.close();
  assert.deepEqual(errors, []);
});

test("Jira: a connector set in Settings, then a case pushed as a new incident", { skip }, async () => {
  const [c] = await seedSpace("jira", 1);
  const { page, context, errors } = await open("jira", "#/settings/connectors");
  await page.getByRole("button", { name: "Add connector" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill("SOC Jira");
  await dialog.getByLabel("System").selectOption({ label: "Jira" });
  await dialog.getByLabel("URL").fill(fakes.jira.url);
  await dialog.getByLabel("Project key").fill(fakes.jira.project_key);
  await dialog.getByLabel("Email or user name").fill(fakes.jira.username);
  await dialog.getByLabel("API token or password").fill(fakes.jira.secret);
  await dialog.getByRole("button", { name: "Save connector" }).click();
  await page.getByText("Stored in keychain").waitFor();
  assert.ok(!(await page.content()).includes(fakes.jira.secret), "the token is never shown again");
  await page.getByRole("button", { name: "Test connection" }).click();
  await page.getByText(/project SEC .* is reachable/).waitFor();
  await page.getByRole("button", { name: "Refresh choices" }).click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, "settings-connectors.png") });

  await page.evaluate((id) => (window.location.hash = `#/cases/${id}`), c.id);
  await page.getByLabel("Connector").selectOption({ label: "SOC Jira" });
  await page.getByRole("button", { name: "Push as new incident" }).click();
  await page.getByText("SEC-1").first().waitFor();
  await page.locator(".badge.ok", { hasText: "Up to date" }).waitFor();
  await page.screenshot({ path: join(out, "case-pushed.png") });
  const pushed = await call("get_case", { space: "jira", reference: c.id });
  assert.equal(pushed.external_service?.external_title, "SEC-1", JSON.stringify(pushed.external_service));
  await context.close();
  assert.deepEqual(errors, []);
});

/**
 * The window's CSP from src-tauri/tauri.conf.json (production, not devCsp), with one change: the
 * page reaches the core over HTTP on its own origin here, where the app uses Tauri's `ipc:`.
 */
function appCsp() {
  const conf = join(repo, "src-tauri", "tauri.conf.json");
  const csp = { ...JSON.parse(readFileSync(conf, "utf8")).app.security.csp };
  csp["connect-src"] = `'self' ${csp["connect-src"] ?? ""}`.trim();
  return Object.entries(csp).map(([k, v]) => `${k} ${v}`).join("; ");
}

test("the production build runs under the app's CSP with a frozen Object.prototype", { skip }, async () => {
  const [c] = await seedSpace("csp", 2);
  const dist = join(out, "csp-dist");
  await build({ root, configFile: join(root, "vite.config.ts"), logLevel: "error", build: { outDir: dist, emptyOutDir: true } });
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };
  const csp = appCsp();
  // The built files under the app's CSP, and /api passed on to the core (same origin, as in the app).
  const http = createHttpServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname.startsWith("/api/")) {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const answer = await fetch(`${api}${url.pathname}`, { method: req.method, headers: { "Content-Type": "application/json" }, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      if (url.pathname === "/api/events") return; // Left open: the page only needs it to connect.
      res.end(Buffer.from(await answer.arrayBuffer()));
      return;
    }
    const path = join(dist, decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname));
    if (!path.startsWith(dist) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream", "content-security-policy": csp });
    res.end(readFileSync(path));
  });
  await new Promise((r) => http.listen(0, "127.0.0.1", r));
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(8000);
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    // Tauri's freezePrototype; and record every CSP violation.
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
      Object.freeze(Object.prototype);
      localStorage.setItem("casebook.space", JSON.stringify("csp"));
    });
    await page.goto(`http://127.0.0.1:${http.address().port}/`);
    await page.waitForSelector(".cases-table tbody tr");
    await page.keyboard.press("c");
    await page.fill("#create-description", "**bold** [x](javascript:alert(1)) <img src=x onerror=alert(1)>");
    await page.getByRole("tab", { name: "Preview" }).click();
    await page.waitForSelector("#create-description-preview strong");
    await page.keyboard.press("Escape");
    // The case view, an import report and the alert panel under the same policy.
    await page.evaluate((id) => (window.location.hash = `#/cases/${id}?tab=alerts`), c.id);
    page.once("dialog", (d) => d.accept(join(ALERTS, "modern.ndjson")));
    await page.getByRole("button", { name: "Attach alerts…" }).first().click();
    await page.waitForSelector(".import-report");
    await page.locator(".alerts-table tbody tr:not(.alert-group-row)").first().locator(".col-reason").click();
    await page.waitForSelector(".alert-fields");
    await page.keyboard.press("Escape");
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    http.closeAllConnections();
    http.close();
  }
});
