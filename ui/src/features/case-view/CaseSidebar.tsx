import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { Case, CustomFieldDefinition, User } from "../../lib/api/bindings";
import { ApiError, getConfiguration, listCategories, listTags, listUsers, profile } from "../../lib/api/client";
import { charCount } from "../../lib/format";
import { MAX_CATEGORY_LENGTH } from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";
import { trimRust } from "../../lib/search";
import { AssigneesInput, userLabel } from "../../components/AssigneesInput";
import { Combobox } from "../../components/Combobox";
import { CustomFieldInput } from "../../components/CustomFieldInput";
import {
  toCustomFieldValues,
  toInputValue,
  type CustomFieldInputValue,
} from "../../components/customFieldValue";
import { Switch } from "../../components/Switch";
import { TagInput } from "../../components/TagInput";
import { addTags } from "../cases/draft";
import { CaseTiming } from "./CaseTiming";
import { ExternalIncidentPanel } from "./push/ExternalIncidentPanel";
import { EditorButtons, SidebarSection } from "./SidebarSection";
import { useComments } from "./useComments";
import { useCaseUpdate, writeErrorMessage } from "./useCaseUpdate";

/** Kibana's case-view sidebar: people, tags, category, custom fields, timing, external incident. */
export function CaseSidebar({ space, current }: { space: string; current: Case }) {
  const update = useCaseUpdate(space, current);
  const users = useQuery({ queryKey: queryKeys.users, queryFn: listUsers });
  const me = useQuery({ queryKey: queryKeys.profile, queryFn: profile });
  const tags = useQuery({ queryKey: queryKeys.tags(space), queryFn: () => listTags(space) });
  const categories = useQuery({ queryKey: queryKeys.categories(space), queryFn: () => listCategories(space) });
  const config = useQuery({ queryKey: queryKeys.configuration(space), queryFn: () => getConfiguration(space) });
  const comments = useComments(space, current.id);

  const people = new Map<string, User>();
  for (const u of [me.data, ...(users.data ?? [])]) if (u) people.set(u.username, u);
  const known = [...people.values()];
  const name = (username: string) => userLabel(people.get(username), username);

  const participants = new Map<string, User>();
  for (const u of [current.created_by, current.updated_by, current.closed_by, ...[...(comments.data?.values() ?? [])].map((c) => c.created_by)]) {
    if (u && !participants.has(u.username)) participants.set(u.username, u);
  }

  const definitions = config.data?.custom_fields ?? [];
  const onEditStart = () => update.reset();

  return (
    <aside className="case-sidebar" aria-label="Case details">
      <SidebarSection
        title="Assignees"
        error={update.error}
        onEditStart={onEditStart}
        view={
          current.assignees.length === 0 ? (
            <p className="muted">No one is assigned.</p>
          ) : (
            <ul className="people">
              {current.assignees.map((a) => (
                <li key={a.uid} className="chip chip-user">
                  {name(a.uid)}
                </li>
              ))}
            </ul>
          )
        }
        editor={(done) => (
          <AssigneesEditor
            initial={current.assignees.map((a) => a.uid)}
            users={known}
            me={me.data?.username}
            busy={update.isPending}
            onCancel={done}
            onSave={(usernames) => update.mutate({ assignees: usernames.map((uid) => ({ uid })) }, { onSuccess: done })}
          />
        )}
      />
      <SidebarSection
        title="Tags"
        error={update.error}
        onEditStart={onEditStart}
        view={
          current.tags.length === 0 ? (
            <p className="muted">No tags.</p>
          ) : (
            <ul className="chips">
              {current.tags.map((t) => (
                <li key={t} className="chip chip-tag">
                  {t}
                </li>
              ))}
            </ul>
          )
        }
        editor={(done) => (
          <TagsEditor
            initial={current.tags}
            suggestions={tags.data ?? []}
            busy={update.isPending}
            onCancel={done}
            onSave={(next) => update.mutate({ tags: next }, { onSuccess: done })}
          />
        )}
      />
      <SidebarSection
        title="Category"
        error={update.error}
        onEditStart={onEditStart}
        view={current.category ? <p>{current.category}</p> : <p className="muted">No category.</p>}
        editor={(done) => (
          <CategoryEditor
            initial={current.category ?? ""}
            options={categories.data ?? []}
            busy={update.isPending}
            onCancel={done}
            onSave={(category) => update.mutate({ category }, { onSuccess: done })}
          />
        )}
      />
      {definitions.length > 0 && (
        <SidebarSection
          title="Custom fields"
          error={update.error}
          onEditStart={onEditStart}
          view={
            <dl className="custom-fields">
              {definitions.map((d) => {
                const v = current.custom_fields.find((f) => f.key === d.key)?.value ?? null;
                return (
                  <div key={d.key}>
                    <dt>{d.label}</dt>
                    <dd>
                      {d.type === "toggle" ? (v === true ? "On" : "Off") : v === null || v === "" ? <span className="muted">—</span> : String(v)}
                    </dd>
                  </div>
                );
              })}
            </dl>
          }
          editor={(done) => (
            <CustomFieldsEditor
              definitions={definitions}
              initial={Object.fromEntries(
                definitions.map((d) => [d.key, toInputValue(d, current.custom_fields.find((f) => f.key === d.key)?.value ?? undefined)]),
              )}
              busy={update.isPending}
              error={update.error}
              onCancel={done}
              onSave={(values) => update.mutate({ custom_fields: toCustomFieldValues(definitions, values) }, { onSuccess: done })}
            />
          )}
        />
      )}
      <SidebarSection
        title="Alert settings"
        view={
          <div className="switch-rows">
            <Switch
              id="case-sync-alerts"
              label="Sync alerts"
              details="The attached alerts' status follows the case's: in progress acknowledges them, closing closes them."
              checked={current.settings.sync_alerts}
              disabled={update.isPending}
              onChange={(on) => update.mutate({ settings: { ...current.settings, sync_alerts: on } })}
            />
            <Switch
              id="case-extract-observables"
              label="Extract observables"
              details="Alerts attached while this is on add their IPs, hosts, hashes, users… to the observables."
              checked={current.settings.extract_observables}
              disabled={update.isPending}
              onChange={(on) => update.mutate({ settings: { ...current.settings, extract_observables: on } })}
            />
            {update.isError && update.variables?.settings && (
              <p className="field-error" role="alert">
                {writeErrorMessage(update.error)}
              </p>
            )}
          </div>
        }
      />
      <SidebarSection title="Reporter" view={<p>{userLabel(current.created_by, current.created_by.username)}</p>} />
      <SidebarSection
        title="Participants"
        view={
          <ul className="people">
            {[...participants.values()].map((u) => (
              <li key={u.username} className="chip chip-user">
                {userLabel(u, u.username)}
              </li>
            ))}
          </ul>
        }
      />
      <SidebarSection title="Timing" view={<CaseTiming current={current} />} />
      <SidebarSection title="External incident" view={<ExternalIncidentPanel space={space} current={current} />} />
    </aside>
  );
}

