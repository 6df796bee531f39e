import type { Severity, SortField, Status } from "../../lib/api/bindings";

export const STATUS_LABEL: Record<Status, string> = {
  open: "Open",
  "in-progress": "In progress",
  closed: "Closed",
};

export const SEVERITY_LABEL: Record<Severity, string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Critical",
};

export const SORT_LABEL: Record<SortField, string> = {
  title: "Name",
  category: "Category",
  created_at: "Created on",
  updated_at: "Updated on",
  closed_at: "Closed on",
  status: "Status",
  severity: "Severity",
};
