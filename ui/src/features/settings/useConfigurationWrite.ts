import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { CaseConfiguration, ConfigurationPatch } from "../../lib/api/bindings";
import { ApiError, getConfiguration, updateConfiguration } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";

/**
 * A change to the settings, computed from the settings it applies to. Being a function (not a
 * ready patch) lets the same change be applied again after a reload when a conflict occurs.
 */
export type ConfigEdit = (current: CaseConfiguration) => Omit<ConfigurationPatch, "version">;

type Write = { edit: ConfigEdit; success: string; onDone?: (saved: CaseConfiguration) => void };

/**
 * Writes a space's settings with optimistic concurrency: the version sent is the one shown, so a
 * change made elsewhere meanwhile (another window, the CLI) comes back as a `conflict` instead
 * of being overwritten. The caller keeps its form open on error, so nothing typed is lost.
 */
export function useConfigurationWrite(space: string) {
  const queryClient = useQueryClient();
  const key = queryKeys.configuration(space);
  const mutation = useMutation({
    mutationFn: async ({ edit }: Write) => {
      const current = queryClient.getQueryData<CaseConfiguration>(key) ?? (await getConfiguration(space));
      return updateConfiguration(space, { ...edit(current), version: current.version });
    },
    onSuccess: (saved, { onDone }) => {
      queryClient.setQueryData(key, saved);
      onDone?.(saved);
    },
  });
  const error = mutation.error ? ApiError.from(mutation.error) : null;

  const reload = async () => {
    await queryClient.refetchQueries({ queryKey: key });
  };

  return {
    save: (edit: ConfigEdit, success: string, onDone?: (saved: CaseConfiguration) => void) =>
      mutation.mutate({ edit, success, onDone }),
    pending: mutation.isPending,
    error,
    conflict: error?.code === "conflict",
    /** The success message of the last write, until the next one starts. */
    success: mutation.isSuccess ? mutation.variables.success : null,
    /** Conflict: fetch the current settings and apply the same change to them. */
    reloadAndRetry: async () => {
      const last = mutation.variables;
      await reload();
      if (last) mutation.mutate(last);
    },
    /** Conflict: fetch the current settings and drop the change. */
    reloadAndDiscard: async () => {
      await reload();
      mutation.reset();
    },
    reset: mutation.reset,
  };
}

export type ConfigurationWriter = ReturnType<typeof useConfigurationWrite>;
