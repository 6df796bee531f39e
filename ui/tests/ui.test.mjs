// The real UI against the fake core (tests/mock.html + mock-ipc.ts) in headless Debian
// chromium: a smoke test of the home page that also writes screenshots to tests/out/.
// Run: node --test tests/ui.test.mjs   (needs /usr/bin/chromium; skipped without it)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { build, createServer } from "vite";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "tests", "out");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM}`;

let server;
let browser;
let base;

before(async () => {
  if (skip) return;
  mkdirSync(out, { recursive: true });
  server = await createServer({ root, configFile: join(root, "vite.config.ts"), server: { port: 0, strictPort: false }, logLevel: "error" });
  await server.listen();
  const addr = server.httpServer.address();
  base = `http://localhost:${addr.port}/tests/mock.html`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(query = "", colorScheme = "light") {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
  context.setDefaultTimeout(5000);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.addInitScript(() => localStorage.clear());
  await page.goto(`${base}${query}`);
  return { page, context, errors };
}

test("home page lists cases with metrics, filters and paging", { skip }, async () => {
  const { page, context, errors } = await open();
  await page.waitForSelector(".cases-table tbody tr");
  assert.equal(await page.locator(".cases-table tbody tr").count(), 25);
  assert.match(await page.locator(".metrics").innerText(), /Average time to close/i);
  assert.match(await page.locator(".pagination .range").innerText(), /1–25 of 38/);
  assert.ok((await page.locator(".case-number.pending").count()) >= 1, "a case without a number shows ID pending");
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, "home-light.png") });

  // Status filter with counts, then sorting by a header.
  await page.getByRole("button", { name: /^Closed/ }).click();
  await page.waitForFunction(() => document.querySelector(".pagination .range")?.textContent?.includes("of 10"));
  assert.equal(await page.locator("th.col-date").count(), 3, "Closed on appears when listing closed cases");
  await page.locator("th.col-severity .sort-button").click();
  const log = await page.evaluate(() => window.__ipcLog.filter((c) => c.cmd === "find_cases").at(-1).args.query);
  assert.deepEqual(log.status, ["closed"]);
  assert.equal(log.sort_field, "severity");
  assert.equal(log.sort_order, "desc");

  await page.waitForSelector("th.col-severity[aria-sort=descending]");
  await page.screenshot({ path: join(out, "closed-by-severity.png") });

  // The list state is kept in localStorage.
  const saved = JSON.parse(await page.evaluate(() => localStorage.getItem("casebook.cases.list.state")));
  assert.deepEqual([saved.status, saved.sortField, saved.sortOrder], [["closed"], "severity", "desc"]);
  await context.close();
  assert.deepEqual(errors, []);
});

test("search is debounced and shows hints", { skip }, async () => {
  const { page, context, errors } = await open();
  await page.waitForSelector(".cases-table tbody tr");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "case-search");
  await page.keyboard.type("#38 okta", { delay: 20 });
  assert.match(await page.locator(".search-hints").innerText(), /Case #38/);
  const before = await page.evaluate(() => window.__ipcLog.filter((c) => c.cmd === "find_cases").length);
  await page.waitForTimeout(600);
  const calls = await page.evaluate(() => window.__ipcLog.filter((c) => c.cmd === "find_cases").map((c) => c.args.query.search));
  assert.equal(calls.length, before + 1, "one request after typing stopped");
  assert.equal(calls.at(-1), "#38 okta");
  await context.close();
  assert.deepEqual(errors, []);
});

test("create case: keyboard, validation, preview, draft kept, created", { skip }, async () => {
  const { page, context, errors } = await open("", "dark");
  await page.waitForSelector(".cases-table tbody tr");
  await page.keyboard.press("c");
  await page.waitForSelector("[role=dialog]");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "create-title");
  await page.getByRole("button", { name: "Create case", exact: true }).last().click();
  assert.match(await page.locator("#create-title-error").innerText(), /title: cannot be an empty string/);

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
  await page.waitForSelector(".toast");
  assert.equal(await page.locator("[role=dialog]").count(), 0);
  const input = await page.evaluate(() => window.__ipcLog.find((c) => c.cmd === "create_case").args.input);
  assert.deepEqual(input.tags, ["beacon", "c2"]);
  assert.equal(input.severity, "high");
  assert.equal(input.category, "Endpoint");
  assert.equal(await page.evaluate(() => localStorage.getItem("casebook.cases.create.draft")), null);
  await page.waitForFunction(() => document.querySelector(".pagination .range")?.textContent?.includes("of 39"));
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, "home-dark.png") });
  await context.close();
  assert.deepEqual(errors, []);
});

