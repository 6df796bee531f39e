// localStorage as JSON, never throwing: storage may be full, disabled or hold old shapes.

export type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

function defaultStore(): KeyValueStore | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

export function readJson(key: string, store: KeyValueStore | null = defaultStore()): unknown {
  if (!store) return undefined;
  try {
    const raw = store.getItem(key);
    return raw === null ? undefined : (JSON.parse(raw) as unknown);
  } catch {
    return undefined;
  }
}

export function writeJson(key: string, value: unknown, store: KeyValueStore | null = defaultStore()): void {
  if (!store) return;
  try {
    store.setItem(key, JSON.stringify(value));
  } catch {
    // Quota or privacy mode: the UI still works, it just forgets.
  }
}

export function remove(key: string, store: KeyValueStore | null = defaultStore()): void {
  if (!store) return;
  try {
    store.removeItem(key);
  } catch {
    // ignore
  }
}

/** A plain string (e.g. the chosen space). */
export function readString(key: string, store: KeyValueStore | null = defaultStore()): string | null {
  const v = readJson(key, store);
  return typeof v === "string" ? v : null;
}
