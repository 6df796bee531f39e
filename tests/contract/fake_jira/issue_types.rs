//! The issue types the fake Jira's project offers: a software project's, or a Jira Service
//! Management project's (its request types are issues of these).

pub(super) struct IssueType {
    pub(super) id: &'static str,
    pub(super) name: &'static str,
    pub(super) subtask: bool,
    pub(super) description: &'static str,
}

pub(super) static ISSUE_TYPES: [IssueType; 3] = [
    IssueType { id: "10001", name: "Task", subtask: false, description: "A small, distinct piece of work." },
    IssueType { id: "10002", name: "Bug", subtask: false, description: "A problem or error." },
    IssueType {
        id: "10003",
        name: "Sub-task",
        subtask: true,
        description: "A small piece of work that's part of a larger task.",
    },
];

/// A Jira Service Management project's issue types: its request types are issues of these.
pub(super) static SERVICE_DESK_TYPES: [IssueType; 3] = [
    IssueType {
        id: "10101",
        name: "[System] Incident",
        subtask: false,
        description: "For system outages or incidents.",
    },
    IssueType {
        id: "10102",
        name: "[System] Service request",
        subtask: false,
        description: "Created by Jira Service Management.",
    },
    IssueType { id: "10103", name: "[System] Change", subtask: false, description: "For change requests." },
];
