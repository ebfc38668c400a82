//! The `deliver` job: one activity, signed by its local actor (draft-cavage `rsa-sha256` over
//! `(request-target) host date digest`, the form every fediverse server verifies) and POSTed
//! to one inbox.
//!
//! We send it ourselves rather than through `activitypub_federation`, which counts every 4xx
//! answer as delivered and logs it at debug level: a refusal is its own outcome here
//! (`agora_deliveries_total{outcome="refused"}` and a warning with the start of the answer),
//! distinct from a success and from a failure worth retrying. Sending twice is harmless:
//! receivers deduplicate activities by id.

use super::{Done, JobFailure, Lease, Runner, retry};
use crate::{config::FederationData, error::FederationError};
use agora_core::{metrics::METRICS, urls::authority};
use agora_db::instances;
use agora_service::jobs::{Job, JobKind};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use chrono::Duration;
use rsa::{Pkcs1v15Sign, RsaPrivateKey, pkcs8::DecodePrivateKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, Mutex},
};
use url::Url;

/// A dead server is tried again this often.
pub const DEAD_RETRY_HOURS: i64 = 24;

/// Most bytes of a refusal's answer kept for the log.
const REFUSAL_EXCERPT: usize = 500;

/// One activity for one inbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    /// The activity, with `@context`, exactly as it will be sent.
    pub activity: Value,
    /// Id of the local actor that signs it.
    pub actor: String,
    /// The inbox to POST to.
    pub inbox: String,
    /// The signer's private key (PKCS#8 PEM) when no row holds it any more: a deleted
    /// account's `Delete` goes out after its actor is gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_pem: Option<String>,
}

impl Job for Delivery {
    const KIND: JobKind = JobKind::Deliver;
    /// About four days with the default back-off.
    const MAX_ATTEMPTS: i32 = 16;

    fn target_domain(&self) -> Option<String> {
        Url::parse(&self.inbox).ok().as_ref().and_then(authority)
    }
}

/// What the receiving server did with a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// 2xx.
    Accepted,
    /// A 4xx other than 408 and 429: it will not take it, now or later (as Mastodon treats it).
    Refused {
        /// The status.
        status: u16,
        /// The start of its answer.
        excerpt: String,
    },
}

#[async_trait::async_trait]
impl Runner for Delivery {
    async fn run(self, _lease: &Lease, data: &FederationData) -> Result<Done, JobFailure> {
        let domain = self.target_domain().unwrap_or_default();
        if data.federation_policy().refuses(&domain) {
            return Err(JobFailure::Permanent(format!("{domain} is blocked")));
        }
        // A dead server is tried once a day; its other jobs wait for that try.
        let d = domain.clone();
        let record = data
            .db
            .run(move |conn| instances::get(conn, &d))
            .await
            .map_err(retry)?;
        if let Some(dead_since) = record.as_ref().and_then(|r| r.dead_since) {
            let last_try = record
                .as_ref()
                .and_then(|r| r.last_failure_at)
                .unwrap_or(dead_since);
            let next = last_try + Duration::hours(DEAD_RETRY_HOURS);
            if next > agora_db::now() {
                return Err(JobFailure::Retry {
                    reason: format!("{domain} is dead"),
                    at: Some(next),
                });
            }
        }
        match send(&self, data).await {
            Ok(sent) => {
                match &sent {
                    Sent::Accepted => METRICS.deliveries.with_label_values(&["sent"]).inc(),
                    Sent::Refused { status, excerpt } => {
                        METRICS.deliveries.with_label_values(&["refused"]).inc();
                        let activity = self.activity.get("id").and_then(Value::as_str);
                        tracing::warn!(
                            inbox = %self.inbox,
                            activity = activity.unwrap_or_default(),
                            status,
                            answer = %excerpt,
                            "delivery refused by the receiving server"
                        );
                    }
                }
                // The server answered: it is alive, whatever it thought of the activity.
                if record.is_some_and(|r| r.failure_count > 0) {
                    data.db
                        .run(move |conn| instances::record_success(conn, &domain))
                        .await
                        .map_err(retry)?;
                }
                Ok(Done::Finished)
            }
            Err(e) => {
                METRICS.deliveries.with_label_values(&["failed"]).inc();
                let dead_after = data.config.federation.dead_after_failures;
                let dead_after_duration = Duration::hours(data.config.federation.dead_after_hours);
                let dead = data
                    .db
                    .run(move |conn| {
                        instances::record_failure(conn, &domain, dead_after, dead_after_duration)
                    })
                    .await
                    .map_err(retry)?;
                let at = dead.then(|| agora_db::now() + Duration::hours(DEAD_RETRY_HOURS));
                Err(JobFailure::Retry {
                    reason: e.to_string(),
                    at,
                })
            }
        }
    }
}

