// Text being typed into a case (a comment, an edited description) kept in localStorage, so a
// closed window, a crash or a conflict never loses it. Empty text removes the entry.
import { readString, remove, writeJson, type KeyValueStore } from "./storage";

export type DraftKind = "comment" | "description" | "title";

export function textDraftKey(kind: DraftKind, caseId: string): string {
  return `casebook.draft.${kind}.${caseId}`;
}

export function loadTextDraft(kind: DraftKind, caseId: string, store?: KeyValueStore | null): string {
  const key = textDraftKey(kind, caseId);
  return (store === undefined ? readString(key) : readString(key, store)) ?? "";
}

export function saveTextDraft(kind: DraftKind, caseId: string, text: string, store?: KeyValueStore | null): void {
  const key = textDraftKey(kind, caseId);
  if (text.trim() === "") {
    if (store === undefined) remove(key);
    else remove(key, store);
  } else if (store === undefined) writeJson(key, text);
  else writeJson(key, text, store);
}

export function clearTextDraft(kind: DraftKind, caseId: string, store?: KeyValueStore | null): void {
  saveTextDraft(kind, caseId, "", store);
}
