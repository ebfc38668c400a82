//! `Resolve{Flag}`: what was decided on a report, told to the server that sent it (the form
//! Lemmy 1.0 uses: `{actor, to, object: the Flag}`), with our `decision`, the reason in
//! `content` and `summary`, and the `ground`. We accept the same from the server a report of
//! ours went to, Lemmy's included (no decision named: `resolved`).

use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    objects::actor::DbActor,
    protocol::{
        activities::{Activity, ActivityKind},
        id_of,
    },
};
use agora_core::ErrorKind;
use agora_service::{
    model::{Actor, Report},
    reports::remote::{self, IncomingResolve},
};
use serde_json::Value;

/// Records the other server's decision on a report we forwarded. A `Resolve` of something
/// else (another server's own reports, relayed to us) is acknowledged and ignored.
pub async fn receive(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    let flag_id = id_of(&activity.object)
        .ok_or_else(|| {
            FederationError::refused(Reason::MalformedActivity, "Resolve without object")
        })?
        .to_string();
    if !data.urls.is_local(&flag_id) {
        return Ok(());
    }
    let resolve = IncomingResolve {
        flag_id,
        action: activity.text("decision").map(str::to_string),
        reason: activity
            .text("content")
            .or_else(|| activity.text("summary"))
            .unwrap_or_default()
            .to_string(),
    };
    match remote::receive_resolve(data.app_data(), &actor.row, resolve).await {
        Err(e) if e.kind == ErrorKind::NotFound => Err(FederationError::refused(
            Reason::UnknownTarget,
            "no report of this node has that Flag",
        )),
        other => Ok(other?),
    }
}

/// The `Resolve` telling the server that sent a report what was decided, and the inbox it
/// goes to.
pub fn build(
    id: &str,
    report: &Report,
    sender: &Actor,
    moderation: &Actor,
) -> Result<(Value, String), FederationError> {
    let mut flag: Value = report
        .flag
        .as_deref()
        .map(serde_json::from_str)
        .transpose()?
        .unwrap_or(Value::Null);
    if let Value::Object(map) = &mut flag {
        map.remove("@context");
    }
    // Lemmy checks that the `Resolve` goes where the `Flag` went.
    let to = flag
        .get("to")
        .and_then(|to| match to {
            Value::Array(items) => items.first().and_then(id_of),
            one => id_of(one),
        })
        .unwrap_or(&sender.ap_id)
        .to_string();
    let activity = Activity::new(ActivityKind::Resolve, id, &moderation.ap_id, flag, vec![to])?;
    let mut value = activity.to_value()?;
    let reason = report.reason.clone().unwrap_or_default();
    if let Value::Object(map) = &mut value {
        map.insert("content".into(), Value::String(reason.clone()));
        map.insert("summary".into(), Value::String(reason));
        if let Some(action) = &report.action {
            map.insert("decision".into(), Value::String(action.clone()));
        }
        if let Some(ground) = &report.ground {
            map.insert("ground".into(), Value::String(ground.clone()));
        }
        map.insert("category".into(), Value::String(report.category.clone()));
    }
    Ok((value, sender.delivery_inbox().to_string()))
}
