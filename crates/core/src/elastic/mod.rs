//! Elasticsearch as a source of Security alerts: search the alerts of a Kibana space and set
//! their triage status, over HTTPS with an API key (read from the OS keychain by the caller).
//!
//! Every network call is async and needs a tokio runtime. Certificates are always verified
//! against the operating system's trust store; there is no switch to turn that off.

mod client;
mod errors;
mod query;

pub use client::{CONNECT_TIMEOUT, ElasticClient, REQUEST_TIMEOUT};
pub use query::{
    AlertHit, AlertQuery, AlertSearchPage, ClusterInfo, DEFAULT_PAGE_SIZE, MAX_IDS_PER_UPDATE, MAX_PAGE_SIZE,
    SEVERITIES, WORKFLOW_STATUSES, alerts_index,
};
