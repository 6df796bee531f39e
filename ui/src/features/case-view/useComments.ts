import { useQuery } from "@tanstack/react-query";
import type { Comment } from "../../lib/api/bindings";
import { listComments } from "../../lib/api/client";
import { MAX_CASES_PER_PAGE } from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";

/** Every comment of a case by id: the feed shows their current text (edits included). */
export function useComments(space: string, caseId: string) {
  return useQuery({
    queryKey: queryKeys.comments(space, caseId),
    queryFn: async () => {
      const byId = new Map<string, Comment>();
      for (let page = 1; ; page++) {
        const res = await listComments(caseId, "asc", page, MAX_CASES_PER_PAGE);
        for (const c of res.comments) byId.set(c.id, c);
        if (res.comments.length < MAX_CASES_PER_PAGE || byId.size >= res.total) break;
      }
      return byId;
    },
  });
}
