//! The inbox: every check an incoming activity passes before anything is stored, cheapest
//! first, then dispatch to the handler of its type.
//!
//! A refusal stores nothing, answers a clear status and is logged and counted by reason.

use crate::{
    activities,
    config::FederationData,
    error::{FederationError, Reason},
    objects::actor::DbActor,
    protocol::activities::{Activity, ActivityKind},
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

/// A key that failed to verify is fetched again (in case it was rotated) only when our copy
/// of the actor is older than this: each badly signed POST would otherwise make us fetch from
/// the server it names, a load anyone could reflect onto any server.
const REFETCH_AFTER: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// Checks, verifies and processes one inbox POST.
pub async fn receive(
    req: &RequestParts,
    body: &[u8],
    data: &FederationData,
) -> Result<Outcome, FederationError> {
    let result = receive_inner(req, body, data).await;
    match &result {
        Ok(outcome) => tracing::debug!(?outcome, "inbox accepted"),
        Err(FederationError::Refused { reason, detail }) => {
            METRICS
                .inbox_refused
                .with_label_values(&[reason.code()])
                .inc();
            tracing::info!(%reason, %detail, "inbox refused");
        }
        Err(other) => {
            let reason = if other.kind().status() < 500 {
                "rejected_by_handler"
            } else {
                "error"
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
            Reason::TooLarge,
            format!("body over {} bytes", config.http.max_body_bytes),
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        FederationError::refused(Reason::MalformedJson, format!("body is not JSON: {e}"))
    })?;
    let activity = Activity::parse(value).map_err(|e| {
        FederationError::refused(Reason::MalformedActivity, format!("not an activity: {e}"))
    })?;
    let actor_id = activity.actor_id().ok_or_else(|| {
        FederationError::refused(Reason::MalformedActivity, "activity has no actor id")
    })?;
    let actor_domain = authority(&actor_id).ok_or_else(|| {
        FederationError::refused(Reason::MalformedActivity, "actor id has no host")
    })?;
    if data.federation_policy().refuses(&actor_domain) {
        return Err(FederationError::refused(
            Reason::BlockedDomain,
            format!("{actor_domain} is blocked here"),
        ));
    }
    if data.urls.is_local(actor_id.as_str()) {
        return Err(FederationError::refused(
            Reason::LocalActor,
            "activities of local actors are not accepted from outside",
        ));
    }
    if authority(&activity.id).as_deref() != Some(actor_domain.as_str()) {
        return Err(FederationError::refused(
            Reason::IdHostMismatch,
            "activity id and actor are on different hosts",
        ));
    }

    // Signature: shape, coverage, freshness and digest before any network fetch.
    let now = chrono::Utc::now().timestamp();
    let pending = PendingSignature::check(
        req,
        body,
        &config.instance.scheme,
        &config.instance.domain,
        now,
        config.federation.max_date_skew_secs,
    )?;
    let owner = signatures::key_owner(pending.key_id())?;
    if owner != actor_id {
        return Err(FederationError::refused(
            Reason::KeyOwnerMismatch,
            "the signing key does not belong to the activity's actor",
        ));
    }
    // An actor we never knew deleting itself (Mastodon sends that to every server it knows):
    // there is nothing of it here, and fetching it would only get 410. Accepted, as Mastodon
    // does, so its server stops retrying.
    if activity.kind == ActivityKind::Delete && activity.object_id().as_ref() == Some(&actor_id) {
        let id = actor_id.to_string();
        let known = data
            .db
            .run_quick(move |conn| agora_db::actors::by_ap_id(conn, &id))
            .await?;
        if known.is_none() {
            METRICS.inbox_accepted.with_label_values(&["ignored"]).inc();
            return Ok(Outcome::Ignored);
        }
    }
    let actor = fetch_actor(&actor_id, data).await?;
    if actor.row.blocked_at.is_some() {
        return Err(FederationError::refused(
            Reason::BlockedActor,
            "this actor is blocked here by the moderators",
        ));
    }
    let actor = if pending.verify(&actor.row.public_key_pem) {
        actor
    } else if chrono::Utc::now().naive_utc() - actor.row.last_refreshed_at < REFETCH_AFTER {
        return Err(FederationError::refused(
            Reason::SignatureInvalid,
            "signature does not verify with the actor's key (fetched recently, not refetched)",
        ));
    } else {
        // The key may have been rotated since we cached the actor: fetch it once more.
        let fresh = ObjectId::<DbActor>::from(actor_id.clone())
            .dereference_forced(data)
            .await
            .map_err(|e| e.fetch_failed(Reason::SignatureInvalid))?;
        same_actor(&fresh, &actor_id)?;
        if !pending.verify(&fresh.row.public_key_pem) {
            return Err(FederationError::refused(
                Reason::SignatureInvalid,
                "signature does not verify with the actor's refetched key",
            ));
        }
        fresh
    };
    METRICS
        .inbox_signatures
        .with_label_values(&[pending.scheme()])
        .inc();

    if activity.kind == ActivityKind::Other {
        METRICS.inbox_accepted.with_label_values(&["ignored"]).inc();
        return Ok(Outcome::Ignored);
    }
    let activity_id = activity.id.to_string();
    let id = activity_id.clone();
    if data.db.run_quick(move |conn| seen::seen(conn, &id)).await? {
        return Ok(Outcome::Duplicate);
    }
    if matches!(
        activity.kind,
        ActivityKind::Create | ActivityKind::Update | ActivityKind::Delete
    ) {
        let object_id = activity.object_id().ok_or_else(|| {
            FederationError::refused(Reason::MalformedActivity, "activity has no object id")
        })?;
        if authority(&object_id).as_deref() != Some(actor_domain.as_str()) {
            return Err(FederationError::refused(
                Reason::ObjectHostMismatch,
                "object and actor are on different hosts",
            ));
        }
    }
    // An actor deleting itself leaves no record here, its id included: a replay finds the
    // actor unknown and is ignored.
    let erases_actor = activity.kind == ActivityKind::Delete
        && activity
            .object_id()
            .is_some_and(|o| o.as_str() == actor.row.ap_id);
    activities::dispatch(activity.clone(), actor, data).await?;
    if !erases_actor {
        agora_service::received::record(data.app_data(), activity_id).await?;
    }
    METRICS
        .inbox_accepted
        .with_label_values(&[format!("{:?}", activity.kind).as_str()])
        .inc();
    Ok(Outcome::Processed)
}

async fn fetch_actor(
    actor_id: &url::Url,
    data: &FederationData,
) -> Result<DbActor, FederationError> {
    let actor = ObjectId::<DbActor>::from(actor_id.clone())
        .dereference(data)
        .await
        .map_err(|e| e.fetch_failed(Reason::ActorUnavailable))?;
    same_actor(&actor, actor_id)?;
    Ok(actor)
}

/// The actor we fetched must be the one the activity names: a redirect, or a document that
/// states another id, would otherwise let one actor's key speak for another.
fn same_actor(actor: &DbActor, actor_id: &url::Url) -> Result<(), FederationError> {
    if actor.row.ap_id == actor_id.as_str() {
        Ok(())
    } else {
        Err(FederationError::refused(
            Reason::ActorIdMismatch,
            format!("fetched {actor_id} but got {}", actor.row.ap_id),
        ))
    }
}
