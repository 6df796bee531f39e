// The folders' rules, checked on the source: feature folders never import each other in a
// circle, and shared code (components/, lib/) never imports a feature.
import { describe, expect, it } from "vitest";

/** Every source file under src/, by its path relative to src/ ("features/cases/CasesPage.tsx"). */
const FILES: Record<string, string> = Object.fromEntries(
  Object.entries(import.meta.glob<string>("./**/*.{ts,tsx}", { query: "?raw", import: "default", eager: true })).map(
    ([path, text]) => [path.slice(2), text],
  ),
);

/** `spec` imported from `file`, as a path relative to src/. */
function resolve(file: string, spec: string): string {
  const parts = file.split("/").slice(0, -1);
  for (const p of spec.split("/")) {
    if (p === "..") parts.pop();
    else if (p !== ".") parts.push(p);
  }
  return parts.join("/");
}

/** The top folder under src/ a path belongs to: "features/cases", "components", "lib"… */
function area(path: string): string {
  const parts = path.split("/");
  return parts[0] === "features" ? `features/${parts[1]}` : parts.length > 1 ? parts[0] : "";
}

/** Tests and their fakes may import anything; the rules are about the app's own code. */
const isTest = (f: string) => /\.test\.tsx?$/.test(f) || f.startsWith("testing/");

function imports(file: string): string[] {
  return [...FILES[file].matchAll(/(?:from|import)\s+"(\.[^"]*)"/g)].map((m) => resolve(file, m[1]));
}

/** area → the areas its files import (relative imports only). */
function graph(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of Object.keys(FILES).filter((f) => !isTest(f))) {
    const from = area(file);
    for (const target of imports(file)) {
      const to = area(target);
      if (to === from || to === "") continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  return edges;
}

function cycle(edges: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === "done") return null;
    if (state.get(n) === "open") return [...path.slice(path.indexOf(n)), n];
    state.set(n, "open");
    path.push(n);
    for (const next of edges.get(n) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(n, "done");
    return null;
  };
  for (const n of edges.keys()) {
    const found = visit(n);
    if (found) return found;
  }
  return null;
}

describe("source folders", () => {
  const edges = graph();

  it("has no import cycle between feature folders", () => {
    expect(cycle(edges)).toBeNull();
  });

  it("keeps components/ and lib/ free of feature imports", () => {
    const offenders = Object.keys(FILES)
      .filter((f) => ["components", "lib"].includes(area(f)) && !isTest(f))
      .flatMap((f) => imports(f).filter((t) => area(t).startsWith("features/")).map((t) => `${f} → ${t}`));
    expect(offenders).toEqual([]);
  });
});
