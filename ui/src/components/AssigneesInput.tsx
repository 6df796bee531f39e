import { useState, type KeyboardEvent } from "react";
import type { User } from "../lib/api/bindings";
import { MAX_ASSIGNEES_PER_CASE } from "../lib/limits";
import { Combobox } from "./Combobox";
import "./inputs.css";

type Props = {
  /** Id of the text box (for a <label htmlFor>). */
  id: string;
  /** Assigned usernames, in order. */
  value: string[];
  onChange: (usernames: string[]) => void;
  /** Who can be assigned: the analyst and the teammates (list_users). */
  users: User[];
  /** The analyst's username: offers "Assign yourself". */
  currentUser?: string;
  /** Default MAX_ASSIGNEES_PER_CASE (10), the core's limit. */
  max?: number;
  invalid?: boolean;
  describedBy?: string;
  disabled?: boolean;
};

/** "Ana Lytic (ana)", or the username alone. */
export function userLabel(u: User | undefined, username: string): string {
  return u?.full_name ? `${u.full_name} (${username})` : username;
}

/**
 * Assignees as chips plus a box that suggests known people. Only known users can be added (the
 * core refuses others); usernames already assigned but no longer known stay visible and removable.
 */
export function AssigneesInput({ id, value, onChange, users, currentUser, max = MAX_ASSIGNEES_PER_CASE, invalid, describedBy, disabled }: Props) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const byName = new Map(users.map((u) => [u.username, u]));
  const full = value.length >= max;
  const available = users.map((u) => u.username).filter((u) => !value.includes(u));
  const hintId = `${id}-hint`;

  const add = (username: string) => {
    if (value.includes(username)) return;
    if (full) {
      setProblem(`At most ${max} assignees.`);
      return;
    }
    onChange([...value, username]);
    setText("");
    setProblem(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" && text.trim() !== "") {
      e.preventDefault();
      const typed = text.trim();
      // An exact username, or a full name that only one person has.
      const match =
        users.find((u) => u.username === typed) ??
        (() => {
          const m = users.filter((u) => u.full_name?.toLowerCase() === typed.toLowerCase());
          return m.length === 1 ? m[0] : undefined;
        })();
      if (match) add(match.username);
      else setProblem(`"${typed}" is not a known user. Add teammates in Settings → People.`);
    } else if (e.key === "Backspace" && text === "" && value.length > 0) {
      e.preventDefault();
      onChange(value.slice(0, -1));
    }
  };

  return (
    <div className="assignees-input">
      <div className={`tag-input ${invalid || problem ? "invalid" : ""}`.trim()}>
        {value.length > 0 && (
          <ul className="chips" aria-label="Assignees">
            {value.map((username) => (
              <li key={username} className={`chip chip-user ${byName.has(username) ? "" : "chip-unknown"}`.trim()}>
                <span className="chip-text" title={byName.get(username)?.email ?? undefined}>
                  {userLabel(byName.get(username), username)}
                </span>
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Unassign ${username}`}
                  disabled={disabled}
                  onClick={() => onChange(value.filter((x) => x !== username))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <Combobox
          id={id}
          value={text}
          onChange={(v) => {
            setText(v);
            setProblem(null);
          }}
          options={available}
          optionLabel={(o) => userLabel(byName.get(o), o)}
          onPick={add}
          onKeyDown={onKeyDown}
          placeholder={full ? `${max} assigned (the most a case can have)` : "Type a name or username"}
          disabled={disabled || full}
          invalid={invalid || Boolean(problem)}
          describedBy={[hintId, describedBy].filter(Boolean).join(" ")}
        />
      </div>
      <div className="assignees-hint">
        <span id={hintId} className={problem ? "field-error" : "hint"}>
          {problem ?? (users.length <= 1 ? "Add teammates in Settings → People to assign them." : `${value.length}/${max}`)}
        </span>
        {currentUser && !value.includes(currentUser) && !full && (
          <button type="button" className="link-button" disabled={disabled} onClick={() => add(currentUser)}>
            Assign yourself
          </button>
        )}
      </div>
    </div>
  );
}
