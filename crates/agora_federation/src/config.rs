//! The `activitypub_federation` configuration of a node.

use crate::error::FederationError;
use activitypub_federation::config::{Data, FederationConfig, UrlVerifier};
use agora_service::Context;
use std::time::Duration;
use url::Url;

/// Request data handed to every federation function: our [`Context`] inside the library's
/// `Data`, which also carries its HTTP client and request counter.
pub type FederationData = Data<Context>;

/// Refuses URLs on blocked domains before any request is made to them.
#[derive(Clone)]
struct BlocklistVerifier {
    ctx: Context,
}

#[async_trait::async_trait]
impl UrlVerifier for BlocklistVerifier {
    async fn verify(&self, url: &Url) -> Result<(), activitypub_federation::error::Error> {
        let domain = agora_core::urls::authority(url).unwrap_or_default();
        if self.ctx.federation_policy().refuses(&domain) {
            return Err(activitypub_federation::error::Error::UrlVerificationError(
                "domain is blocked",
            ));
        }
        Ok(())
    }
}

/// Builds the library configuration from ours. With `federation.allow_private_addresses` the
/// library runs in its debug mode: http, loopback addresses and explicit ports are allowed
/// (tests, closed networks); without it, it refuses them.
pub async fn build_federation_config(
    ctx: Context,
) -> Result<FederationConfig<Context>, FederationError> {
    let config = ctx.config.clone();
    let client = crate::http::init(&config)?;
    let instance = agora_service::accounts::instance_actor(&ctx).await?;
    let signer = crate::objects::actor::DbActor::new(instance)?;
    FederationConfig::builder()
        .domain(config.instance.domain.clone())
        .app_data(ctx.clone())
        .debug(config.federation.allow_private_addresses)
        .allow_http_urls(
            config.federation.allow_private_addresses || config.instance.scheme == "http",
        )
        .request_timeout(Duration::from_secs(config.federation.request_timeout_secs))
        .client(client.into())
        .http_fetch_limit(50)
        // Sign as Mastodon does: (request-target) host date digest, no (created)/(expires).
        .http_signature_compat(true)
        .url_verifier(Box::new(BlocklistVerifier { ctx }))
        .signed_fetch_actor(&signer)
        .build()
        .await
        .map_err(|e| FederationError::Other(format!("federation config: {e}")))
}
