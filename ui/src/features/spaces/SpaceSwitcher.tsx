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

function NewSpaceDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (s: Space) => void }) {
  const [name, setName] = useState("");
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (n: string) => createSpace(n),
    onSuccess: async (s) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.spaces });
      onCreated(s);
    },
  });
  const trimmed = trimRust(name);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!mutation.isPending) mutation.mutate(trimmed);
  };
  // The core checks the name; its refusal (a `name` field, or a taken name) goes next to the box.
  const serverError = mutation.error ? ApiError.from(mutation.error) : null;
  const problem = serverError !== null && (serverError.field !== null || serverError.code === "already_exists") ? serverError.message : null;
  const n = charCount(trimmed);

  return (
    <Dialog
      title="New space"
      onClose={onClose}
      className="dialog-small"
      footer={<FormDialogFooter form="new-space-form" submitLabel="Create space" pendingLabel="Creating…" pending={mutation.isPending} onCancel={onClose} />}
    >
      <form id="new-space-form" onSubmit={submit} noValidate>
        <p className="hint">A space keeps its own cases, numbers (#1, #2…) and settings. Names use lowercase letters, digits, “_” and “-”, e.g. <code>red-team</code>.</p>
        {serverError && !problem && (
          <p className="form-error" role="alert">
            {serverError.message}
          </p>
        )}
        <div className="field">
          <div className="field-label">
            <label htmlFor="new-space-name">Name</label>
            <span className={`counter ${n > MAX_SPACE_NAME_LENGTH ? "over" : ""}`.trim()}>
              {n}/{MAX_SPACE_NAME_LENGTH}
            </span>
          </div>
          <input
            id="new-space-name"
            value={name}
            onChange={(e) => {
              if (mutation.isError) mutation.reset();
              setName(e.target.value);
            }}
            aria-invalid={problem ? true : undefined}
            aria-describedby="new-space-name-error"
            autoComplete="off"
          />
          <span id="new-space-name-error" className="field-error" role={problem ? "alert" : undefined}>
            {problem}
          </span>
        </div>
      </form>
    </Dialog>
  );
}
