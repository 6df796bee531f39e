import { describe, expect, it } from "vitest";
import { COLUMN_WIDTH, NAME_MIN_WIDTH, columnsToDrop } from "./columnFit";

const DEFAULT = ["select", "assignees", "tags", "total_alerts", "total_comment", "category", "created_at", "updated_at", "external_service", "status", "severity", "actions"];
const need = (ids: string[]) => NAME_MIN_WIDTH + ids.reduce((s, id) => s + COLUMN_WIDTH[id], 0);

describe("columnsToDrop", () => {
  it("keeps every default column in a 1280 px window (1230 px of table), scrollbar or not", () => {
    expect(columnsToDrop(DEFAULT, {}, 1230)).toEqual([]);
    expect(columnsToDrop(DEFAULT, {}, 1215)).toEqual([]);
  });

  it("at 1024 px drops the least looked-at first, never Status or Severity", () => {
    const dropped = columnsToDrop(DEFAULT, {}, 959);
    expect(dropped).toEqual(["category", "total_comment", "updated_at"]);
    expect(need(DEFAULT.filter((id) => !dropped.includes(id)))).toBeLessThanOrEqual(974);
    const narrow = columnsToDrop(DEFAULT, {}, 300);
    expect(narrow).not.toContain("status");
    expect(narrow).not.toContain("severity");
  });

  it("keeps a column the user switched on, and ignores hidden ones", () => {
    expect(columnsToDrop(DEFAULT, { category: true }, 974)).toEqual(["total_comment", "updated_at", "external_service"]);
    expect(columnsToDrop(DEFAULT.filter((id) => id !== "category"), {}, 974)).toEqual(["total_comment", "updated_at"]);
  });
});
