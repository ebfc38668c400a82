//! Activities as they travel, received and sent: one shape ([`Activity`]) whose `type` is one
//! of the kinds we act on ([`ActivityKind`], named once) or any other. Each kind's handler and
//! builders are in `activities/`, one file each.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// The activity types this node acts on, as `type` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActivityKind {
    /// Someone follows an actor of ours.
    Follow,
    /// A follow of ours was accepted.
    Accept,
    /// A follow of ours was refused or ended.
    Reject,
    /// A follow ends.
    Undo,
    /// A post appears.
    Create,
    /// A post or an actor changed.
    Update,
    /// A post or an actor is gone.
    Delete,
    /// A group passes on a post of its thread.
    Announce,
    /// A report.
    Flag,
    /// Someone liked a post (counted by the virality detector).
    Like,
    /// A decision on a report (Lemmy 1.0's `Resolve{Flag}`).
    Resolve,
    /// An account or group moved to another address.
    Move,
    /// An account blocks another.
    Block,
    /// Any other type (`EmojiReact`, `Add`…). The sender did
    /// nothing wrong by telling us, so it is acknowledged (202) and ignored until a handler
    /// exists. Last, so that every named kind is tried first.
    #[serde(other)]
    Other,
}

/// An activity, as received (each handler reads the `object` its kind expects) and as sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Activity {
    /// Activity id.
    pub id: Url,
    /// Activity type.
    #[serde(rename = "type")]
    pub kind: ActivityKind,
    /// The actor (its id, or, as some servers send it, the actor itself).
    pub actor: Value,
    /// The object, inline or by id.
    #[serde(default)]
    pub object: Value,
    /// Primary audience.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::one_or_many"
    )]
    pub to: Vec<String>,
    /// Secondary audience.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::one_or_many"
    )]
    pub cc: Vec<String>,
    /// When it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<chrono::DateTime<chrono::Utc>>,
    /// Where a `Move` goes (the new account), inline or by id.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub target: Value,
    /// The whole activity as received, which a group announces as it is (never sent).
    #[serde(skip)]
    pub raw: Value,
}

impl Activity {
    /// Parses an activity, keeping the received JSON.
    pub fn parse(value: Value) -> Result<Activity, serde_json::Error> {
        // Read from a borrow: the inbox's hot path does not copy the document.
        let mut activity = Activity::deserialize(&value)?;
        activity.raw = value;
        Ok(activity)
    }

    /// An activity of ours to the given audience.
    pub fn new(
        kind: ActivityKind,
        id: &str,
        actor: &str,
        object: Value,
        to: Vec<String>,
    ) -> Result<Activity, url::ParseError> {
        Ok(Activity {
            id: Url::parse(id)?,
            kind,
            actor: Value::String(actor.to_string()),
            object,
            to,
            cc: Vec::new(),
            published: None,
            target: Value::Null,
            raw: Value::Null,
        })
    }

    /// A public activity of ours, addressed as Mastodon addresses public posts: to the public
    /// collection, cc the actor's followers.
    pub fn public(
        kind: ActivityKind,
        id: &str,
        actor: &str,
        followers: Option<&str>,
        object: Value,
        published: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Activity, url::ParseError> {
        let mut activity = Activity::new(
            kind,
            id,
            actor,
            object,
            vec![super::note::PUBLIC.to_string()],
        )?;
        activity.cc = followers.map(str::to_string).into_iter().collect();
        activity.published = published;
        Ok(activity)
    }

    /// The actor id.
    pub fn actor_id(&self) -> Option<Url> {
        super::id_of(&self.actor).and_then(|s| Url::parse(s).ok())
    }

    /// The object id, whether the object is inline or a bare id.
    pub fn object_id(&self) -> Option<Url> {
        super::id_of(&self.object).and_then(|s| Url::parse(s).ok())
    }

    /// A text field of the activity as received (`content`, `summary`, our `category`…),
    /// trimmed; none when absent or blank.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.raw
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The `type` of an inline object.
    pub fn object_type(&self) -> Option<&str> {
        self.object.get("type").and_then(Value::as_str)
    }

    /// As JSON, to embed in another activity or to store for delivery.
    pub fn to_value(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }
}
