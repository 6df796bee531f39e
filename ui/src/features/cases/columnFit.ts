// Which shown columns fit the table's width: below it, columns the user did not ask for
// drop in a fixed order (the least looked-at first) so the table never scrolls sideways.
// Name, Status and Severity always stay.
import { CUSTOM_FIELD_PREFIX, type ColumnPrefs } from "./columnPrefs";

/** Each column's width in px, padding included; cases.css gives the cells the same widths. */
export const COLUMN_WIDTH: Record<string, number> = {
  select: 30,
  assignees: 88,
  tags: 120,
  total_alerts: 56,
  total_comment: 86,
  category: 88,
  created_at: 106,
  updated_at: 106,
  closed_at: 106,
  external_service: 96,
  status: 100,
  severity: 88,
  actions: 36,
};
/** A custom field column (cases.css: .col-custom). */
export const CUSTOM_COLUMN_WIDTH = 120;
/**
 * Below this the names are cut too short to tell cases apart. Low enough that every default
 * column fits a 1280 px window that also shows a vertical scrollbar (about 1215 px of table).
 */
export const NAME_MIN_WIDTH = 200;

/** First dropped first. */
export const DROP_ORDER: readonly string[] = [
  "category",
  "total_comment",
  "updated_at",
  "external_service",
  "total_alerts",
  "assignees",
  "tags",
  "created_at",
  "closed_at",
];

function widthOf(id: string): number {
  if (id.startsWith(CUSTOM_FIELD_PREFIX)) return CUSTOM_COLUMN_WIDTH;
  return COLUMN_WIDTH[id] ?? 0;
}

/**
 * The shown columns (ids, Name excluded) to hide so the rest fit `width` px beside Name.
 * A column the user switched on stays (they asked for it; the table scrolls instead).
 */
export function columnsToDrop(shown: readonly string[], prefs: ColumnPrefs, width: number): string[] {
  let total = NAME_MIN_WIDTH + shown.reduce((sum, id) => sum + widthOf(id), 0);
  const dropped: string[] = [];
  for (const id of DROP_ORDER) {
    if (total <= width) break;
    if (!shown.includes(id) || prefs[id] === true) continue;
    dropped.push(id);
    total -= widthOf(id);
  }
  return dropped;
}
