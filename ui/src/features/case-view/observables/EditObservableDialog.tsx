import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Observable, ObservableInput, ObservableType } from "../../../lib/api/bindings";
import { updateObservable } from "../../../lib/api/client";
import { queryKeys } from "../../../lib/queryKeys";
import { Dialog } from "../../../components/Dialog";
import { FormDialogFooter } from "../../../components/FormDialogFooter";
import { ObservableFields } from "./ObservableFields";
import { errorsFromCore, formOf, toInput, type ObservableErrors, type ObservableForm } from "./observableForm";

type Props = {
  space: string;
  caseId: string;
  observable: Observable;
  types: readonly ObservableType[];
  onClose: () => void;
};

/** Changes an observable's type, value or description, with the same checks as adding one. */
export function EditObservableDialog({ space, caseId, observable, types, onClose }: Props) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<ObservableForm>(() => formOf(observable));
  const [errors, setErrors] = useState<ObservableErrors>({});
  const label = types.find((t) => t.key === form.typeKey)?.label ?? form.typeKey;
  const save = useMutation({
    mutationFn: (input: ObservableInput) => updateObservable(caseId, observable.id, input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
      onClose();
    },
    onError: (err) => setErrors(errorsFromCore(err, label)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    if (!save.isPending) save.mutate(toInput(form));
  };
  return (
    <Dialog
      title="Edit observable"
      onClose={onClose}
      className="dialog-small"
      initialFocusId="obs-edit-value"
      footer={<FormDialogFooter form="obs-edit-form" submitLabel="Save" pendingLabel="Saving…" pending={save.isPending} onCancel={onClose} />}
    >
      <form id="obs-edit-form" className="form" onSubmit={submit} noValidate>
        {errors.form && (
          <p className="form-error" role="alert">
            The observable was not saved: {errors.form}
          </p>
        )}
        <ObservableFields
          idPrefix="obs-edit"
          types={types}
          form={form}
          errors={errors}
          onChange={(patch) => {
            setForm((f) => ({ ...f, ...patch }));
            if (Object.keys(errors).length > 0) setErrors({});
          }}
        />
      </form>
    </Dialog>
  );
}
