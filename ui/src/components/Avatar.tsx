// People as Kibana shows them: round initials, the full name on hover (never a bare user id).
import type { User } from "../lib/api/bindings";
import "./avatar.css";

/** How many colours avatars cycle through (avatar.css defines avatar-0 … avatar-5). */
const COLOURS = 6;

/** "Ana Lytic" → "AL", "j.doe" → "JD"; one word gives its first two letters ("mkim" → "MK"). */
export function initials(name: string): string {
  const words = name.trim().split(/[\s._-]+/).filter(Boolean);
  if (words.length >= 2) return (first(words[0]) + first(words[words.length - 1])).toUpperCase();
  return [...(words[0] ?? "?")].slice(0, 2).join("").toUpperCase();
}

function first(word: string): string {
  return [...word][0] ?? "";
}

/** The same person gets the same colour everywhere (FNV-1a of the username: short names spread well). */
function colour(username: string): number {
  let h = 2166136261;
  for (const ch of username) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
  return h % COLOURS;
}

/** The name to show for a username: the full name when Casebook knows one. */
export function displayName(username: string, user: User | undefined): string {
  return user?.full_name?.trim() || username;
}

export function Avatar({ username, user }: { username: string; user?: User }) {
  const name = displayName(username, user);
  const label = name === username ? username : `${name} (${username})`;
  return (
    <span className={`avatar avatar-${colour(username)}`} title={label} aria-label={label} role="img">
      {initials(name)}
    </span>
  );
}

/** At most `max` avatars on one line, then "+N" naming the rest on hover. */
export function AvatarGroup({ usernames, users, max = 3 }: { usernames: string[]; users: ReadonlyMap<string, User>; max?: number }) {
  if (usernames.length === 0) return <span className="muted">—</span>;
  const shown = usernames.length <= max ? usernames : usernames.slice(0, max - 1);
  const rest = usernames.slice(shown.length);
  return (
    <span className="avatar-group">
      {shown.map((u) => (
        <Avatar key={u} username={u} user={users.get(u)} />
      ))}
      {rest.length > 0 && (
        <span className="avatar avatar-more" title={rest.map((u) => displayName(u, users.get(u))).join(", ")}>
          +{rest.length}
        </span>
      )}
    </span>
  );
}
