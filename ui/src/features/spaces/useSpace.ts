import { useCallback, useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { listSpaces } from "../../lib/api/client";
import type { Space } from "../../lib/api/bindings";
import { queryKeys } from "../../lib/queryKeys";
import { readString, writeJson } from "../../lib/storage";

export const SPACE_KEY = "casebook.space";
export const DEFAULT_SPACE = "default";

/** The space to show, given the stored choice and the spaces that exist. */
export function resolveSpace(chosen: string | null, spaces: Space[] | undefined): string {
  const wanted = chosen ?? DEFAULT_SPACE;
  if (!spaces || spaces.length === 0) return wanted;
  if (spaces.some((s) => s.name === wanted)) return wanted;
  return spaces.some((s) => s.name === DEFAULT_SPACE) ? DEFAULT_SPACE : spaces[0].name;
}

/** The current space, persisted in localStorage, and the list of spaces. */
export function useSpace() {
  const [chosen, setChosen] = useState<string | null>(() => readString(SPACE_KEY));
  const spaces = useQuery({ queryKey: queryKeys.spaces, queryFn: listSpaces });
  const space = resolveSpace(chosen, spaces.data);

  useEffect(() => {
    if (spaces.data && chosen !== null && chosen !== space) setChosen(space);
  }, [spaces.data, chosen, space]);

  const choose = useCallback((name: string) => {
    setChosen(name);
    writeJson(SPACE_KEY, name);
  }, []);

  return { space, choose, spaces };
}
