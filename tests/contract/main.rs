//! Contract tests: Casebook's clients against fake services that speak the real wire contracts
//! (status codes, headers and bodies as the real service sends them). No network is needed.

mod alert_source;
mod elasticsearch;
mod fake_elasticsearch;
mod fake_jira;
mod fake_resilient;
mod fake_servicenow;
mod fake_support;
mod fake_swimlane;
mod fake_thehive;
mod fake_webhook;
mod fakes_selftest;
mod push_additional_fields;
mod push_echo;
mod push_jira;
mod push_jira_retries;
mod push_resilient;
mod push_servicenow;
mod push_swimlane;
mod push_thehive;
mod push_webhook;
mod server;
mod tls;
