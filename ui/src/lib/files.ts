// Files from the desktop: the "open file" dialog, files dropped on the window, and the progress
// events of an alert import. The only module that touches these Tauri APIs, so that tests can
// replace it (vi.mock("…/lib/files")).
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open, save } from "@tauri-apps/plugin-dialog";
import type { AlertImportProgress, ExportProgress } from "./api/bindings";
import { insideTauri, listenTo } from "./api/transport";

/** The extensions "Attach alerts…" offers (the core also tells the format, and gzip, by the content). */
export const ALERT_FILE_EXTENSIONS = ["ndjson", "jsonl", "json", "csv", "gz"];

/** The event an import's progress arrives on (crates/core/src/api/alerts.rs). */
export const IMPORT_PROGRESS_EVENT = "alert-import-progress";

/** One progress report of the import `import_id`. */
export type ImportProgressEvent = AlertImportProgress & { import_id: string };

/** A drag over the window: `position` in CSS pixels from the window's top-left corner. */
export type FileDragEvent =
  | { type: "enter"; paths: string[]; position?: { x: number; y: number } }
  | { type: "over"; position?: { x: number; y: number } }
  | { type: "drop"; paths: string[]; position?: { x: number; y: number } }
  | { type: "leave" };

/** Asks for one alert export; null when the user cancels. */
export async function pickAlertFile(): Promise<string | null> {
  if (!insideTauri()) {
    // A plain browser against `casebook serve --dev` cannot hand over a file's path: ask for it.
    const typed = window.prompt("Path of the alert export on this machine (NDJSON, JSON, CSV or .gz):");
    return typed?.trim() ? typed.trim() : null;
  }
  const picked = await open({
    multiple: false,
    directory: false,
    title: "Attach alerts",
    filters: [{ name: "Alerts", extensions: ALERT_FILE_EXTENSIONS }],
  });
  return typeof picked === "string" ? picked : null;
}

/** Calls `handler` for each drag of files over the window. Resolves to a function that stops. */
export async function onFileDrag(handler: (e: FileDragEvent) => void): Promise<() => void> {
  try {
    return await getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload;
      // Tauri gives physical pixels; the page lays out in CSS pixels.
      const scale = window.devicePixelRatio || 1;
      const at = "position" in p ? { x: p.position.x / scale, y: p.position.y / scale } : undefined;
      switch (p.type) {
        case "enter":
          return handler({ type: "enter", paths: p.paths, position: at });
        case "over":
          return handler({ type: "over", position: at });
        case "drop":
          return handler({ type: "drop", paths: p.paths, position: at });
        case "leave":
          return handler({ type: "leave" });
      }
    });
  } catch (err) {
    // Not inside Tauri (plain browser preview): nothing can be dropped.
    console.warn("casebook: no file drops:", err);
    return () => {};
  }
}

/** Calls `handler` with every import progress event. Resolves to a function that stops. */
export async function onImportProgress(handler: (e: ImportProgressEvent) => void): Promise<() => void> {
  try {
    return await listenTo<ImportProgressEvent>(IMPORT_PROGRESS_EVENT, handler);
  } catch (err) {
    console.warn("casebook: no import progress:", err);
    return () => {};
  }
}

/** A fresh id for an import (what "Cancel" names). */
export function newImportId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `import-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** The last part of a path, for messages ("alerts.ndjson"). */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** The event an analytics export's progress arrives on (crates/core/src/api/analytics.rs). */
export const EXPORT_PROGRESS_EVENT = "export-progress";

export type ExportProgressEvent = ExportProgress & { path: string };

/** Calls `handler` with each progress report of an analytics export. Resolves to a function that stops. */
export async function onExportProgress(handler: (p: ExportProgressEvent) => void): Promise<() => void> {
  return listenTo<ExportProgressEvent>(EXPORT_PROGRESS_EVENT, handler);
}

/**
 * Asks where to save a file named `name` by default, with `extension`; null when the user
 * cancels. In a plain browser (dev) the path is typed.
 */
export async function pickSavePath(title: string, name: string, extension: string): Promise<string | null> {
  if (!insideTauri()) {
    const typed = window.prompt(`${title}: path of the file to write on this machine`, `/tmp/${name}`);
    return typed?.trim() ? typed.trim() : null;
  }
  const picked = await save({ title, defaultPath: name, filters: [{ name: extension.toUpperCase(), extensions: [extension] }] });
  return picked ?? null;
}
