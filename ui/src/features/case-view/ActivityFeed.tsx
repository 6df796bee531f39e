import { useEffect, useMemo, useRef, useState } from "react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { ActivityQuery, Case, UserAction } from "../../lib/api/bindings";
import { ApiError, findActivity, observableTypes } from "../../lib/api/client";
import { formatCount, formatDateTime } from "../../lib/format";
import { MAX_USER_ACTIONS_PER_PAGE } from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";
import { TicketLink } from "../../components/TicketLink";
import { CommentCard } from "./CommentCard";
import { CommentEditor, type CommentEditorHandle } from "./CommentEditor";
import { inFilter, loadFeedPrefs, saveFeedPrefs, toFeedEntry, typesFor, type ActivityFilter, type FeedPrefs } from "./activity";
import { typeLabeler } from "./observables/observableTypes";
import { useComments } from "./useComments";

const FILTERS: { id: ActivityFilter; label: string }[] = [
  { id: "all", label: "All" },
  { id: "comments", label: "Comments" },
  { id: "history", label: "History" },
];

/** The case's timeline (Kibana's user actions): comments as cards, other changes as lines. */
export function ActivityFeed({ space, current }: { space: string; current: Case }) {
  const [prefs, setPrefs] = useState<FeedPrefs>(() => loadFeedPrefs());
  useEffect(() => saveFeedPrefs(prefs), [prefs]);
  const editor = useRef<CommentEditorHandle>(null);

  const base: ActivityQuery = { types: typesFor(prefs.filter), sort_order: prefs.order, per_page: MAX_USER_ACTIONS_PER_PAGE };
  const activity = useInfiniteQuery({
    queryKey: queryKeys.activity(space, current.id, base),
    queryFn: ({ pageParam }) => findActivity(space, current.id, { ...base, page: pageParam }),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.per_page < last.total ? last.page + 1 : undefined),
  });
  const comments = useComments(space, current.id);
  // Observable records name types by key; custom types need the space's labels.
  const types = useQuery({ queryKey: queryKeys.observableTypes(space), queryFn: () => observableTypes(space) });
  const label = useMemo(() => typeLabeler(types.data), [types.data]);

  const live = useMemo(() => new Set(comments.data?.keys() ?? []), [comments.data]);
  const actions: UserAction[] = useMemo(() => activity.data?.pages.flatMap((p) => p.user_actions) ?? [], [activity.data]);
  const total = activity.data?.pages[0]?.total ?? 0;
  const entries = actions
    .filter((a) => inFilter(a, prefs.filter))
    .map((a) => toFeedEntry(a, live, label))
    .filter((e) => e.kind !== "hidden");
  const error = activity.error ?? comments.error;

  return (
    <section className="panel activity" aria-labelledby="activity-heading">
      <div className="panel-header">
        <h2 id="activity-heading">Activity</h2>
        <div className="segmented" role="group" aria-label="Show">
          {FILTERS.map((f) => (
            <button
              key={f.id}
              type="button"
              className="segment"
              aria-pressed={prefs.filter === f.id}
              onClick={() => setPrefs({ ...prefs, filter: f.id })}
            >
              {f.label}
              {f.id === "comments" && <span className="segment-count">{formatCount(current.total_comment)}</span>}
            </button>
          ))}
        </div>
        <label className="inline-select">
          <span>Sort</span>
          <select
            aria-label="Sort"
            value={prefs.order}
            onChange={(e) => setPrefs({ ...prefs, order: e.target.value === "desc" ? "desc" : "asc" })}
          >
            <option value="asc">Oldest first</option>
            <option value="desc">Newest first</option>
          </select>
        </label>
      </div>

      {prefs.order === "desc" && prefs.filter !== "history" && (
        <CommentEditor ref={editor} space={space} current={current} />
      )}

      {error ? (
        <div className="banner error" role="alert">
          The activity could not be loaded: {ApiError.from(error).message}{" "}
          <button type="button" className="link-button" onClick={() => void activity.refetch()}>
            Retry
          </button>
        </div>
      ) : activity.isPending || comments.isPending ? (
        <p className="muted" role="status">
          Loading activity…
        </p>
      ) : entries.length === 0 ? (
        <p className="muted">
          {prefs.filter === "comments" ? "No comments yet. Add the first one below." : "Nothing here yet."}
        </p>
      ) : (
        <ol className="timeline" aria-label="Activity">
          {entries.map((e) =>
            e.kind === "comment" ? (
              <li key={e.action.id} className="timeline-item comment-item">
                <CommentCard
                  space={space}
                  caseId={current.id}
                  comment={comments.data!.get(e.commentId)!}
                  onQuote={(text) => editor.current?.quote(text)}
                />
              </li>
            ) : e.kind === "event" ? (
              <li key={e.action.id} className={`timeline-item event-item event-${e.action.type}`}>
                <span className="event-dot" aria-hidden="true" />
                <span className="event-text">
                  <strong>{e.action.created_by.full_name ?? e.action.created_by.username}</strong>{" "}
                  {e.push?.ticket ? (
                    <>
                      {e.push.verb} <TicketLink title={e.push.ticket.title} url={e.push.ticket.url} />
                      {e.push.where}
                    </>
                  ) : (
                    e.text
                  )}
                </span>
                <time className="hint" dateTime={e.action.created_at}>
                  {formatDateTime(e.action.created_at)}
                </time>
              </li>
            ) : null,
          )}
        </ol>
      )}
      {activity.hasNextPage && (
        <button
          type="button"
          className="button subtle load-more"
          disabled={activity.isFetchingNextPage}
          onClick={() => void activity.fetchNextPage()}
        >
          {activity.isFetchingNextPage ? "Loading…" : `Show more (${formatCount(total - actions.length)} left)`}
        </button>
      )}

      {(prefs.order === "asc" || prefs.filter === "history") && (
        <CommentEditor ref={editor} space={space} current={current} />
      )}
    </section>
  );
}
