//! What handlers share: the service context and the federation configuration.

use activitypub_federation::config::FederationConfig;
use agora_core::client_addr::TrustedProxies;
use agora_federation::FederationData;
use agora_service::Context;
use std::sync::Arc;

/// Shared state of the HTTP server.
#[derive(Clone)]
pub struct WebState {
    /// Database and configuration.
    pub ctx: Context,
    /// The ActivityPub library's configuration (HTTP client, signing).
    pub federation: FederationConfig<Context>,
    /// Reverse proxies whose forwarding headers name the client (`http.trusted_proxies`).
    pub proxies: Arc<TrustedProxies>,
}

impl WebState {
    /// The shared state of a node's HTTP server.
    pub fn new(ctx: Context, federation: FederationConfig<Context>) -> WebState {
        // The configuration was validated when it was loaded.
        let proxies = TrustedProxies::parse(&ctx.config.http.trusted_proxies).unwrap_or_default();
        WebState {
            ctx,
            federation,
            proxies: Arc::new(proxies),
        }
    }

    /// Request data for federation calls (fresh request counter).
    pub fn data(&self) -> FederationData {
        self.federation.to_request_data()
    }
}
