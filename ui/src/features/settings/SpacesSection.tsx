import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, createSpace, listSpaces } from "../../lib/api/client";
import { charCount, formatCount, formatDateTime } from "../../lib/format";
import { MAX_SPACE_NAME_LENGTH } from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";
import { trimRust } from "../../lib/search";
import { WriteStatus } from "./WriteStatus";

export function SpacesSection({ current }: { current: string }) {
  const queryClient = useQueryClient();
  const spaces = useQuery({ queryKey: queryKeys.spaces, queryFn: listSpaces });
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: (n: string) => createSpace(trimRust(n)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.spaces });
      setName("");
    },
  });
  const error = create.error ? ApiError.from(create.error) : null;
  // The core checks the name; its message goes next to the box when it is about the name, else
  // under the form.
  const aboutName = error !== null && (error.field !== null || error.code === "already_exists");
  const shownError = aboutName ? error.message : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!create.isPending) create.mutate(name);
  };

  return (
    <section className="settings-section" aria-labelledby="settings-spaces">
      <h2 id="settings-spaces">Spaces</h2>
      <p className="hint">
        Each space has its own cases, case numbers (#1, #2…), tags, categories and case settings (the sections below).
        Switch spaces with the selector at the top of the window.
      </p>
      {spaces.isError && (
        <div className="form-error" role="alert">
          The spaces could not be loaded: {ApiError.from(spaces.error).message}
        </div>
      )}
      {spaces.data && (
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">Space</th>
              <th scope="col" className="num">
                Cases
              </th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {spaces.data.map((s) => (
              <tr key={s.name} aria-current={s.name === current ? "true" : undefined}>
                <td className="mono">
                  {s.name}
                  {s.name === current && <span className="badge current-badge">current</span>}
                </td>
                <td className="num">{formatCount(s.total_cases)}</td>
                <td>{formatDateTime(s.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form settings-form inline-form" onSubmit={submit} noValidate aria-label="Create a space">
        <div className="field grow">
          <div className="field-label">
            <label htmlFor="space-name">New space</label>
            <span className={`counter ${charCount(trimRust(name)) > MAX_SPACE_NAME_LENGTH ? "over" : ""}`.trim()}>
              {charCount(trimRust(name))}/{MAX_SPACE_NAME_LENGTH}
            </span>
          </div>
          <input
            id="space-name"
            value={name}
            placeholder="e.g. red-team"
            onChange={(e) => {
              if (create.isError || create.isSuccess) create.reset();
              setName(e.target.value);
            }}
            aria-invalid={shownError ? true : undefined}
            aria-describedby="space-name-error"
            autoComplete="off"
          />
          <span id="space-name-error" className="field-error">
            {shownError}
          </span>
        </div>
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create space"}
        </button>
      </form>
      <WriteStatus
        error={aboutName ? null : error}
        success={create.isSuccess ? `Space “${create.data.name}” created. Pick it in the space selector to work in it.` : null}
        failed="The space was not created."
      />
    </section>
  );
}
