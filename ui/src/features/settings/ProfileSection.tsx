import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { User } from "../../lib/api/bindings";
import { ApiError, profile, setProfile } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { PersonFields, toUserInput, type PersonForm } from "./PersonFields";
import { WriteStatus } from "./WriteStatus";

const fromUser = (u: User): PersonForm => ({ username: u.username, fullName: u.full_name ?? "", email: u.email ?? "" });

/** The analyst using this database: the author recorded on every change. */
export function ProfileSection() {
  const me = useQuery({ queryKey: queryKeys.profile, queryFn: profile });
  return (
    <section className="settings-section" aria-labelledby="settings-profile">
      <h2 id="settings-profile">Your profile</h2>
      <p className="hint">
        You are the author of every change made in Casebook on this computer, and can be assigned to cases.
      </p>
      {me.isPending && <p className="muted">Loading…</p>}
      {me.isError && (
        <div className="form-error" role="alert">
          Your profile could not be loaded: {ApiError.from(me.error).message}
        </div>
      )}
      {me.data && <ProfileForm key={me.data.username} user={me.data} />}
    </section>
  );
}

function ProfileForm({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<PersonForm>(() => fromUser(user));
  const mutation = useMutation({
    mutationFn: (f: PersonForm) => setProfile(toUserInput(f)),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.profile, saved);
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
      setForm(fromUser(saved));
    },
  });
  const error = mutation.error ? ApiError.from(mutation.error) : null;
  const changed = JSON.stringify(form) !== JSON.stringify(fromUser(user));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!mutation.isPending) mutation.mutate(form);
  };

  return (
    <form className="form settings-form" onSubmit={submit} noValidate aria-label="Your profile">
      <PersonFields
        idPrefix="profile"
        form={form}
        onChange={(f) => {
          if (mutation.isError || mutation.isSuccess) mutation.reset();
          setForm(f);
        }}
        serverError={error}
      />
      <p className="hint">Changing your username does not rewrite past records: they keep the name they had.</p>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={!changed || mutation.isPending}>
          {mutation.isPending ? "Saving…" : "Save profile"}
        </button>
        {changed && (
          <button type="button" className="button subtle" onClick={() => setForm(fromUser(user))}>
            Undo changes
          </button>
        )}
      </div>
      <WriteStatus error={error} success={mutation.isSuccess ? "Profile saved." : null} failed="Your profile was not saved." />
    </form>
  );
}
