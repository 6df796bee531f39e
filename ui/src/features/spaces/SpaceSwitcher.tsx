import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient, type UseQueryResult } from "@tanstack/react-query";
import type { Space } from "../../lib/api/bindings";
import { ApiError, createSpace } from "../../lib/api/client";
import { charCount, formatCount } from "../../lib/format";
import { MAX_SPACE_NAME_LENGTH } from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";
import { trimRust } from "../../lib/search";
import { Dialog } from "../../components/Dialog";
import { FormDialogFooter } from "../../components/FormDialogFooter";

const NEW_SPACE = "\u0000new";

type Props = {
  space: string;
  spaces: UseQueryResult<Space[], Error>;
  onChoose: (name: string) => void;
};

export function SpaceSwitcher({ space, spaces, onChoose }: Props) {
  const [creating, setCreating] = useState(false);
  const list = spaces.data ?? [{ name: space, created_at: "", total_cases: 0 }];

  return (
    <div className="space-switcher">
      <label htmlFor="space-select">Space</label>
      <select
        id="space-select"
        value={space}
        onChange={(e) => {
          if (e.target.value === NEW_SPACE) setCreating(true);
          else onChoose(e.target.value);
        }}
        aria-describedby={spaces.isError ? "space-error" : undefined}
      >
        {list.map((s) => (
          <option key={s.name} value={s.name}>
            {spaces.data ? `${s.name} (${formatCount(s.total_cases)})` : s.name}
          </option>
        ))}
        <option value={NEW_SPACE}>New space…</option>
      </select>
      {spaces.isError && (
        <span id="space-error" className="field-error" role="alert">
          Spaces could not be loaded: {spaces.error.message}
        </span>
      )}
      {creating && (
        <NewSpaceDialog
          onClose={() => setCreating(false)}
          onCreated={(s) => {
            setCreating(false);
            onChoose(s.name);
          }}
        />
      )}
    </div>
  );
}

/** The core's rule for space names (validate::key): 1–100 of a–z, 0–9, "_" and "-". */
export function spaceNameProblem(trimmed: string): string | null {
  if (trimmed === "") return "A name is required.";
  const n = charCount(trimmed);
  if (n > MAX_SPACE_NAME_LENGTH) return `At most ${MAX_SPACE_NAME_LENGTH} characters (got ${n}).`;
  if (!/^[a-z0-9_-]+$/.test(trimmed)) return "Use only lowercase letters, digits, “_” and “-”.";
  return null;
}

function NewSpaceDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (s: Space) => void }) {
  const [name, setName] = useState("");
  const [touched, setTouched] = useState(false);
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (n: string) => createSpace(n),
    onSuccess: async (s) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.spaces });
      onCreated(s);
    },
  });
  const trimmed = trimRust(name);
  const problem = spaceNameProblem(trimmed);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!problem) mutation.mutate(trimmed);
  };
  const serverError = mutation.error ? ApiError.from(mutation.error) : null;

  return (
    <Dialog
      title="New space"
      onClose={onClose}
      className="dialog-small"
      footer={<FormDialogFooter form="new-space-form" submitLabel="Create space" pendingLabel="Creating…" pending={mutation.isPending} onCancel={onClose} />}
    >
      <form id="new-space-form" onSubmit={submit} noValidate>
        <p className="hint">A space keeps its own cases, numbers (#1, #2…) and settings. Names use lowercase letters, digits, “_” and “-”, e.g. <code>red-team</code>.</p>
        {serverError && (
          <p className="form-error" role="alert">
            {serverError.message}
          </p>
        )}
        <div className="field">
          <label htmlFor="new-space-name">Name</label>
          <input
            id="new-space-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            onBlur={() => setTouched(true)}
            aria-invalid={touched && problem ? true : undefined}
            aria-describedby="new-space-name-error"
            autoComplete="off"
          />
          <span id="new-space-name-error" className="field-error">
            {touched ? problem : null}
          </span>
        </div>
      </form>
    </Dialog>
  );
}
