//! `Question`: a petition, as a one-option poll Mastodon shows and its users vote on.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use url::Url;

/// A poll option: a `Note` with a `name` (and its translations) and the number of votes in
/// `replies.totalItems`, as Mastodon writes and reads options.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PollOption {
    /// Always `Note`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The option's text: a vote names exactly this.
    pub name: String,
    /// The text by language; Mastodon reads `name`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub name_map: BTreeMap<String, String>,
    /// `{type: Collection, totalItems: votes}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<VoteCount>,
}

/// The vote count of an option.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoteCount {
    /// Always `Collection`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Votes.
    #[serde(default)]
    pub total_items: i64,
}

/// A `Question` as we send it and as we read other servers' (ours carry the civic fields).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    /// The petition's id.
    pub id: Url,
    /// Always `Question`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The person or group it is attributed to: votes go to this actor's inbox.
    #[serde(
        deserialize_with = "super::one_or_many",
        serialize_with = "super::single_if_one"
    )]
    pub attributed_to: Vec<serde_json::Value>,
    /// The title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// HTML: the title, the text and the target, as Mastodon shows the post above the poll.
    #[serde(default)]
    pub content: String,
    /// Its page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<serde_json::Value>,
    /// Publication time.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_time"
    )]
    pub published: Option<chrono::DateTime<chrono::Utc>>,
    /// Time of the last edit of its text, never of its count: Mastodon takes a newer
    /// `updated` as an edit and resets the votes it holds.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_time"
    )]
    pub updated: Option<chrono::DateTime<chrono::Utc>>,
    /// The deadline.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_time"
    )]
    pub end_time: Option<chrono::DateTime<chrono::Utc>>,
    /// When it closed (with a past `endTime`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_time"
    )]
    pub closed: Option<chrono::DateTime<chrono::Utc>>,
    /// Its one option (a single-choice poll).
    #[serde(default)]
    pub one_of: Vec<PollOption>,
    /// Counted signatures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voters_count: Option<i64>,
    /// Primary audience.
    #[serde(default, deserialize_with = "super::one_or_many")]
    pub to: Vec<String>,
    /// Secondary audience.
    #[serde(default, deserialize_with = "super::one_or_many")]
    pub cc: Vec<String>,
    /// The initiative's group, for an initiative's petition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<serde_json::Value>,
    /// `civic:signaturePolicy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_policy: Option<String>,
    /// `civic:trustedInstances`, with `trusted_instances`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trusted_instances: Vec<String>,
    /// `civic:milestones`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<i64>,
    /// `civic:target`: whom it addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// `civic:status`: draft, open, closed, answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `civic:transparencyLog`: where its log is served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transparency_log: Option<Url>,
}

/// A time as servers write it: RFC 3339, or without a zone (Pleroma's `closed`, read as UTC);
/// `null` or anything unreadable is no time rather than a refused poll.
fn lenient_time<'de, D>(d: D) -> Result<Option<chrono::DateTime<chrono::Utc>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let Some(text) = Option::<serde_json::Value>::deserialize(d)? else {
        return Ok(None);
    };
    let Some(text) = text.as_str() else {
        return Ok(None);
    };
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(Some(t.with_timezone(&chrono::Utc)));
    }
    Ok(
        chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()
            .map(|t| t.and_utc()),
    )
}

impl Question {
    /// The author id (the first actor when a list is given).
    pub fn author(&self) -> Option<&str> {
        self.attributed_to.iter().find_map(super::id_of)
    }
}

/// A vote on a poll, as Mastodon sends it: a `Note` whose `name` is the option's text, in
/// reply to the `Question`, with no content, addressed to the poll's author only.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vote {
    /// The vote's id (Mastodon: a fragment of the voter's URL, `…/users/x#votes/3`).
    pub id: Url,
    /// Always `Note`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The option's exact text.
    pub name: String,
    /// The voter.
    #[serde(
        deserialize_with = "super::one_or_many",
        serialize_with = "super::single_if_one"
    )]
    pub attributed_to: Vec<serde_json::Value>,
    /// The poll.
    pub in_reply_to: Url,
    /// The poll's author.
    #[serde(default, deserialize_with = "super::one_or_many")]
    pub to: Vec<String>,
    /// A vote has none; a reply with text is a post, not a vote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

impl Vote {
    /// The voter's id.
    pub fn voter(&self) -> Option<&str> {
        self.attributed_to.iter().find_map(super::id_of)
    }
}
