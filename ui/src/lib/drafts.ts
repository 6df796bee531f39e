// Unsent text (a comment, an edited description) saved by the core to disk as it is typed: a
// closed window, a crash or a power cut loses at most the last fraction of a second.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, deleteDraft, getDraft, saveDraft } from "./api/client";

export type DraftKind = "comment" | "description";

/** The core's key for a draft: `comment.<case id>`. */
export function draftKey(kind: DraftKind, caseId: string): string {
  return `${kind}.${caseId.toLowerCase()}`;
}

/** How long typing must pause before the draft is written. */
export const DRAFT_SAVE_DELAY_MS = 300;

export type DraftStatus = "loading" | "idle" | "saving" | "saved" | "failed";

export type StoredDraft = {
  text: string;
  setText: (text: string) => void;
  /** Forgets the draft (after it was posted or abandoned). */
  clear: () => void;
  status: DraftStatus;
  /** Why the last save failed; the text is still on screen. */
  error: string | null;
};

/**
 * A text kept in memory and on disk under `key`. The stored draft is loaded once; what the
 * user types before it arrives wins. Pending text is written when typing pauses, when the
 * component goes away and when the window is hidden or closed.
 */
export function useStoredDraft(key: string): StoredDraft {
  const [text, setTextState] = useState("");
  const [status, setStatus] = useState<DraftStatus>("loading");
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const typed = useRef(false);

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const body = pending.current;
    if (body === null) return;
    pending.current = null;
    saveDraft(key, body).then(
      () => {
        if (pending.current === null) setStatus(body.trim() === "" ? "idle" : "saved");
        setError(null);
      },
      (err: unknown) => {
        setStatus("failed");
        setError(ApiError.from(err).message);
      },
    );
  }, [key]);

  useEffect(() => {
    let live = true;
    typed.current = false;
    getDraft(key).then(
      (body) => {
        if (!live) return;
        if (!typed.current && body) {
          setTextState(body);
          setStatus("saved");
        } else setStatus((s) => (s === "loading" ? "idle" : s));
      },
      (err: unknown) => {
        if (!live) return;
        setStatus("failed");
        setError(ApiError.from(err).message);
      },
    );
    return () => {
      live = false;
    };
  }, [key]);

  // Whatever is still pending is written when the view goes away or the window is closed.
  useEffect(() => {
    window.addEventListener("pagehide", flush);
    window.addEventListener("beforeunload", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      window.removeEventListener("beforeunload", flush);
      flush();
    };
  }, [flush]);

  const setText = useCallback(
    (next: string) => {
      typed.current = true;
      setTextState(next);
      pending.current = next;
      setStatus("saving");
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(flush, DRAFT_SAVE_DELAY_MS);
    },
    [flush],
  );

  const clear = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    pending.current = null;
    typed.current = true;
    setTextState("");
    setStatus("idle");
    setError(null);
    deleteDraft(key).catch((err: unknown) => setError(ApiError.from(err).message));
  }, [key]);

  return { text, setText, clear, status, error };
}

/**
 * Mirrors a form's own draft (kept in WebView storage) to a core draft on disk, and brings
 * that back when the form opens, unless the user changes the form first. WebView storage can
 * lose or keep stale the last seconds of typing when the window closes; the core's files cannot. `serialized` is "" for an empty form,
 * which removes the file. Returns `discard`, to call once the form is sent.
 */
export function useDiskMirror(key: string, serialized: string, restore: (stored: string) => void): () => void {
  const restoreRef = useRef(restore);
  restoreRef.current = restore;
  const initial = useRef(serialized);
  const pending = useRef<string | null>(null);
  const changed = useRef(false);

  useEffect(() => {
    let live = true;
    getDraft(key).then(
      (stored) => {
        // The core's copy is written with fsync; WebView storage may hold an older copy (it
        // is flushed lazily, so a killed window can come back with a stale one). The disk copy
        // wins unless the user has changed the form since it opened, as in useStoredDraft.
        if (live && stored && !changed.current && stored !== initial.current) restoreRef.current(stored);
      },
      () => {
        // No core (a browser preview) or an unreadable file: the WebView's copy still works.
      },
    );
    return () => {
      live = false;
    };
  }, [key]);

  const flush = useCallback(() => {
    const body = pending.current;
    if (body === null) return;
    pending.current = null;
    saveDraft(key, body).catch((err: unknown) => console.warn("casebook: draft not saved to disk:", err));
  }, [key]);

  useEffect(() => {
    // Opening the form writes nothing; from the first change on, every state is mirrored.
    if (!changed.current && serialized === initial.current) return;
    changed.current = true;
    pending.current = serialized;
    const t = setTimeout(flush, DRAFT_SAVE_DELAY_MS);
    return () => clearTimeout(t);
  }, [serialized, flush]);

  // What is still pending is written when the form goes away or the window closes.
  useEffect(() => {
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, [flush]);

  // The form was sent: its file goes now, and nothing pending brings it back. The form may be
  // gone before it renders empty again (a dialog closed as it submits), so this cannot wait
  // for `serialized` to become "".
  return useCallback(() => {
    pending.current = null;
    changed.current = true;
    saveDraft(key, "").catch((err: unknown) => console.warn("casebook: draft not removed from disk:", err));
  }, [key]);
}
