import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, addUser, listUsers, profile, removeUser } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { EMPTY_PERSON, PersonFields, toUserInput, type PersonForm } from "./PersonFields";
import { WriteStatus } from "./WriteStatus";

/** The people who can be assigned to cases besides the analyst. Shared by every space. */
export function TeammatesSection() {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: queryKeys.users, queryFn: listUsers });
  const me = useQuery({ queryKey: queryKeys.profile, queryFn: profile });
  const [form, setForm] = useState<PersonForm>(EMPTY_PERSON);
  const [removing, setRemoving] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const add = useMutation({
    mutationFn: (f: PersonForm) => addUser(toUserInput(f)),
    onSuccess: (u) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
      setForm(EMPTY_PERSON);
      setDone(`${u.username} added: they can now be assigned to cases.`);
    },
  });
  const remove = useMutation({
    mutationFn: (username: string) => removeUser(username),
    onSuccess: (_, username) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
      setRemoving(null);
      setDone(`${username} removed. Cases they were assigned to keep the assignment.`);
    },
  });
  const addError = add.error ? ApiError.from(add.error) : null;
  const removeError = remove.error ? ApiError.from(remove.error) : null;
  const teammates = (users.data ?? []).filter((u) => u.username !== me.data?.username);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    if (!add.isPending) add.mutate(form);
  };

  return (
    <section className="settings-section" aria-labelledby="settings-teammates">
      <h2 id="settings-teammates">Teammates</h2>
      <p className="hint">
        People you can assign cases to, in every space. They are names only: Casebook has no accounts or sign-in.
      </p>
      {users.isError && (
        <div className="form-error" role="alert">
          The teammates could not be loaded: {ApiError.from(users.error).message}
        </div>
      )}
      {users.data && teammates.length === 0 && <p className="muted">No teammates yet: only you can be assigned.</p>}
      {teammates.length > 0 && (
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Full name</th>
              <th scope="col">Email</th>
              <th scope="col">
                <span className="offscreen">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {teammates.map((u) => (
              <tr key={u.username}>
                <td className="mono">{u.username}</td>
                <td>{u.full_name ?? <span className="muted">—</span>}</td>
                <td>{u.email ?? <span className="muted">—</span>}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="button subtle"
                    aria-label={`Remove ${u.username}`}
                    onClick={() => {
                      remove.reset();
                      setRemoving(u.username);
                    }}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <form className="form settings-form" onSubmit={submit} noValidate aria-label="Add a teammate">
        <h3>Add a teammate</h3>
        <PersonFields
          idPrefix="teammate"
          form={form}
          onChange={(f) => {
            if (add.isError) add.reset();
            setForm(f);
          }}
          serverError={addError}
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={add.isPending}>
            {add.isPending ? "Adding…" : "Add teammate"}
          </button>
        </div>
      </form>
      <WriteStatus error={addError} success={done} failed="The teammate was not added." />

      {removing && (
        <ConfirmDialog
          title={`Remove ${removing}?`}
          confirmLabel="Remove teammate"
          pending={remove.isPending}
          onConfirm={() => remove.mutate(removing)}
          onClose={() => setRemoving(null)}
        >
          <p>
            <strong>{removing}</strong> can no longer be assigned to cases. Cases already assigned to them keep that
            assignment and their history.
          </p>
          {removeError && (
            <div className="form-error" role="alert">
              <strong>Not removed.</strong> {removeError.message}
            </div>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}
