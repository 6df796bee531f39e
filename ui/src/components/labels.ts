import type { Severity, SortField, Status } from "../lib/api/bindings";

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

/** The list's columns, in table order (custom fields follow as "cf:<key>"). */
export const COLUMN_LABEL = {
  title: "Name",
  assignees: "Assignees",
  tags: "Tags",
  total_alerts: "Alerts",
  total_comment: "Comments",
  category: "Category",
  created_at: "Created on",
  updated_at: "Updated on",
  closed_at: "Closed on",
  external_service: "External incident",
  status: "Status",
  severity: "Severity",
} as const;

export type BaseColumnId = keyof typeof COLUMN_LABEL;