/// Signs and POSTs one delivery. `Err` when it should be retried: no answer, a 5xx, 408, 429.
pub async fn send(delivery: &Delivery, data: &FederationData) -> Result<Sent, FederationError> {
    let key = match &delivery.key_pem {
        Some(pem) => Arc::new(parse_key(&delivery.actor, pem)?),
        None => signing_key(&delivery.actor, data).await?,
    };
    let inbox = Url::parse(&delivery.inbox)?;
    let body = serde_json::to_vec(&delivery.activity)?;
    let bytes = body.len() as u64;
    let headers = signed_headers(&inbox, &body, &delivery.actor, &key)?;
    let mut request = crate::http::client()?.post(inbox.as_str()).body(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let mut response = request
        .send()
        .await
        .map_err(|e| FederationError::Other(format!("POST {inbox}: {e}")))?;
    let status = response.status();
    if status.is_success() {
        // What the node moves, for /about/energy: the body it just serialised and sent.
        agora_core::energy::METER.delivery(bytes);
        return Ok(Sent::Accepted);
    }
    let mut excerpt = Vec::new();
    while excerpt.len() < REFUSAL_EXCERPT {
        match response.chunk().await {
            Ok(Some(chunk)) => excerpt.extend_from_slice(&chunk),
            _ => break,
        }
    }
    excerpt.truncate(REFUSAL_EXCERPT);
    let excerpt = String::from_utf8_lossy(&excerpt).into_owned();
    let code = status.as_u16();
    if status.is_client_error() && code != 408 && code != 429 {
        agora_core::energy::METER.delivery(bytes);
        Ok(Sent::Refused {
            status: code,
            excerpt,
        })
    } else {
        Err(FederationError::Other(format!(
            "{inbox} answered {code}: {excerpt}"
        )))
    }
}

/// The headers of a POST signed as Mastodon signs: `Host`, `Date`, `Digest` and `Signature`
/// over `(request-target) host date digest`.
pub fn signed_headers(
    inbox: &Url,
    body: &[u8],
    actor: &str,
    key: &RsaPrivateKey,
) -> Result<Vec<(&'static str, String)>, FederationError> {
    let host = authority(inbox)
        .ok_or_else(|| FederationError::Other(format!("inbox {inbox} has no host")))?;
    let date = chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let digest = format!("SHA-256={}", B64.encode(Sha256::digest(body)));
    let target = match inbox.query() {
        Some(q) => format!("{}?{q}", inbox.path()),
        None => inbox.path().to_string(),
    };
    let signing_string =
        format!("(request-target): post {target}\nhost: {host}\ndate: {date}\ndigest: {digest}");
    let signature = key
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signing_string.as_bytes()),
        )
        .map_err(|e| FederationError::Other(format!("signing: {e}")))?;
    Ok(vec![
        ("content-type", crate::protocol::CONTENT_TYPE.to_string()),
        ("host", host),
        ("date", date),
        ("digest", digest),
        (
            "signature",
            format!(
                r#"keyId="{actor}#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="{}""#,
                B64.encode(signature)
            ),
        ),
    ])
}

/// Parsed private keys of local actors: parsing a PEM costs more than signing with it.
static KEYS: LazyLock<Mutex<HashMap<String, Arc<RsaPrivateKey>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Most keys kept parsed; past it the cache starts over.
const MAX_KEYS: usize = 1024;

async fn signing_key(
    actor: &str,
    data: &FederationData,
) -> Result<Arc<RsaPrivateKey>, FederationError> {
    if let Some(key) = KEYS.lock().ok().and_then(|k| k.get(actor).cloned()) {
        return Ok(key);
    }
    let id = actor.to_string();
    let pem = data
        .db
        .run(move |conn| agora_db::actors::by_ap_id(conn, &id))
        .await?
        .filter(|a| a.local)
        .and_then(|a| a.private_key_pem)
        .ok_or_else(|| FederationError::Other(format!("signer {actor} is not a local actor")))?;
    let key = Arc::new(parse_key(actor, &pem)?);
    if let Ok(mut keys) = KEYS.lock() {
        if keys.len() >= MAX_KEYS {
            keys.clear();
        }
        keys.insert(actor.to_string(), key.clone());
    }
    Ok(key)
}

fn parse_key(actor: &str, pem: &str) -> Result<RsaPrivateKey, FederationError> {
    RsaPrivateKey::from_pkcs8_pem(pem)
        .map_err(|e| FederationError::Other(format!("key of {actor}: {e}")))
}
