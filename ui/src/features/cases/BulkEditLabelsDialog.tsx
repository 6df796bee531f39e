import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Dialog } from "../../components/Dialog";
import { FormDialogFooter } from "../../components/FormDialogFooter";
import { addTags } from "./draft";
import { casesNoun, labelChanges, nextPresence, presenceOf, type Presence } from "./bulk";
import type { FilterOption } from "./ListFilterPopover";
import { TagInput } from "../../components/TagInput";

type Props = {
  /** "tags" or "assignees": the heading says what is edited. */
  what: "tags" | "assignees";
  count: number;
  /** The values each selected case carries now; null when every matching case is selected
   * (not read): then each known value starts with a dash, left as each case has it. */
  lists: string[][] | null;
  /** Other values that can be added (known users); tags also take new values typed in. */
  choices?: FilterOption[];
  suggestions?: string[];
  /** Resolves to an error to show in the dialog, or null when done. */
  onSubmit: (change: { add: string[]; remove: string[] }) => Promise<string | null>;
  onClose: () => void;
};

function TriCheckbox({ presence, onChange, label }: { presence: Presence; onChange: () => void; label: string }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = presence === "some";
  }, [presence]);
  return (
    <input
      ref={ref}
      type="checkbox"
      checked={presence === "all"}
      aria-checked={presence === "some" ? "mixed" : presence === "all"}
      aria-label={label}
      onChange={onChange}
    />
  );
}

/** Kibana's "Edit tags" / "Edit assignees" flyout: tick to add to all, untick to remove from all. */
export function BulkEditLabelsDialog({ what, count, lists, choices = [], suggestions, onSubmit, onClose }: Props) {
  const initial = useState(() =>
    lists
      ? presenceOf(lists)
      : new Map<string, Presence>([...(suggestions ?? []), ...choices.map((c) => c.value)].map((v) => [v, "some"])),
  )[0];
  const [chosen, setChosen] = useState<Map<string, Presence>>(() => new Map(initial));
  const [newTags, setNewTags] = useState<string[]>([]);
  const [text, setText] = useState("");
  const [needle, setNeedle] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();

  const labels = new Map(choices.map((c) => [c.value, c]));
  const values = [...initial.keys(), ...choices.map((c) => c.value).filter((v) => !initial.has(v))];
  const n = needle.trim().toLowerCase();
  const shown = n ? values.filter((v) => v.toLowerCase().includes(n) || labels.get(v)?.hint?.toLowerCase().includes(n)) : values;

  const change = () => {
    const c = labelChanges(initial, chosen);
    const typed = what === "tags" ? addTags(newTags, text) : [];
    return { add: [...new Set([...c.add, ...typed])], remove: c.remove.filter((v) => !typed.includes(v)) };
  };
  const pending = change();
  const nothing = pending.add.length === 0 && pending.remove.length === 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (nothing || busy) return;
    setBusy(true);
    setError(null);
    const problem = await onSubmit(pending);
    setBusy(false);
    if (problem) setError(problem);
  };

  const noun = what === "tags" ? "tag" : "assignee";
  return (
    <Dialog
      title={`Edit ${what} of ${casesNoun(count)}`}
      onClose={onClose}
      className="dialog-small"
      footer={
        <FormDialogFooter form={`${inputId}-form`} submitLabel="Save" pendingLabel="Saving…" pending={busy} disabled={nothing} onCancel={onClose}>
          <span className="hint footer-hint">
            {nothing ? "No changes yet" : `Adds ${pending.add.length}, removes ${pending.remove.length}`}
          </span>
        </FormDialogFooter>
      }
    >
      <form id={`${inputId}-form`} className="form bulk-edit" onSubmit={(e) => void submit(e)}>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <p className="hint">
          {lists
            ? `Ticked: every selected case has the ${noun}. Unticked: none has it. A dash: some have it, and they keep it as is.`
            : `Tick a ${noun} to add it to every selected case, untick it to remove it from every one. A dash leaves each case as it is.`}
        </p>
        {values.length >= 8 && (
          <input
            type="search"
            className="filter-search"
            aria-label={`Find ${what}`}
            placeholder={`Find ${what}`}
            value={needle}
            onChange={(e) => setNeedle(e.target.value)}
          />
        )}
        {values.length === 0 ? (
          <p className="hint">The selected cases have no {what}.</p>
        ) : (
          <ul className="checklist bulk-checklist">
            {shown.map((v) => {
              const p = chosen.get(v) ?? "none";
              const hint = labels.get(v)?.hint;
              return (
                <li key={v}>
                  <label>
                    <TriCheckbox
                      label={v}
                      presence={p}
                      onChange={() => setChosen((m) => new Map(m).set(v, nextPresence(p)))}
                    />
                    <span className="checklist-label">{v}</span>
                    {hint && <span className="muted checklist-hint">{hint}</span>}
                    {p !== (initial.get(v) ?? "none") && <span className="chip chip-more">changed</span>}
                  </label>
                </li>
              );
            })}
          </ul>
        )}
        {what === "tags" && (
          <div className="field">
            <label htmlFor={inputId}>Add new tags</label>
            <TagInput
              id={inputId}
              tags={newTags}
              text={text}
              suggestions={suggestions?.filter((s) => !initial.has(s))}
              onChange={(tags, t) => {
                setNewTags(tags);
                setText(t);
              }}
            />
          </div>
        )}
      </form>
    </Dialog>
  );
}
