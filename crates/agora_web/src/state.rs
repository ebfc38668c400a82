//! What handlers share: the service context and the federation configuration.

use activitypub_federation::config::FederationConfig;
use agora_federation::FederationData;
use agora_service::Context;

/// Shared state of the HTTP server.
#[derive(Clone)]
pub struct WebState {
    /// Database and configuration.
    pub ctx: Context,
    /// The ActivityPub library's configuration (HTTP client, signing).
    pub federation: FederationConfig<Context>,
}

impl WebState {
    /// Request data for federation calls (fresh request counter).
    pub fn data(&self) -> FederationData {
        self.federation.to_request_data()
    }
}
