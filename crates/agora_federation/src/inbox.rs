//! The inbox: every check an incoming activity passes before anything is stored, cheapest
//! first, then dispatch to the handler of its type.
//!
//! A refusal stores nothing, answers a clear status and is logged and counted by reason.

use crate::{
    activities,
    config::FederationData,
    error::FederationError,
    objects::actor::DbActor,
    protocol::activities::{ACCEPTED_TYPES, Incoming},
    signatures::{self, PendingSignature, RequestParts},
};
use activitypub_federation::fetch::object_id::ObjectId;
use agora_core::{metrics::METRICS, urls::authority};
use agora_db::activities as seen;

/// What happened to an accepted request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Processed now.
    Processed,
    /// Already processed earlier (same activity id).
    Duplicate,
    /// Valid but of a type we do not act on.
    Ignored,
}

/// Checks, verifies and processes one inbox POST.
pub async fn receive(
    req: &RequestParts,
    body: &[u8],
    data: &FederationData,
) -> Result<Outcome, FederationError> {
    let result = receive_inner(req, body, data).await;
    match &result {
        Ok(outcome) => tracing::debug!(?outcome, "inbox accepted"),
        Err(FederationError::Refused {
            status,
            reason,
            message,
        }) => {
            METRICS.inbox_refused.with_label_values(&[reason]).inc();
            tracing::info!(status, reason, %message, "inbox refused");
        }
        Err(other) => {
            let reason = match other.status() {
                400..=499 => "rejected_by_handler",
                _ => "error",
            };
            METRICS.inbox_refused.with_label_values(&[reason]).inc();
            tracing::warn!(error = %other, "inbox activity failed");
        }
    }
    result
}

async fn receive_inner(
    req: &RequestParts,
    body: &[u8],
    data: &FederationData,
) -> Result<Outcome, FederationError> {
    let config = &data.config;
    if body.len() > config.http.max_body_bytes {
        return Err(FederationError::refused(
            413,
            "too_large",
            format!("body over {} bytes", config.http.max_body_bytes),
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        FederationError::refused(400, "malformed_json", format!("body is not JSON: {e}"))
    })?;
    let activity = Incoming::parse(value).map_err(|e| {
        FederationError::refused(400, "malformed_activity", format!("not an activity: {e}"))
    })?;
    let actor_id = activity.actor_id().ok_or_else(|| {
        FederationError::refused(400, "malformed_activity", "activity has no actor id")
    })?;
    let actor_domain = authority(&actor_id).ok_or_else(|| {
        FederationError::refused(400, "malformed_activity", "actor id has no host")
    })?;
    if config.is_domain_blocked(&actor_domain) {
        return Err(FederationError::refused(
            403,
            "blocked_domain",
            format!("{actor_domain} is blocked here"),
        ));
    }
    if data.urls.is_local(actor_id.as_str()) {
        return Err(FederationError::refused(
            403,
            "local_actor",
            "activities of local actors are not accepted from outside",
        ));
    }
    if authority(&activity.id).as_deref() != Some(actor_domain.as_str()) {
        return Err(FederationError::refused(
            403,
            "id_host_mismatch",
            "activity id and actor are on different hosts",
        ));
    }

    // Signature: shape, coverage, freshness and digest before any network fetch.
    let now = chrono::Utc::now().timestamp();
    let pending = PendingSignature::check(
        req,
        body,
        &config.instance.scheme,
        now,
        config.federation.max_date_skew_secs,
    )?;
    let owner = signatures::key_owner(pending.key_id())?;
    if owner != actor_id {
        return Err(FederationError::refused(
            401,
            "key_owner_mismatch",
            "the signing key does not belong to the activity's actor",
        ));
    }
    let actor = fetch_actor(&actor_id, data).await?;
    let actor = if pending.verify(&actor.row.public_key_pem) {
        actor
    } else {
        // The key may have been rotated since we cached the actor: fetch it once more.
        let fresh = ObjectId::<DbActor>::from(actor_id.clone())
            .dereference_forced(data)
            .await
            .map_err(|e| {
                FederationError::refused(
                    401,
                    "signature_invalid",
                    format!("signature does not verify ({e})"),
                )
            })?;
        if !pending.verify(&fresh.row.public_key_pem) {
            return Err(FederationError::refused(
                401,
                "signature_invalid",
                "signature does not verify with the actor's key",
            ));
        }
        fresh
    };

    if !ACCEPTED_TYPES.contains(&activity.kind.as_str()) {
        METRICS.inbox_accepted.with_label_values(&["ignored"]).inc();
        return Ok(Outcome::Ignored);
    }
    let activity_id = activity.id.to_string();
    let id = activity_id.clone();
    if data.db.run(move |conn| seen::seen(conn, &id)).await? {
        return Ok(Outcome::Duplicate);
    }
    if matches!(activity.kind.as_str(), "Create" | "Update" | "Delete") {
        let object_id = activity.object_id().ok_or_else(|| {
            FederationError::refused(400, "malformed_activity", "activity has no object id")
        })?;
        if authority(&object_id).as_deref() != Some(actor_domain.as_str()) {
            return Err(FederationError::refused(
                403,
                "object_host_mismatch",
                "object and actor are on different hosts",
            ));
        }
    }
    activities::dispatch(activity.clone(), actor, data).await?;
    data.db
        .run(move |conn| seen::record(conn, &activity_id))
        .await?;
    METRICS
        .inbox_accepted
        .with_label_values(&[activity.kind.as_str()])
        .inc();
    Ok(Outcome::Processed)
}

async fn fetch_actor(
    actor_id: &url::Url,
    data: &FederationData,
) -> Result<DbActor, FederationError> {
    ObjectId::<DbActor>::from(actor_id.clone())
        .dereference(data)
        .await
        .map_err(|e| match e {
            // Our own failure (database): the sender should retry, so not a 4xx.
            FederationError::Db(_) | FederationError::Other(_) => e,
            e => FederationError::refused(
                401,
                "actor_unavailable",
                format!("cannot fetch the actor to verify its signature: {e}"),
            ),
        })
}
