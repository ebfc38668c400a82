//! Our outgoing HTTP: the one client every request goes through (fetches, WebFinger,
//! NodeInfo, deliveries), and bounded reads of what other servers answer.
//!
//! The library's own client refuses names that resolve to loopback or private addresses in
//! release builds whatever the setting (its check is skipped only under `debug_assertions`),
//! so a closed network of schools on private addresses could not federate. Ours resolves
//! through the same checking resolver, switched by `federation.allow_private_addresses`, in
//! every build. It follows no redirect: the library follows one itself, checking its target.

use crate::error::FederationError;
use activitypub_federation::resolver::ValidatingDnsResolver;
use serde_json::Value;
use std::{sync::OnceLock, time::Duration};
use url::Url;

/// The process's client, made once by [`init`] (one node per process).
static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();

/// Makes the client from the configuration, once; later calls return the same one.
pub fn init(config: &agora_core::config::Config) -> Result<reqwest::Client, FederationError> {
    if let Some(client) = CLIENT.get() {
        return Ok(client.clone());
    }
    let timeout = Duration::from_secs(config.federation.request_timeout_secs);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("Agora/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(ValidatingDnsResolver::new(
            Vec::new(),
            !config.federation.allow_private_addresses,
        ))
        .build()
        .map_err(|e| FederationError::Other(format!("HTTP client: {e}")))?;
    Ok(CLIENT.get_or_init(|| client).clone())
}

/// The client, once [`init`] made it.
pub fn client() -> Result<&'static reqwest::Client, FederationError> {
    CLIENT
        .get()
        .ok_or_else(|| FederationError::Other("no HTTP client before the federation config".into()))
}

/// GETs a JSON document of at most `max_bytes`; any other answer is an error that says what.
pub async fn get_json(url: &Url, accept: &str, max_bytes: usize) -> Result<Value, FederationError> {
    Ok(serde_json::from_slice(
        &get_bytes(url, accept, max_bytes).await?,
    )?)
}

/// GETs a document of at most `max_bytes` through our client (a checkpoint, say).
pub async fn get_bytes(
    url: &Url,
    accept: &str,
    max_bytes: usize,
) -> Result<Vec<u8>, FederationError> {
    let mut response = client()?
        .get(url.as_str())
        .header("accept", accept)
        .send()
        .await
        .map_err(|e| FederationError::Other(format!("GET {url}: {e}")))?;
    if !response.status().is_success() {
        return Err(FederationError::Other(format!(
            "GET {url}: {}",
            response.status()
        )));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| FederationError::Other(format!("GET {url}: {e}")))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > max_bytes {
            return Err(FederationError::Other(format!(
                "GET {url}: over {max_bytes} bytes"
            )));
        }
    }
    Ok(body)
}

/// POSTs a JSON document through our client; gives the status.
pub async fn post_json(url: &Url, body: &Value) -> Result<u16, FederationError> {
    let response = client()?
        .post(url.as_str())
        .json(body)
        .send()
        .await
        .map_err(|e| FederationError::Other(format!("POST {url}: {e}")))?;
    Ok(response.status().as_u16())
}