test("server errors are shown inline in the create dialog", { skip }, async () => {
  const { page, context } = await open();
  await page.waitForSelector(".cases-table tbody tr");
  await page.getByRole("button", { name: "Create case" }).first().click();
  await page.fill("#create-title", "conflict please");
  await page.getByRole("button", { name: "Create case", exact: true }).last().click();
  await page.waitForSelector(".form-error");
  assert.match(await page.locator(".form-error").innerText(), /busy for more than 10 s/);
  await context.close();
});

test("empty state tells a new user what to do", { skip }, async () => {
  const { page, context, errors } = await open("?scenario=empty");
  await page.waitForSelector(".state-panel.empty");
  assert.match(await page.locator(".state-panel.empty").innerText(), /No cases yet — create your first case/);
  await page.screenshot({ path: join(out, "empty.png") });
  await context.close();
  assert.deepEqual(errors, []);
});

test("error state shows the core's message", { skip }, async () => {
  const { page, context } = await open("?scenario=error");
  await page.waitForSelector(".state-panel.error");
  assert.match(await page.locator(".state-panel.error").innerText(), /SQLite reports the file damaged/);
  assert.match(await page.locator(".state-panel.error").innerText(), /database_corrupt/);
  await page.screenshot({ path: join(out, "error.png") });
  await context.close();
});

const CASE3 = "3f2504e0-4f89-41d3-9a0c-000000000003";

test("case view: tabs, alerts grouped by rule, an import with progress, the alert panel, observables, similar cases", { skip }, async () => {
  const { page, context, errors } = await open(`#/cases/${CASE3}?tab=alerts`);
  await page.waitForSelector(".alerts-table tbody tr");
  assert.match(await page.locator(".case-metrics").innerText(), /Alerts\s*137/);
  assert.ok((await page.locator(".alert-group-row").count()) >= 2, "group headers when grouped by rule");
  assert.match(await page.locator(".alerts-tab .pagination .range").innerText(), /1–50 of 137/);
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(out, "case-alerts.png") });

  // An import: progress, then the report.
  await page.getByRole("button", { name: "Attach alerts…" }).click();
  await page.waitForFunction(() => document.querySelector(".import-progress-text")?.textContent?.startsWith("Reading"));
  await page.screenshot({ path: join(out, "case-alerts-importing.png") });
  await page.waitForSelector(".import-report");
  assert.match(await page.locator(".import-report").innerText(), /Attached 25 alerts \(3 already in the case\)/);
  assert.match(await page.locator(".import-report").innerText(), /line 12: not valid JSON/);
  await page.waitForFunction(() => document.querySelector(".alerts-tab .pagination .range")?.textContent?.includes("of 162"));
  await page.screenshot({ path: join(out, "case-alerts-report.png") });

  // A flat list sorted by risk, then one alert's panel.
  await page.locator("th.col-risk .sort-button").click();
  await page.waitForFunction(() => document.querySelectorAll(".alert-group-row").length === 0);
  await page.locator(".alerts-table tbody tr").first().locator(".col-reason").click();
  await page.waitForSelector(".alert-fields");
  await page.fill(".alert-detail .field-search", "host");
  await page.screenshot({ path: join(out, "case-alert-panel.png") });
  await page.getByRole("button", { name: "JSON" }).click();
  await page.waitForSelector(".alert-json");
  await page.keyboard.press("Escape");

  await page.getByRole("tab", { name: /^Observables/ }).click();
  await page.waitForSelector(".observables-table");
  assert.match(page.url(), /\?tab=observables$/);
  await page.fill("#obs-add-value", "999.1.1.1");
  await page.getByRole("button", { name: "Add observable" }).click();
  await page.waitForSelector("#obs-add-value-error");
  await page.screenshot({ path: join(out, "case-observables.png") });

  await page.getByRole("tab", { name: /^Similar cases/ }).click();
  await page.waitForSelector(".similar-item");
  await page.screenshot({ path: join(out, "case-similar.png") });

  await page.getByRole("tab", { name: "Activity" }).click();
  await page.waitForSelector(".case-sidebar");
  assert.match(await page.locator(".activity").innerText(), /attached 12 alerts from rule Brute force against VPN/);
  await page.screenshot({ path: join(out, "case-activity.png") });
  await context.close();
  assert.deepEqual(errors, []);
});

