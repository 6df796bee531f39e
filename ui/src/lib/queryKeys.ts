import type { FindQuery } from "./api/bindings";

// Every case query of a space starts with ["cases", space], so one prefix refreshes them all.
export const queryKeys = {
  spaces: ["spaces"] as const,
  space: (space: string) => ["cases", space] as const,
  find: (query: FindQuery) => ["cases", query.space, "find", query] as const,
  stats: (space: string) => ["cases", space, "stats"] as const,
  tags: (space: string) => ["cases", space, "tags"] as const,
  categories: (space: string) => ["cases", space, "categories"] as const,
};
