import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ObservableInput, ObservableType } from "../../../lib/api/bindings";
import { addObservable } from "../../../lib/api/client";
import { formatCount } from "../../../lib/format";
import { queryKeys } from "../../../lib/queryKeys";
import { routeHref } from "../../../lib/route";
import { ObservableFields } from "./ObservableFields";
import { emptyForm, errorsFromCore, toInput, type ObservableErrors, type ObservableForm } from "./observableForm";

type Props = {
  space: string;
  caseId: string;
  types: readonly ObservableType[];
  /** Observables the case holds now. */
  count: number;
  /** The most its space lets a case hold. */
  cap: number;
};

/** "Add observable": type, value, description, with the core's verdict next to each field. */
export function AddObservableForm({ space, caseId, types, count, cap }: Props) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<ObservableForm>(() => emptyForm(types));
  const [errors, setErrors] = useState<ObservableErrors>({});
  const full = count >= cap;
  const label = types.find((t) => t.key === form.typeKey)?.label ?? form.typeKey;

  // The types arrive after the form when the tab opens first.
  useEffect(() => {
    if (form.typeKey === "" && types.length > 0) setForm((f) => ({ ...f, typeKey: types[0].key }));
  }, [types, form.typeKey]);

  const add = useMutation({
    mutationFn: (input: ObservableInput) => addObservable(caseId, input),
    onSuccess: () => {
      setForm((f) => ({ ...f, value: "", description: "" }));
      setErrors({});
      void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
      document.getElementById("obs-add-value")?.focus();
    },
    onError: (err) => {
      const found = errorsFromCore(err, label);
      setErrors(found);
      if (!found.form) document.getElementById(found.type_key ? "obs-add-type" : found.value ? "obs-add-value" : "obs-add-description")?.focus();
    },
  });

  // Until the types arrive there is no type to send: the button waits for them.
  const ready = form.typeKey !== "";

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (full || add.isPending || !ready) return;
    setErrors({});
    add.mutate(toInput(form));
  };

  return (
    <form className="observable-add" onSubmit={submit} noValidate aria-labelledby="obs-add-heading">
      <div className="observable-add-head">
        <h3 id="obs-add-heading">Add observable</h3>
        <span className={`counter ${full ? "over" : ""}`.trim()} aria-live="polite">
          {formatCount(count)} of {formatCount(cap)}
        </span>
      </div>
      {full && (
        <p className="hint" role="status">
          This case has {formatCount(cap)} observables, the most a case of this space holds: delete one to add another, or
          raise the cap in{" "}
          <a href={routeHref({ page: "settings", section: "observable-types" })}>Settings → Observable types</a>.
        </p>
      )}
      {errors.form && (
        <p className="form-error" role="alert">
          The observable was not added: {errors.form}
        </p>
      )}
      <div className="observable-add-fields">
        <ObservableFields
          idPrefix="obs-add"
          types={types}
          form={form}
          errors={errors}
          disabled={full}
          onChange={(patch) => {
            setForm((f) => ({ ...f, ...patch }));
            if (Object.keys(errors).length > 0) setErrors({});
          }}
        />
        <button type="submit" className="button primary observable-add-button" disabled={full || add.isPending || !ready}>
          {add.isPending ? "Adding…" : "Add observable"}
        </button>
      </div>
    </form>
  );
}
