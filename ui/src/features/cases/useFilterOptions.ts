import { useQuery } from "@tanstack/react-query";
import type { CustomFieldDefinition, User } from "../../lib/api/bindings";
import { ApiError, getConfiguration, listCategories, listReporters, listUsers, profile, tagCounts } from "../../lib/api/client";
import { formatCount } from "../../lib/format";
import { queryKeys } from "../../lib/queryKeys";
import type { FilterOption } from "./ListFilterPopover";
import { NO_ASSIGNEES } from "./tableState";

function errorText(err: unknown): string | null {
  return err ? ApiError.from(err).message : null;
}

function userHint(u: User, me: string | undefined): string | undefined {
  const parts = [u.full_name, u.username === me ? "you" : null].filter(Boolean);
  return parts.length > 0 ? parts.join(" · ") : undefined;
}

/** The people Casebook knows: the local profile first, then the others. */
export function peopleOptions(me: User | undefined, users: User[] | undefined): FilterOption[] {
  const all = [...(me ? [me] : []), ...(users ?? []).filter((u) => u.username !== me?.username)];
  return all.map((u) => ({ value: u.username, label: u.username, hint: userHint(u, me?.username) }));
}

/** One empty list for every render, so the table's columns are not rebuilt while loading. */
const NO_FIELDS: CustomFieldDefinition[] = [];

/** The profile and the teammates by username. */
export function knownUsers(me: User | undefined, users: User[] | undefined): Map<string, User> {
  return new Map([...(users ?? []), ...(me ? [me] : [])].map((u) => [u.username, u]));
}

/** Everything the toolbar's filters pick from, loaded once per space. */
export function useFilterOptions(space: string) {
  const tags = useQuery({ queryKey: queryKeys.tagCounts(space), queryFn: () => tagCounts(space) });
  const categories = useQuery({ queryKey: queryKeys.categories(space), queryFn: () => listCategories(space) });
  const reporters = useQuery({ queryKey: queryKeys.reporters(space), queryFn: () => listReporters(space) });
  const me = useQuery({ queryKey: queryKeys.profile, queryFn: profile });
  const users = useQuery({ queryKey: queryKeys.users, queryFn: listUsers });
  const configuration = useQuery({ queryKey: queryKeys.configuration(space), queryFn: () => getConfiguration(space) });

  const people = peopleOptions(me.data, users.data);
  const customFields: CustomFieldDefinition[] = configuration.data?.custom_fields ?? NO_FIELDS;
  return {
    // By name, as the core sorts them, with each tag's number of cases.
    tags: {
      options: (tags.data ?? []).map((t) => ({ value: t.tag, label: t.tag, hint: formatCount(t.cases) })),
      loading: tags.isPending,
      error: errorText(tags.error),
    },
    categories: {
      options: (categories.data ?? []).map((c) => ({ value: c, label: c })),
      loading: categories.isPending,
      error: errorText(categories.error),
    },
    reporters: {
      options: (reporters.data ?? []).map((r) => people.find((p) => p.value === r) ?? { value: r, label: r }),
      loading: reporters.isPending,
      error: errorText(reporters.error),
    },
    assignees: {
      options: [{ value: NO_ASSIGNEES, label: "No assignees", hint: "nobody assigned" }, ...people],
      loading: me.isPending || users.isPending,
      error: errorText(users.error),
    },
    /** Known people (for the bulk assignee editor). */
    people,
    /** Known people by username, for names and initials. */
    users: knownUsers(me.data, users.data),
    customFields,
    toggleFields: customFields.filter((f) => f.type === "toggle"),
    /** undefined until the configuration has loaded (or if it failed). */
    toggleKeys: configuration.data ? customFields.filter((f) => f.type === "toggle").map((f) => f.key) : undefined,
    configurationSettled: !configuration.isPending,
  };
}

export type FilterOptions = ReturnType<typeof useFilterOptions>;