test("case view in dark mode: the alerts table and the import report", { skip }, async () => {
  const { page, context, errors } = await open(`#/cases/${CASE3}?tab=alerts`, "dark");
  await page.waitForSelector(".alerts-table tbody tr");
  await page.getByRole("button", { name: "Attach alerts…" }).click();
  await page.waitForSelector(".import-report");
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(out, "case-alerts-dark.png") });
  await context.close();
  assert.deepEqual(errors, []);
});

test("Elasticsearch: the source in Settings, search and attach from the Alerts tab, statuses sent back", { skip }, async () => {
  const { page, context, errors } = await open("#/settings");
  const section = page.locator("section[aria-labelledby=settings-alert-source]");
  await section.waitFor();
  await section.getByText("stored in keychain").waitFor();
  assert.equal(await page.inputValue("#source-url"), "https://elastic.example.org:9200");
  assert.equal(await page.locator("#source-api-key").count(), 0, "the key field is hidden until Replace key");
  await section.getByRole("button", { name: "Test connection" }).click();
  await section.getByText("Connected to soc-prod (Elasticsearch 8.17.1)").waitFor();
  await section.getByRole("button", { name: "Replace key" }).click();
  assert.equal(await page.inputValue("#source-api-key"), "");
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: join(out, "settings-alert-source.png") });

  await page.evaluate((id) => (window.location.hash = `#/cases/${id}?tab=alerts`), CASE3);
  await page.waitForSelector(".alerts-table tbody tr");
  assert.match(await page.locator(".sync-notice").innerText(), /9 alert statuses wait to be sent to Elasticsearch/);
  await page.getByRole("button", { name: "Search Elasticsearch…" }).click();
  await page.waitForSelector(".source-table tbody tr");
  assert.match(await page.locator(".source-range").innerText(), /100 of 240 alerts/);
  // Dotted keys and nested objects alike.
  assert.ok((await page.locator(".source-table tbody tr", { hasText: "Suspicious PowerShell encoded command" }).count()) > 0);
  assert.ok((await page.locator(".source-table tbody tr", { hasText: "Cobalt Strike beacon" }).count()) > 0);
  await page.getByRole("button", { name: "Next page" }).click();
  await page.waitForFunction(() => document.querySelector(".source-range")?.textContent?.includes("200 of 240"));
  const dialog = page.getByRole("dialog", { name: "Search Elasticsearch alerts" });
  await dialog.getByRole("checkbox", { name: "Select all 200 alerts shown" }).check();
  await dialog.getByRole("checkbox", { name: /^Select the alert/ }).nth(3).uncheck();
  await page.screenshot({ path: join(out, "case-alerts-search.png") });
  await dialog.getByRole("button", { name: "Attach 199 selected" }).click();
  await page.waitForSelector(".import-report");
  assert.match(await page.locator(".import-report").innerText(), /Attached 199 alerts\s+from Elasticsearch/);
  await page.waitForFunction(() => document.querySelector(".alerts-tab .pagination .range")?.textContent?.includes("of 336"));

  await page.getByRole("button", { name: "Send now" }).click();
  await page.getByText("9 alert statuses sent to Elasticsearch.").waitFor();
  await page.waitForFunction(() => !document.querySelector(".sync-notice-line"));
  await page.screenshot({ path: join(out, "case-alerts-after-search.png") });
  const query = await page.evaluate(() => window.__ipcLog.filter((c) => c.cmd === "search_source_alerts").at(-1).args.query);
  assert.equal(query.size, 100);
  assert.equal(query.search_after.length, 2);
  await context.close();
  assert.deepEqual(errors, []);
});

