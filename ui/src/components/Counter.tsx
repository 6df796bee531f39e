import { formatCount } from "../lib/format";

type Props = {
  n: number;
  max: number;
  /** Tell screen readers when it goes over the limit. */
  announce?: boolean;
};

/** "12/160" next to a field's label; red once over `max`. */
export function Counter({ n, max, announce = true }: Props) {
  const over = n > max;
  return (
    <span className={`counter ${over ? "over" : ""}`.trim()} aria-live={announce ? (over ? "polite" : "off") : undefined}>
      {formatCount(n)}/{formatCount(max)}
    </span>
  );
}
