import { useEffect, useRef, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Case, Template } from "../../lib/api/bindings";
import {
  ApiError,
  checkCaseCreate,
  createAndPush,
  createCase,
  getConfiguration,
  listCategories,
  listTags,
  listUsers,
  profile,
} from "../../lib/api/client";
import { useDebounced } from "../../lib/hooks";
import { charCount } from "../../lib/format";
import { MAX_CATEGORY_LENGTH, MAX_DESCRIPTION_LENGTH, MAX_TAGS_PER_CASE, MAX_TITLE_LENGTH } from "../../lib/limits";
import { useDiskMirror } from "../../lib/drafts";
import { queryKeys } from "../../lib/queryKeys";
import { trimRust } from "../../lib/search";
import { AssigneesInput } from "../../components/AssigneesInput";
import { Combobox } from "../../components/Combobox";
import { Counter } from "../../components/Counter";
import { CustomFieldInput } from "../../components/CustomFieldInput";
import { valueFor } from "../../components/customFieldValue";
import { Dialog } from "../../components/Dialog";
import { Field, FieldLabel } from "../../components/Field";
import { FormDialogFooter } from "../../components/FormDialogFooter";
import { MarkdownPreviewPanel, MarkdownTabs, MarkdownWritePanel, type MarkdownTab } from "../../components/MarkdownTabs";
import { MarkdownToolbar, markdownShortcut } from "../../components/MarkdownToolbar";
import { Switch } from "../../components/Switch";
import {
  createDraftKey,
  EMPTY_DRAFT,
  applyTemplate,
  clearDraft,
  isEmptyDraft,
  loadDraft,
  sanitizeDraft,
  saveDraft,
  templateOverwrites,
  toCaseCreate,
  allTags,
  type CaseDraft,
  type DraftField,
} from "./draft";
import { useConnectors } from "../connectors/useConnectors";
import { CreateCaseConnector } from "./CreateCaseConnector";
import { SeveritySelect } from "../../components/SeveritySelect";
import { TagInput } from "../../components/TagInput";

type Props = {
  space: string;
  onClose: () => void;
  /** The case is saved (and pushed, if asked): callers open it, as Kibana does. */
  onCreated: (c: Case) => void;
};

type Field = DraftField;

/** The input a core error is about, to focus it: a form field, or a custom field's input. */
function inputOfError(err: ApiError): string | null {
  const key = err.customFieldKey();
  if (key !== null) return `create-cf-${key}`;
  return err.fieldRoot === null ? null : `create-${err.fieldRoot}`;
}

