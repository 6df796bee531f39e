//! Webhook – Case Management (Kibana's `.cases-webhook`, connectors.md §7): a connector the user
//! describes with a Mustache template per call (URL, JSON body, headers). This part is the
//! network-free core: `template` fills templates in from `vars`, `response_path` reads the
//! incident's id and title out of the system's answers. `settings` holds what the user
//! configures, `client` sends the requests (signed in by `oauth` or a certificate from `tls`).

mod client;
mod names;
mod oauth;
pub(crate) mod response_path;
pub(crate) mod settings;
pub(crate) mod template;
mod tls;
pub(crate) mod vars;

use crate::connectors::fields::ChoiceField;
use crate::connectors::system::Spec;

pub(crate) const SPEC: Spec = Spec {
    name: "cases-webhook",
    kibana_type: ".cases-webhook",
    label: "Webhook – Case Management",
    secret_label: "password, token or client secret",
    choice_fields: NO_FIELDS,
    switches: &[],
    json_fields: &[],
    static_choices: None,
    // Only if the user's templates send it; Kibana does not close the incident either.
    sends_status: false,
};

const NO_FIELDS: &[ChoiceField] = &[];
