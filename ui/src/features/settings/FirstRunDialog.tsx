import { useRef, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { User, UserInput } from "../../lib/api/bindings";
import { ApiError, profileStatus, setProfile } from "../../lib/api/client";
import { charCount } from "../../lib/format";
import { MAX_USERNAME_LENGTH } from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";
import { trimRust } from "../../lib/search";
import { SETTINGS_SECTION_INFO } from "../../lib/settingsSections";
import { Dialog } from "../../components/Dialog";
import { FieldLabel } from "../../components/Field";
import { WriteStatus } from "./WriteStatus";

/**
 * Asks once, on the first start with a database, how the analyst is named: Casebook made the
 * profile from the OS account, whose login ("root", "jdoe") is a poor name on every change and
 * assignment. Any answer confirms the profile in the core, so the question is not asked again.
 */
export function FirstRunDialog() {
  const status = useQuery({ queryKey: queryKeys.profileStatus, queryFn: profileStatus });
  if (!status.data || status.data.confirmed) return null;
  return <ProfileQuestion me={status.data.profile} />;
}

function ProfileQuestion({ me }: { me: User }) {
  const queryClient = useQueryClient();
  // The passwd full name when the OS has one, else the login: something to correct, not a blank.
  const [name, setName] = useState(me.full_name ?? me.username);
  const [email, setEmail] = useState(me.email ?? "");
  // The prefilled name is selected when the dialog opens: typing replaces it, Tab keeps it.
  const selected = useRef(false);
  const save = useMutation({
    mutationFn: (input: UserInput) => setProfile(input),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.profile, saved);
      queryClient.setQueryData(queryKeys.profileStatus, { profile: saved, confirmed: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
    },
  });
  const error = save.error ? ApiError.from(save.error) : null;

  const send = (input: UserInput) => {
    if (!save.isPending) save.mutate(input);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input: UserInput = { username: me.username };
    if (trimRust(name) !== "") input.full_name = trimRust(name);
    if (trimRust(email) !== "") input.email = trimRust(email);
    send(input);
  };
  // Closing keeps the profile as it is, and that is an answer too.
  const keep = () => send({ username: me.username, full_name: me.full_name ?? undefined, email: me.email ?? undefined });
  const errorFor = (field: string) => (error?.field === field ? error.message : undefined);
  const nameLen = charCount(trimRust(name));

  return (
    <Dialog
      title="Welcome to Casebook"
      onClose={keep}
      className="dialog-small"
      initialFocusId="first-run-name"
      footer={
        <>
          <button type="button" className="button" onClick={keep} disabled={save.isPending}>
            Keep as it is
          </button>
          <button type="submit" form="first-run-form" className="button primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save"}
          </button>
        </>
      }
    >
      <form id="first-run-form" className="form" onSubmit={submit} noValidate>
        <p>
          Casebook names you as the author of every case, comment and change you make on this computer, and lists you
          among the people cases can be assigned to. How should it name you?
        </p>
        <div className="field">
          <FieldLabel
            htmlFor="first-run-name"
            counter={<span className={`counter ${nameLen > MAX_USERNAME_LENGTH ? "over" : ""}`.trim()}>{nameLen}/{MAX_USERNAME_LENGTH}</span>}
          >
            Display name
          </FieldLabel>
          <input
            id="first-run-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            onFocus={(e) => {
              if (!selected.current) e.currentTarget.select();
              selected.current = true;
            }}
            aria-invalid={errorFor("full_name") ? true : undefined}
            aria-describedby="first-run-name-error"
            autoComplete="name"
          />
          <span id="first-run-name-error" className="field-error">
            {errorFor("full_name")}
          </span>
        </div>
        <div className="field">
          <FieldLabel htmlFor="first-run-email">Email (optional)</FieldLabel>
          <input
            id="first-run-email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={errorFor("email") ? true : undefined}
            aria-describedby="first-run-email-error"
            autoComplete="email"
          />
          <span id="first-run-email-error" className="field-error">
            {errorFor("email")}
          </span>
        </div>
        <p className="hint">
          Your username stays <span className="mono">{me.username}</span>. You can change all three later in Settings →{" "}
          {SETTINGS_SECTION_INFO.people.title}.
        </p>
        <WriteStatus error={error} success={null} failed="Your profile was not saved." />
      </form>
    </Dialog>
  );
}