export function CreateCaseDialog({ space, onClose, onCreated }: Props) {
  const [draft, setDraft] = useState<CaseDraft>(() => loadDraft(space));
  const [tab, setTab] = useState<MarkdownTab>("write");
  const queryClient = useQueryClient();

  const tags = useQuery({ queryKey: queryKeys.tags(space), queryFn: () => listTags(space) });
  const categories = useQuery({ queryKey: queryKeys.categories(space), queryFn: () => listCategories(space) });
  const config = useQuery({ queryKey: queryKeys.configuration(space), queryFn: () => getConfiguration(space) });
  const users = useQuery({ queryKey: queryKeys.users, queryFn: listUsers });
  const me = useQuery({ queryKey: queryKeys.profile, queryFn: profile });
  const connectors = useConnectors(space);
  const defs = config.data?.custom_fields ?? [];
  const templates = config.data?.templates ?? [];
  /** A template chosen while the form holds typed text: applied once the user confirms. */
  const [pendingTemplate, setPendingTemplate] = useState<{ template: Template; fields: string[] } | null>(null);
  /** Create was asked while text sat in the tag box: the user says whether it is a tag. */
  const [askTag, setAskTag] = useState(false);

  // Every keystroke is kept: closing by accident loses nothing.
  useEffect(() => saveDraft(space, draft), [space, draft]);
  // …and to disk through the core, which also survives a window closed mid-word.
  const discardDiskDraft = useDiskMirror(createDraftKey(space), isEmptyDraft(draft) ? "" : JSON.stringify(draft), (stored) => {
    try {
      setDraft(sanitizeDraft(JSON.parse(stored)));
    } catch {
      // A damaged file: start from the empty form.
    }
  });

  const pushes = (d: CaseDraft) => d.pushOnCreate && (connectors.data ?? []).some((c) => c.id === d.connector);
  const mutation = useMutation({
    // With "push when created": one core call that saves the case and its queued push together,
    // then tries the push (as Kibana does); offline, the push waits in the outbox. A refused
    // push waits there as failed: the case, opened next, says why beside its Push button.
    mutationFn: async (d: CaseDraft): Promise<Case> => {
      const input = toCaseCreate(d, defs, connectors.data ?? []);
      if (!pushes(d)) return createCase(space, input);
      return (await createAndPush(space, input)).case;
    },
    // The core names the field it refused: take the user there.
    onError: (e) => {
      const input = inputOfError(ApiError.from(e));
      if (input !== null) document.getElementById(input)?.focus();
    },
    onSuccess: (created) => {
      clearDraft(space);
      discardDiskDraft();
      setDraft(EMPTY_DRAFT);
      void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.spaces });
      onCreated(created);
    },
  });

  // While typing, the core checks the form with create_case's own rules (writing nothing), so
  // a refusal shows next to its input before "Create case"; the form keeps no rule of its own.
  const typed = useDebounced(draft, 300);
  const checkInput = isEmptyDraft(typed) || connectors.isPending ? null : toCaseCreate(typed, defs, connectors.data ?? []);
  const check = useQuery({
    queryKey: ["check-case-create", space, checkInput],
    queryFn: () => checkCaseCreate(space, checkInput!),
    enabled: checkInput !== null && config.isSuccess,
    retry: false,
    gcTime: 0,
  });
  const checkError = check.error && !mutation.isError && draft === typed ? ApiError.from(check.error) : null;

  // The core checks the case; its error is shown next to the input its field names. The form
  // itself only counts characters against the core's limits.
  const serverError = mutation.error ? ApiError.from(mutation.error) : checkError;
  const serverField = serverError?.fieldRoot as Field | null | undefined;
  const serverCustomField = serverError?.customFieldKey() ?? null;
  const cfErrorFor = (key: string) => (serverCustomField === key ? serverError?.detail : undefined);
  const errorFor = (f: Field) => (serverField === f ? serverError?.detail : undefined);

  const update = (patch: Partial<CaseDraft>) => {
    if (mutation.isError) mutation.reset();
    if ("tagInput" in patch) setAskTag(false);
    setDraft((d) => ({ ...d, ...patch }));
  };

  const create = (d: CaseDraft) => {
    // A draft naming a connector waits for the space's connectors, or the connector would be dropped.
    if (d.connector !== "" && connectors.isPending) return;
    if (!mutation.isPending) mutation.mutate(d);
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    // Half-typed text in Tags is neither added nor dropped behind the user's back.
    if (trimRust(draft.tagInput) !== "") {
      setAskTag(true);
      return;
    }
    create(draft);
  };

  /** Answers the question about the tag box's text: add it as a tag, or leave it out. */
  const createWithTagText = (add: boolean) => {
    const d = { ...draft, tags: add ? allTags(draft) : draft.tags, tagInput: "" };
    update({ tags: d.tags, tagInput: "" });
    create(d);
  };

  const chooseTemplate = (key: string) => {
    const t = templates.find((x) => x.key === key);
    if (!t) {
      update({ template: "" });
      return;
    }
    const fields = templateOverwrites(draft, t);
    if (fields.length > 0) setPendingTemplate({ template: t, fields });
    else update(applyTemplate(draft, t, defs));
  };

  const titleLen = charCount(trimRust(draft.title));
  const descriptionLen = charCount(trimRust(draft.description));
  const categoryLen = charCount(trimRust(draft.category));

  return (
    <Dialog
      title="Create case"
      onClose={onClose}
      className="dialog-create"
      initialFocusId="create-title"
      footer={
        <FormDialogFooter form="create-case-form" submitLabel="Create case" pendingLabel={pushes(draft) ? "Creating and pushing…" : "Creating…"} pending={mutation.isPending} onCancel={onClose}>
          <span className="hint footer-hint">
            {isEmptyDraft(draft) ? "Esc to close" : "Your draft is kept if you close this dialog."}
          </span>
          {!isEmptyDraft(draft) && (
            <button
              type="button"
              className="button subtle"
              onClick={() => {
                setDraft(EMPTY_DRAFT);
                setPendingTemplate(null);
                setAskTag(false);
                mutation.reset();
                document.getElementById("create-title")?.focus();
              }}
            >
              Clear form
            </button>
          )}
        </FormDialogFooter>
      }
    >
      <form
        id="create-case-form"
        className="form"
        onSubmit={submit}
        noValidate
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit();
        }}
      >
        <p className="hint">
          New case in space <strong>{space}</strong>. It gets the space’s next number (#1, #2…) as it is saved.
        </p>
        {serverError && mutation.isError && (
          <div className="form-error" role="alert">
            <strong>The case was not created.</strong> {serverError.message}
            {serverError.code === "busy" && " Try again in a moment."}
          </div>
        )}

        {templates.length > 0 && (
          <div className="field">
            <FieldLabel htmlFor="create-template">Template</FieldLabel>
            <select
              id="create-template"
              value={templates.some((t) => t.key === draft.template) ? draft.template : ""}
              onChange={(e) => chooseTemplate(e.target.value)}
              aria-describedby="create-template-hint"
            >
              <option value="">No template</option>
              {templates.map((t) => (
                <option key={t.key} value={t.key}>
                  {t.name}
                </option>
              ))}
            </select>
            <span id="create-template-hint" className="hint">
              {templates.find((t) => t.key === draft.template)?.description ??
                "A template fills in the fields below; you can still change them."}
            </span>
            {pendingTemplate && (
              <div className="inline-confirm" role="alert">
                <p>
                  Applying <strong>{pendingTemplate.template.name}</strong> replaces what you typed in{" "}
                  {pendingTemplate.fields.join(", ")}.
                </p>
                <div className="inline-confirm-actions">
                  <button
                    type="button"
                    className="button primary"
                    onClick={() => {
                      update(applyTemplate(draft, pendingTemplate.template, defs));
                      setPendingTemplate(null);
                    }}
                  >
                    Apply template
                  </button>
                  <button type="button" className="button" onClick={() => setPendingTemplate(null)}>
                    Keep my text
                  </button>
                </div>
              </div>
            )}
          </div>
        )}

        <Field id="create-title" label="Name" counter={<Counter n={titleLen} max={MAX_TITLE_LENGTH} />} error={errorFor("title")}>
          <input
            id="create-title"
            value={draft.title}
            onChange={(e) => update({ title: e.target.value })}
            aria-invalid={errorFor("title") ? true : undefined}
            aria-describedby="create-title-error"
            aria-required="true"
            autoComplete="off"
          />
        </Field>

        <div className="field-row">
          <div className="field">
            <FieldLabel htmlFor="create-severity">Severity</FieldLabel>
            <SeveritySelect id="create-severity" value={draft.severity} onChange={(severity) => update({ severity })} />
          </div>
          <Field
            id="create-category"
            label="Category"
            counter={<Counter n={categoryLen} max={MAX_CATEGORY_LENGTH} />}
            error={errorFor("category")}
            className="field grow"
          >
            <Combobox
              id="create-category"
              value={draft.category}
              options={categories.data ?? []}
              placeholder="Optional, e.g. Email"
              onChange={(v) => update({ category: v })}
              invalid={Boolean(errorFor("category"))}
              describedBy="create-category-error"
            />
          </Field>
        </div>

        <Field id="create-tags" label="Tags" counter={<span className="counter">{draft.tags.length}/{MAX_TAGS_PER_CASE}</span>} error={errorFor("tags")}>
          <TagInput
            id="create-tags"
            tags={draft.tags}
            text={draft.tagInput}
            suggestions={tags.data}
            onChange={(t, text) => update({ tags: t, tagInput: text })}
            invalid={Boolean(errorFor("tags"))}
            describedBy="create-tags-error"
          />
          {askTag && <TagTextQuestion text={trimRust(draft.tagInput)} onAnswer={createWithTagText} />}
        </Field>

        <div className="field">
          <div className="field-label">
            <label htmlFor="create-description" id="create-description-label">
              Description
            </label>
            <MarkdownTabs idPrefix="create-description" label="Description" tab={tab} onTab={setTab} />
            <MarkdownToolbar target="create-description" label="Description" hidden={tab !== "write"} />
            <Counter n={descriptionLen} max={MAX_DESCRIPTION_LENGTH} />
          </div>
          <MarkdownWritePanel idPrefix="create-description" tab={tab}>
            <textarea
              id="create-description"
              value={draft.description}
              rows={9}
              placeholder="What happened, what you know, what to do next. Markdown: **bold**, lists, `code`, [links](https://…)"
              onChange={(e) => update({ description: e.target.value })}
              onKeyDown={markdownShortcut}
              aria-invalid={errorFor("description") ? true : undefined}
              aria-describedby="create-description-error"
            />
          </MarkdownWritePanel>
          <MarkdownPreviewPanel idPrefix="create-description" tab={tab} source={draft.description} />
          <span id="create-description-error" className="field-error">
            {errorFor("description")}
          </span>
        </div>

        <Field id="create-assignees" label="Assignees" error={errorFor("assignees")}>
          <AssigneesInput
            id="create-assignees"
            value={draft.assignees}
            onChange={(assignees) => update({ assignees })}
            users={users.data ?? (me.data ? [me.data] : [])}
            currentUser={me.data?.username}
            invalid={Boolean(errorFor("assignees"))}
            describedBy="create-assignees-error"
          />
        </Field>

        {defs.length > 0 && (
          <fieldset className="custom-fields">
            <legend>Custom fields</legend>
            {defs.map((def) => (
              <CustomFieldInput
                key={def.key}
                id={`create-cf-${def.key}`}
                definition={def}
                value={valueFor(def, draft.customFields)}
                onChange={(v) => update({ customFields: { ...draft.customFields, [def.key]: v } })}
                error={cfErrorFor(def.key)}
              />
            ))}
          </fieldset>
        )}
        {config.isError && (
          <p className="hint" role="status">
            The space's custom fields and templates could not be loaded ({ApiError.from(config.error).message}); the
            case gets their default values.
          </p>
        )}

        {(connectors.data?.length ?? 0) > 0 && (
          <CreateCaseConnector space={space} connectors={connectors.data ?? []} draft={draft} onChange={update} />
        )}

        <div className="field">
          <Switch
            id="create-sync-alerts"
            label="Sync alerts"
            checked={draft.syncAlerts}
            onChange={(syncAlerts) => update({ syncAlerts })}
            aria-describedby="create-sync-alerts-hint"
          />
          <span id="create-sync-alerts-hint" className="hint">
            When on, changing the case's status changes the status of its attached alerts: closing the case closes
            them.
          </span>
          <Switch
            id="create-extract-observables"
            label="Extract observables from alerts"
            checked={draft.extractObservables}
            onChange={(extractObservables) => update({ extractObservables })}
            aria-describedby="create-extract-observables-hint"
          />
          <span id="create-extract-observables-hint" className="hint">
            When on, IP addresses, host names, domains, URLs, file hashes and the like found in attached alerts are
            added to the case's observables.
          </span>
        </div>
      </form>
    </Dialog>
  );
}

/** Asked when Create meets text typed in Tags but not added: focused, so Enter answers. */
function TagTextQuestion({ text, onAnswer }: { text: string; onAnswer: (add: boolean) => void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div className="inline-confirm" role="alert">
      <p>
        “{text}” in Tags is not added yet. Add it as a tag?
      </p>
      <div className="inline-confirm-actions">
        <button ref={first} type="button" className="button primary" onClick={() => onAnswer(true)}>
          Add tag and create
        </button>
        <button type="button" className="button" onClick={() => onAnswer(false)}>
          Create without it
        </button>
      </div>
    </div>
  );
}
