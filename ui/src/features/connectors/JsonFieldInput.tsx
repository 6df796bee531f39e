import { useEffect, useState } from "react";
import type { JsonField } from "../../lib/api/bindings";
import { Field } from "../../components/Field";

type Props = {
  id: string;
  field: JsonField;
  /** The saved value, as JSON text. */
  value: string;
  busy: boolean;
  /** Saves the text; the core parses and checks it against the system's fields. */
  onCommit: (text: string) => void;
};

/**
 * Additional fields of the system as a JSON object. Saved when the field is left, not on each
 * key: half-typed JSON is not a value. The core says what is wrong with it (JSON, unknown or
 * read-only fields, too many keys).
 */
export function JsonFieldInput({ id, field, value, busy, onCommit }: Props) {
  const [text, setText] = useState(value);
  // A save (or another window) changed the value: show it, unless the user is typing.
  useEffect(() => setText(value), [value]);
  return (
    <Field
      id={id}
      label={field.label}
      hint={`A JSON object of up to ${field.max_keys} of the system's own fields, e.g. {"customfield_10010": "x"}. Saved when you leave the field.`}
    >
      <textarea
        id={id}
        className="mono"
        rows={3}
        value={text}
        spellCheck={false}
        disabled={busy}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          if (text.trim() !== value.trim()) onCommit(text);
        }}
        aria-describedby={`${id}-hint`}
      />
    </Field>
  );
}
