//! Petitions as `Question`s: a one-option poll whose voters are the counted signatures.

use crate::{
    error::FederationError,
    protocol::{
        note::PUBLIC,
        question::{PollOption, Question, VoteCount},
    },
};
use agora_core::{petition::PetitionStatus, text};
use agora_service::petitions::{OPTION_NAME, PetitionDetails, option_names};
use std::collections::BTreeMap;
use url::Url;

/// A local petition as its `Question`, with the live count.
pub fn question_of(d: &PetitionDetails, log_url: &str) -> Result<Question, FederationError> {
    let p = &d.petition;
    let status = d.status();
    let verified = d.tally.verified;
    let closed = matches!(status, PetitionStatus::Closed | PetitionStatus::Answered)
        .then(|| p.closed_at.unwrap_or(p.deadline).and_utc());
    // Mastodon shows `content` above the poll: the title leads it.
    let content = format!(
        "<p><strong>{}</strong></p>{}<p>→ {}</p>",
        text::escape(&p.title),
        p.text,
        text::escape(&p.target)
    );
    let audience = d
        .author
        .is_group()
        .then(|| serde_json::Value::String(d.author.ap_id.clone()));
    Ok(Question {
        id: Url::parse(&p.ap_id)?,
        kind: "Question".into(),
        attributed_to: vec![serde_json::Value::String(d.author.ap_id.clone())],
        name: Some(p.title.clone()),
        content,
        url: Some(serde_json::Value::String(p.ap_id.clone())),
        published: Some(p.created_at.and_utc()),
        updated: None,
        // Closed early, its poll ended then: servers that read only `endTime` (Misskey's)
        // must not show it open until the deadline.
        end_time: Some(closed.unwrap_or_else(|| p.deadline.and_utc())),
        closed,
        one_of: vec![PollOption {
            kind: "Note".into(),
            name: OPTION_NAME.into(),
            name_map: option_names()
                .iter()
                .map(|(lang, name)| (lang.to_string(), name.to_string()))
                .collect::<BTreeMap<_, _>>(),
            replies: Some(VoteCount {
                kind: "Collection".into(),
                total_items: verified,
            }),
        }],
        voters_count: Some(verified),
        to: vec![PUBLIC.into()],
        cc: d.author.followers_url.iter().cloned().collect(),
        audience,
        signature_policy: Some(p.signature_policy.clone()),
        trusted_instances: d.trusted_instances(),
        milestones: d.milestones(),
        target: Some(p.target.clone()),
        status: Some(status.as_str().into()),
        transparency_log: Some(Url::parse(log_url)?),
    })
}

/// Another server's `Question` (one option) as a petition to store: a Mastodon poll keeps
/// its option's text, an Agora petition its civic fields; its log is taken only on its own
/// server.
pub fn to_remote(q: &Question) -> agora_service::petitions::RemotePetition {
    let same_host =
        |other: &Url| agora_core::urls::authority(other) == agora_core::urls::authority(&q.id);
    let closed = q.closed.is_some() || matches!(q.status.as_deref(), Some("closed" | "answered"));
    let option = q.one_of.first();
    agora_service::petitions::RemotePetition {
        ap_id: q.id.to_string(),
        title: q.name.clone().unwrap_or_else(|| q.content.clone()),
        text: q.content.clone(),
        target: q.target.clone().unwrap_or_default(),
        deadline: q
            .end_time
            .unwrap_or_else(|| chrono::Utc::now() + chrono::Duration::days(1)),
        closed,
        option_name: option.map(|o| o.name.clone()).unwrap_or_default(),
        count: q
            .voters_count
            .or_else(|| {
                option
                    .and_then(|o| o.replies.as_ref())
                    .map(|r| r.total_items)
            })
            .unwrap_or(0),
        signature_policy: q.signature_policy.clone(),
        transparency_log: q
            .transparency_log
            .as_ref()
            .filter(|log| same_host(log))
            .map(|log| log.to_string()),
    }
}
