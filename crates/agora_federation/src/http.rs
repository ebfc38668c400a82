//! Our outgoing HTTP: the one client every request goes through (fetches, WebFinger,
//! NodeInfo, deliveries), and bounded reads of what other servers answer.
//!
//! The library's own client refuses names that resolve to loopback or private addresses in
//! release builds whatever the setting (its check is skipped only under `debug_assertions`),
//! so a closed network of schools on private addresses could not federate. Ours resolves
//! through the same checking resolver, switched by `federation.allow_private_addresses`, in
//! every build. It follows no redirect: the library follows one itself, checking its target.

use crate::error::{FederationError, Reason};
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
    get_json_following(url, accept, max_bytes, |_| false).await
}

/// [`get_json`], following one redirect to an address `may_follow` allows (a WebFinger on a
/// server's short domain sends readers to the one that serves it).
pub async fn get_json_following(
    url: &Url,
    accept: &str,
    max_bytes: usize,
    may_follow: impl Fn(&Url) -> bool,
) -> Result<Value, FederationError> {
    Ok(serde_json::from_slice(
        &get_bytes_following(url, accept, max_bytes, may_follow).await?,
    )?)
}

/// GETs a document of at most `max_bytes` through our client (a checkpoint, say). An address
/// its server does not have (404, 410) is `NotFound`; one this node may not ask (a private
/// address) `AddressNotAllowed`; any other failure, a redirect included, `RemoteUnavailable`.
pub async fn get_bytes(
    url: &Url,
    accept: &str,
    max_bytes: usize,
) -> Result<Vec<u8>, FederationError> {
    get_bytes_following(url, accept, max_bytes, |_| false).await
}

/// [`get_bytes`], following one redirect to an address `may_follow` allows.
pub async fn get_bytes_following(
    url: &Url,
    accept: &str,
    max_bytes: usize,
    may_follow: impl Fn(&Url) -> bool,
) -> Result<Vec<u8>, FederationError> {
    let unavailable = |e: String| FederationError::refused(Reason::RemoteUnavailable, e);
    let get = |target: Url| async move {
        let answer = client()?
            .get(target.as_str())
            .header("accept", accept)
            .send()
            .await
            .map_err(|e| not_sent(&target, &e))?;
        Ok::<_, FederationError>((target, answer))
    };
    let (mut target, mut response) = get(url.clone()).await?;
    if let Some(next) = redirect_of(&target, &response).filter(|next| may_follow(next)) {
        (target, response) = get(next).await?;
    }
    let status = response.status();
    if !status.is_success() {
        let reason = match status.as_u16() {
            404 | 410 => Reason::NotFound,
            _ => Reason::RemoteUnavailable,
        };
        return Err(FederationError::refused(
            reason,
            format!("GET {target}: {status}"),
        ));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| unavailable(format!("GET {target}: {e}")))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > max_bytes {
            return Err(unavailable(format!("GET {target}: over {max_bytes} bytes")));
        }
    }
    Ok(body)
}

/// Why a request could not be made: our resolver's refusal of a private address is told as
/// such (it travels inside the client's error), anything else as the server unavailable.
fn not_sent(target: &Url, e: &reqwest::Error) -> FederationError {
    use activitypub_federation::error::Error as Lib;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(inner) = cause {
        if let Some(
            lib @ (Lib::ResolveInternalIpError(..)
            | Lib::DomainResolveError(_)
            | Lib::UrlVerificationError(_)),
        ) = inner.downcast_ref::<Lib>()
        {
            return FederationError::refused(
                Reason::AddressNotAllowed,
                format!("GET {target}: {lib}"),
            );
        }
        cause = inner.source();
    }
    FederationError::refused(Reason::RemoteUnavailable, format!("GET {target}: {e}"))
}

/// Where a redirect sends a GET, if it is one to a web address.
fn redirect_of(from: &Url, response: &reqwest::Response) -> Option<Url> {
    if !response.status().is_redirection() {
        return None;
    }
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)?
        .to_str()
        .ok()?;
    from.join(location)
        .ok()
        .filter(|to| matches!(to.scheme(), "http" | "https"))
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
