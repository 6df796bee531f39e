// Observable types: Kibana's eight built-in ones (crates/core/src/observables/types.rs), and the
// label to show for a type key.
import type { ObservableType } from "../../../lib/api/bindings";

export const BUILTIN_OBSERVABLE_TYPES: readonly ObservableType[] = [
  { key: "observable-type-ipv4", label: "IPv4" },
  { key: "observable-type-ipv6", label: "IPv6" },
  { key: "observable-type-url", label: "URL" },
  { key: "observable-type-hostname", label: "Hostname" },
  { key: "observable-type-file-hash", label: "File hash" },
  { key: "observable-type-file-path", label: "File path" },
  { key: "observable-type-email", label: "Email" },
  { key: "observable-type-domain", label: "Domain" },
];

export function isBuiltinType(key: string): boolean {
  return BUILTIN_OBSERVABLE_TYPES.some((t) => t.key === key);
}

/** A type key's label among `types` (then the built-ins); the key itself when unknown. */
export function typeLabeler(types: readonly ObservableType[] = []): (key: string) => string {
  const labels = new Map<string, string>();
  for (const t of [...BUILTIN_OBSERVABLE_TYPES, ...types]) labels.set(t.key, t.label);
  return (key) => labels.get(key) ?? key;
}

/** "IPv4 192.0.2.1": how an observable reads in a sentence or a chip. */
export function observableText(label: string, value: string, max = 60): string {
  const v = value.length > max ? `${value.slice(0, max - 1)}…` : value;
  return `${label} ${v}`;
}
