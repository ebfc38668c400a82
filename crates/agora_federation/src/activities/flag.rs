//! `Flag`: a report, from another server to us or from us to another server.
//!
//! We accept Mastodon's (from its `Application` instance actor, no `to`, `object` = [account,
//! statuses…], the comment in `content`), Lemmy's (from a person, `to` = the community or the
//! site, one object, the reason in `summary`) and our own (with `category`). We send one form
//! that both accept: from our `Service` moderation actor, with `to`, the comment in `content`
//! and `summary`, and `category`; never the reporter.

use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    objects::actor::DbActor,
    protocol::{
        activities::{Activity, ActivityKind},
        id_of,
    },
};
use agora_core::{federation_policy::DomainPolicy, report::Category};
use agora_service::{
    model::Actor,
    reports::remote::{self, Forwarded, IncomingFlag},
};
use serde_json::Value;

/// Files the report in the queue, with the sending server as its origin.
pub async fn receive(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    // A server whose reports we reject is answered as usual (as Mastodon does) and not heard.
    if data
        .federation_policy()
        .has(&actor.row.domain, DomainPolicy::RejectReports)
    {
        tracing::info!(domain = %actor.row.domain, "report of a server whose reports are rejected");
        return Ok(());
    }
    let objects: Vec<String> = match &activity.object {
        Value::Array(items) => items.iter().filter_map(id_of).map(str::to_string).collect(),
        one => id_of(one).map(str::to_string).into_iter().collect(),
    };
    if objects.is_empty() {
        return Err(FederationError::refused(
            Reason::MalformedActivity,
            "Flag without object",
        ));
    }
    let flag = IncomingFlag {
        ap_id: activity.id.to_string(),
        objects,
        category: activity.text("category").map(str::to_string),
        comment: activity
            .text("content")
            .or_else(|| activity.text("summary"))
            .unwrap_or_default()
            .to_string(),
        raw: activity.raw.clone(),
    };
    remote::receive_flag(data.app_data(), &actor.row, flag).await?;
    Ok(())
}

/// The `Flag` forwarding one of our reports to the server of what it names (with the fields
/// our `Activity` shape does not carry), and the inbox it goes to.
pub fn build(
    id: &str,
    forwarded: &Forwarded,
    moderation: &Actor,
) -> Result<(Value, String), FederationError> {
    let Forwarded {
        report,
        answerable,
        group,
    } = forwarded;
    let mut objects = vec![answerable.ap_id.clone()];
    if report.target_ap_id != answerable.ap_id {
        objects.push(report.target_ap_id.clone());
    }
    // Lemmy reads `to` as the community the post is in, or the site (its root URL).
    let to = match group {
        Some(g) => g.ap_id.clone(),
        None if answerable.is_group() => answerable.ap_id.clone(),
        None => site_of(&answerable.ap_id)?,
    };
    // Lemmy needs a reason; with no comment, the category says it.
    let comment = if report.comment.is_empty() {
        Category::parse(&report.category)
            .unwrap_or(Category::NotSpecified)
            .as_str()
            .replace('_', " ")
    } else {
        report.comment.clone()
    };
    let mut activity = Activity::new(
        ActivityKind::Flag,
        id,
        &moderation.ap_id,
        Value::Array(objects.into_iter().map(Value::String).collect()),
        vec![to],
    )?;
    activity.published = Some(report.created_at.and_utc());
    let mut value = activity.to_value()?;
    if let Value::Object(map) = &mut value {
        map.insert("content".into(), Value::String(comment.clone()));
        map.insert("summary".into(), Value::String(comment));
        map.insert("category".into(), Value::String(report.category.clone()));
    }
    Ok((value, answerable.delivery_inbox().to_string()))
}

/// A server's root URL, which Lemmy uses as its site actor's id.
fn site_of(id: &str) -> Result<String, FederationError> {
    let url = url::Url::parse(id)?;
    Ok(format!("{}/", url.origin().ascii_serialization()))
}