function AssigneesEditor(props: {
  initial: string[];
  users: User[];
  me?: string;
  busy: boolean;
  onSave: (usernames: string[]) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(props.initial);
  return (
    <div className="sidebar-editor">
      <AssigneesInput id="side-assignees-input" value={value} onChange={setValue} users={props.users} currentUser={props.me} />
      <EditorButtons busy={props.busy} onSave={() => props.onSave(value)} onCancel={props.onCancel} />
    </div>
  );
}

function TagsEditor(props: {
  initial: string[];
  suggestions: string[];
  busy: boolean;
  onSave: (tags: string[]) => void;
  onCancel: () => void;
}) {
  const [tags, setTags] = useState(props.initial);
  const [text, setText] = useState("");
  return (
    <div className="sidebar-editor">
      <TagInput
        id="side-tags-input"
        tags={tags}
        text={text}
        suggestions={props.suggestions}
        onChange={(t, s) => {
          setTags(t);
          setText(s);
        }}
      />
      {/* What is still typed in the box counts as a tag: Save should not drop it. */}
      <EditorButtons busy={props.busy} onSave={() => props.onSave(text.trim() ? addTags(tags, text) : tags)} onCancel={props.onCancel} />
    </div>
  );
}

function CategoryEditor(props: {
  initial: string;
  options: string[];
  busy: boolean;
  onSave: (category: string | null) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(props.initial);
  const n = charCount(trimRust(value));
  return (
    <div className="sidebar-editor">
      <Combobox id="side-category-input" ariaLabel="Category" value={value} onChange={setValue} options={props.options} invalid={n > MAX_CATEGORY_LENGTH} />
      {n > MAX_CATEGORY_LENGTH && (
        <p className="field-error" role="alert">
          Category: at most {MAX_CATEGORY_LENGTH} characters (now {n}).
        </p>
      )}
      <EditorButtons
        busy={props.busy}
        disabled={n > MAX_CATEGORY_LENGTH}
        onSave={() => props.onSave(n === 0 ? null : trimRust(value))}
        onCancel={props.onCancel}
      />
    </div>
  );
}

function CustomFieldsEditor(props: {
  definitions: CustomFieldDefinition[];
  initial: Record<string, CustomFieldInputValue>;
  busy: boolean;
  /** The core's refusal of the last save: it names the field (`cases[0].custom_fields.<key>`). */
  error: unknown;
  onSave: (values: Record<string, CustomFieldInputValue>) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState(props.initial);
  const refused = props.error ? ApiError.from(props.error) : null;
  const refusedKey = refused?.customFieldKey("cases", 0) ?? null;
  return (
    <div className="sidebar-editor custom-fields-editor">
      {props.definitions.map((d) => (
        <CustomFieldInput
          key={d.key}
          id={`side-cf-${d.key}`}
          definition={d}
          value={values[d.key] ?? null}
          error={refusedKey === d.key ? refused?.message : undefined}
          onChange={(v) => setValues({ ...values, [d.key]: v })}
        />
      ))}
      <EditorButtons busy={props.busy} onSave={() => props.onSave(values)} onCancel={props.onCancel} />
    </div>
  );
}
