//! The `activitypub_federation` configuration of a node.

use crate::error::FederationError;
use activitypub_federation::{
    config::{Data, FederationConfig, UrlVerifier},
    resolver::ValidatingDnsResolver,
};
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
        if self.ctx.config.is_domain_blocked(&domain) {
            return Err(activitypub_federation::error::Error::UrlVerificationError(
                "domain is blocked",
            ));
        }
        Ok(())
    }
}

/// The client of every outgoing request (fetches, WebFinger, deliveries), made once per
/// process by [`build_federation_config`]. The library's own refuses names that resolve to
/// loopback or private addresses in release builds whatever the setting (its check is skipped
/// only under `debug_assertions`), so a closed network of schools on private addresses could
/// not federate. Ours resolves through the same checking resolver, switched by
/// `federation.allow_private_addresses`, in every build. Redirects are not followed by the
/// client: the library follows one itself, checking its target.
static HTTP_CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();

/// The process's HTTP client (see [`HTTP_CLIENT`]), once [`build_federation_config`] made it.
pub fn http_client() -> Result<&'static reqwest::Client, FederationError> {
    HTTP_CLIENT
        .get()
        .ok_or_else(|| FederationError::Other("no HTTP client before the federation config".into()))
}

fn new_http_client(config: &agora_core::config::Config) -> Result<reqwest::Client, reqwest::Error> {
    let timeout = Duration::from_secs(config.federation.request_timeout_secs);
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("Agora/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(ValidatingDnsResolver::new(
            Vec::new(),
            !config.federation.allow_private_addresses,
        ))
        .build()
}

/// Builds the library configuration from ours. With `federation.allow_private_addresses` the
/// library runs in its debug mode: http, loopback addresses and explicit ports are allowed
/// (tests, closed networks); without it, it refuses them.
pub async fn build_federation_config(
    ctx: Context,
) -> Result<FederationConfig<Context>, FederationError> {
    let config = ctx.config.clone();
    let client = match HTTP_CLIENT.get() {
        Some(client) => client.clone(),
        None => {
            let client = new_http_client(&config)
                .map_err(|e| FederationError::Other(format!("HTTP client: {e}")))?;
            HTTP_CLIENT.get_or_init(|| client).clone()
        }
    };
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