test("Elasticsearch unreachable: the search and Send now say so", { skip }, async () => {
  const { page, context, errors } = await open(`?scenario=es-down#/cases/${CASE3}?tab=alerts`, "dark");
  await page.waitForSelector(".alerts-table tbody tr");
  await page.getByRole("button", { name: "Send now" }).click();
  await page.waitForSelector(".sync-result.form-error");
  assert.match(await page.locator(".sync-errors").innerText(), /space default: Cannot reach https:\/\/elastic\.example\.org:9200: connection refused/);
  await page.getByRole("button", { name: "Search Elasticsearch…" }).click();
  await page.waitForSelector(".source-error");
  assert.match(await page.locator(".source-error").innerText(), /Cannot reach the cluster/);
  await page.screenshot({ path: join(out, "case-alerts-search-down-dark.png") });
  await context.close();
  assert.deepEqual(errors, []);
});

test("no Elasticsearch source: the search waits for Settings", { skip }, async () => {
  const { page, context, errors } = await open(`?scenario=nosource#/cases/${CASE3}?tab=alerts`);
  await page.waitForSelector(".alerts-table tbody tr");
  const button = page.getByRole("button", { name: "Search Elasticsearch…" });
  assert.equal(await button.isDisabled(), true);
  assert.equal(await button.getAttribute("title"), "Set an Elasticsearch source in Settings first");
  await page.getByRole("link", { name: "Set a source in Settings" }).click();
  await page.waitForSelector("#source-api-key");
  assert.match(await page.locator("section[aria-labelledby=settings-alert-source]").innerText(), /The API key is stored in your OS keychain/);
  await context.close();
  assert.deepEqual(errors, []);
});

/** The window's CSP from src-tauri/tauri.conf.json (production, not devCsp). */
function appCsp() {
  const conf = join(root, "..", "src-tauri", "tauri.conf.json");
  const csp = existsSync(conf)
    ? JSON.parse(readFileSync(conf, "utf8")).app.security.csp
    : { "default-src": "'self'", "style-src": "'self'", "script-src": "'self'", "img-src": "'self' data:" };
  return typeof csp === "string" ? csp : Object.entries(csp).map(([k, v]) => `${k} ${v}`).join("; ");
}

test("the production build runs under the app's CSP with a frozen Object.prototype", { skip }, async () => {
  // Built like `npm run build`, but from tests/mock.html so that it has a fake core.
  const dist = join(out, "csp-dist");
  await build({ root, configFile: join(root, "vite.config.ts"), logLevel: "error", build: { outDir: dist, emptyOutDir: true, rollupOptions: { input: join(root, "tests", "mock.html") } } });
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };
  const csp = appCsp();
  const http = createHttpServer((req, res) => {
    const path = join(dist, decodeURIComponent(new URL(req.url, "http://x").pathname));
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
    context.setDefaultTimeout(5000);
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    // Tauri's freezePrototype; and record every CSP violation.
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
      Object.freeze(Object.prototype);
    });
    await page.goto(`http://127.0.0.1:${http.address().port}/tests/mock.html`);
    await page.waitForSelector(".cases-table tbody tr");
    await page.keyboard.press("c");
    await page.fill("#create-description", "**bold** [x](javascript:alert(1)) <img src=x onerror=alert(1)>");
    await page.getByRole("tab", { name: "Preview" }).click();
    await page.waitForSelector("#create-description-preview strong");
    await page.keyboard.press("Escape");
    // The case view's tabs, the import progress bar and the alert panel under the same policy.
    await page.evaluate((id) => (window.location.hash = `#/cases/${id}?tab=alerts`), CASE3);
    await page.waitForSelector(".alerts-table tbody tr");
    await page.getByRole("button", { name: "Attach alerts…" }).click();
    await page.waitForSelector(".import-report");
    await page.locator(".alerts-table tbody tr:not(.alert-group-row)").first().locator(".col-reason").click();
    await page.waitForSelector(".alert-fields");
    await page.keyboard.press("Escape");
    // The Elasticsearch search dialog and its table.
    await page.getByRole("button", { name: "Search Elasticsearch…" }).click();
    await page.waitForSelector(".source-table tbody tr");
    await page.getByRole("dialog").getByRole("checkbox", { name: /^Select the alert/ }).first().check();
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    http.close();
  }
});
