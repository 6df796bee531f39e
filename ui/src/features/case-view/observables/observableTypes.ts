// Observable types: Kibana's eight built-in ones (declared in crates/core/src/observables/types.rs,
// through the bindings), and the label to show for a type key.
import { BUILTIN_OBSERVABLE_TYPES, type ObservableType } from "../../../lib/api/bindings";

export { BUILTIN_OBSERVABLE_TYPES };

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
