import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Case, Severity } from "../../lib/api/bindings";
import { ApiError, createCase, listCategories, listTags } from "../../lib/api/client";
import { charCount } from "../../lib/format";
import { MAX_CATEGORY_LENGTH, MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";
import { trimRust } from "../../lib/search";
import { Dialog } from "../../components/Dialog";
import { Markdown } from "../../components/Markdown";
import {
  EMPTY_DRAFT,
  clearDraft,
  isEmptyDraft,
  loadDraft,
  saveDraft,
  toCaseCreate,
  validateDraft,
  type CaseDraft,
  type DraftErrors,
} from "./draft";
import { SEVERITY_LABEL } from "./labels";
import { SEVERITIES } from "./tableState";
import { TagInput } from "./TagInput";

type Props = {
  space: string;
  onClose: () => void;
  onCreated: (c: Case) => void;
};

type Field = keyof DraftErrors;

function Counter({ n, max }: { n: number; max: number }) {
  return (
    <span className={`counter ${n > max ? "over" : ""}`.trim()} aria-live={n > max ? "polite" : "off"}>
      {n.toLocaleString()}/{max.toLocaleString()}
    </span>
  );
}

export function CreateCaseDialog({ space, onClose, onCreated }: Props) {
  const [draft, setDraft] = useState<CaseDraft>(() => loadDraft());
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [tab, setTab] = useState<"write" | "preview">("write");
  const queryClient = useQueryClient();

  const tags = useQuery({ queryKey: queryKeys.tags(space), queryFn: () => listTags(space) });
  const categories = useQuery({ queryKey: queryKeys.categories(space), queryFn: () => listCategories(space) });

  // Every keystroke is kept: closing by accident loses nothing.
  useEffect(() => saveDraft(draft), [draft]);

  const mutation = useMutation({
    mutationFn: (d: CaseDraft) => createCase(space, toCaseCreate(d)),
    onSuccess: (created) => {
      clearDraft();
      setDraft(EMPTY_DRAFT);
      void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.spaces });
      onCreated(created);
    },
  });

  const errors = validateDraft(draft);
  const serverError = mutation.error ? ApiError.from(mutation.error) : null;
  const serverField = serverError?.field as Field | null | undefined;
  const show = (f: Field) => (submitted || touched[f]) && errors[f];
  const errorFor = (f: Field) => show(f) || (serverField === f ? serverError?.message : undefined) || undefined;

  const update = (patch: Partial<CaseDraft>) => {
    if (mutation.isError) mutation.reset();
    setDraft((d) => ({ ...d, ...patch }));
  };
  const touch = (f: Field) => setTouched((t) => ({ ...t, [f]: true }));

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length > 0) {
      const first = (["title", "description", "tags", "category"] as Field[]).find((f) => errors[f]);
      if (first) document.getElementById(`create-${first}`)?.focus();
      return;
    }
    if (!mutation.isPending) mutation.mutate(draft);
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
        <>
          <span className="hint footer-hint">
            {isEmptyDraft(draft) ? "Esc to close" : "Your draft is kept if you close this dialog."}
          </span>
          {!isEmptyDraft(draft) && (
            <button
              type="button"
              className="button subtle"
              onClick={() => {
                setDraft(EMPTY_DRAFT);
                setTouched({});
                setSubmitted(false);
                mutation.reset();
                document.getElementById("create-title")?.focus();
              }}
            >
              Clear form
            </button>
          )}
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="create-case-form" className="button primary" disabled={mutation.isPending}>
            {mutation.isPending ? "Creating…" : "Create case"}
          </button>
        </>
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
          New case in space <strong>{space}</strong>. It gets its number (#1, #2…) shortly after it is saved.
        </p>
        {serverError && (
          <div className="form-error" role="alert">
            <strong>The case was not created.</strong> {serverError.message}
            {serverError.code === "busy" && " Try again in a moment."}
          </div>
        )}

        <div className="field">
          <div className="field-label">
            <label htmlFor="create-title">Name</label>
            <Counter n={titleLen} max={MAX_TITLE_LENGTH} />
          </div>
          <input
            id="create-title"
            value={draft.title}
            onChange={(e) => update({ title: e.target.value })}
            onBlur={() => touch("title")}
            aria-invalid={errorFor("title") ? true : undefined}
            aria-describedby="create-title-error"
            aria-required="true"
            autoComplete="off"
          />
          <span id="create-title-error" className="field-error">
            {errorFor("title")}
          </span>
        </div>

        <div className="field-row">
          <div className="field">
            <div className="field-label">
              <label htmlFor="create-severity">Severity</label>
            </div>
            <select
              id="create-severity"
              value={draft.severity}
              onChange={(e) => update({ severity: e.target.value as Severity })}
            >
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {SEVERITY_LABEL[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field grow">
            <div className="field-label">
              <label htmlFor="create-category">Category</label>
              <Counter n={categoryLen} max={MAX_CATEGORY_LENGTH} />
            </div>
            <input
              id="create-category"
              value={draft.category}
              list="create-category-list"
              placeholder="Optional, e.g. Email"
              onChange={(e) => update({ category: e.target.value })}
              onBlur={() => touch("category")}
              aria-invalid={errorFor("category") ? true : undefined}
              aria-describedby="create-category-error"
              autoComplete="off"
            />
            <datalist id="create-category-list">
              {(categories.data ?? []).map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            <span id="create-category-error" className="field-error">
              {errorFor("category")}
            </span>
          </div>
        </div>

        <div className="field">
          <div className="field-label">
            <label htmlFor="create-tags">Tags</label>
            <span className="counter">{draft.tags.length}/200</span>
          </div>
          <TagInput
            id="create-tags"
            tags={draft.tags}
            text={draft.tagInput}
            suggestions={tags.data}
            onChange={(t, text) => {
              update({ tags: t, tagInput: text });
              touch("tags");
            }}
            invalid={Boolean(errorFor("tags"))}
            describedBy="create-tags-error"
          />
          <span id="create-tags-error" className="field-error">
            {errorFor("tags")}
          </span>
        </div>

        <div className="field">
          <div className="field-label">
            <label htmlFor="create-description" id="create-description-label">
              Description
            </label>
            <div className="tabs" role="tablist" aria-label="Description editor">
              <button
                type="button"
                role="tab"
                id="create-description-write-tab"
                aria-selected={tab === "write"}
                aria-controls="create-description-write"
                className="tab"
                onClick={() => setTab("write")}
              >
                Write
              </button>
              <button
                type="button"
                role="tab"
                id="create-description-preview-tab"
                aria-selected={tab === "preview"}
                aria-controls="create-description-preview"
                className="tab"
                onClick={() => setTab("preview")}
              >
                Preview
              </button>
            </div>
            <Counter n={descriptionLen} max={MAX_DESCRIPTION_LENGTH} />
          </div>
          <div id="create-description-write" role="tabpanel" aria-labelledby="create-description-write-tab" hidden={tab !== "write"}>
            <textarea
              id="create-description"
              value={draft.description}
              rows={9}
              placeholder="What happened, what you know, what to do next. Markdown: **bold**, lists, `code`, [links](https://…)"
              onChange={(e) => update({ description: e.target.value })}
              onBlur={() => touch("description")}
              aria-invalid={errorFor("description") ? true : undefined}
              aria-describedby="create-description-error"
            />
          </div>
          <div
            id="create-description-preview"
            role="tabpanel"
            aria-labelledby="create-description-preview-tab"
            hidden={tab !== "preview"}
            className="preview"
            tabIndex={0}
          >
            {tab === "preview" &&
              (draft.description.trim() === "" ? (
                <p className="muted">Nothing to preview.</p>
              ) : (
                <Markdown source={draft.description} />
              ))}
          </div>
          <span id="create-description-error" className="field-error">
            {errorFor("description")}
          </span>
        </div>
      </form>
    </Dialog>
  );
}
