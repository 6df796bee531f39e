// Finds elements the way a user (or a screen reader) names them, never by CSS class.
// Called as: find(kind, name, group) where kind is "button" or "field".
// Elements inside an inert subtree (the page behind a modal dialog) or not rendered are ignored.
const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
const shown = (el) => el.getClientRects().length > 0 && !el.closest("[inert]");
// Text content without aria-hidden decorations (icons, sort arrows) or a nested select's options,
// children space-separated.
const textOf = (el) => {
  let s = "";
  for (const n of el.childNodes) {
    if (n.nodeType === Node.TEXT_NODE) s += n.textContent;
    // A select inside its label is the field, not part of the label's words.
    else if (n.nodeType === Node.ELEMENT_NODE && n.getAttribute("aria-hidden") !== "true" && n.tagName !== "SELECT")
      s += ` ${textOf(n)} `;
  }
  return s;
};
const nameOf = (el) => {
  if (el.getAttribute("aria-label")) return norm(el.getAttribute("aria-label"));
  const by = el.getAttribute("aria-labelledby");
  if (by) return norm(by.split(/\s+/).map((id) => textOf(document.getElementById(id) || document.createElement("i"))).join(" "));
  return norm(textOf(el));
};
// "Open 3": a button whose name is the wanted text followed by a count badge.
const matches = (name, want) =>
  name === want || (name.startsWith(`${want} `) && /^[\d,.\s]+$/.test(name.slice(want.length)));

function find(kind, want, group) {
  let scope = document;
  if (group) {
    scope = [...document.querySelectorAll('[role=group],[role=radiogroup],[role=toolbar],[role=region],[role=menu],fieldset,nav,section,aside,[role=dialog]')]
      .find((g) => shown(g) && nameOf(g) === group);
    if (!scope) return null;
  }
  if (kind === "button") {
    return [...scope.querySelectorAll('button,[role=button],[role=tab],a[href]')]
      .find((b) => shown(b) && matches(nameOf(b), want)) || null;
  }
  if (kind === "field") {
    for (const l of scope.querySelectorAll("label")) {
      if (!shown(l) || norm(textOf(l)) !== want) continue;
      const el = l.htmlFor ? document.getElementById(l.htmlFor) : l.querySelector("input,select,textarea");
      if (el && shown(el)) return el;
    }
    return [...scope.querySelectorAll("input,select,textarea")].find((f) => shown(f) && nameOf(f) === want) || null;
  }
  throw new Error(`unknown kind ${kind}`);
}

// The cases table as {headers, rows: [{id, cells: {header: text}}]}; null when no table is shown.
function table() {
  const t = [...document.querySelectorAll("table")].find(shown);
  if (!t) return null;
  const headers = [...t.querySelectorAll("thead th")].map((th) => norm(textOf(th)));
  const rows = [...t.querySelectorAll("tbody tr")].map((tr) => ({
    id: tr.getAttribute("data-case-id"),
    cells: Object.fromEntries([...tr.children].map((td, i) => [headers[i] ?? String(i), norm(textOf(td))])),
  }));
  return { headers, rows };
}
