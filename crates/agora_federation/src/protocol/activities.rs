//! Activities as they travel: one loose shape for what we receive (each handler reads the
//! `object` it expects), one strict shape for what we send.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// Activity types this node acts on; others are acknowledged and ignored.
pub const ACCEPTED_TYPES: &[&str] = &[
    "Follow", "Accept", "Reject", "Undo", "Create", "Update", "Delete", "Announce",
];

/// An incoming activity, as far as every handler needs it.
#[derive(Debug, Clone, Deserialize)]
pub struct Incoming {
    /// Activity id.
    pub id: Url,
    /// Activity type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The actor (id, or an embedded object with an id).
    pub actor: Value,
    /// The object, inline or by id.
    #[serde(default)]
    pub object: Value,
    /// The whole activity as received, which a group announces as it is.
    #[serde(skip)]
    pub raw: Value,
}

impl Incoming {
    /// Parses an activity, keeping the received JSON.
    pub fn parse(value: Value) -> Result<Incoming, serde_json::Error> {
        // Read from a borrow: the inbox's hot path does not copy the document.
        let mut activity = Incoming::deserialize(&value)?;
        activity.raw = value;
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

    /// The `type` of an inline object.
    pub fn object_type(&self) -> Option<&str> {
        self.object.get("type").and_then(Value::as_str)
    }
}

/// An activity we send.
#[derive(Debug, Clone, Serialize)]
pub struct Outgoing {
    /// Activity id.
    pub id: String,
    /// Activity type.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Our actor.
    pub actor: String,
    /// The object, inline or by id.
    pub object: Value,
    /// Primary audience.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    /// Secondary audience.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<String>,
    /// When it happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<chrono::DateTime<chrono::Utc>>,
}

impl Outgoing {
    /// A public activity, addressed as Mastodon addresses public posts: to the public
    /// collection, cc the actor's followers.
    pub fn public(
        id: String,
        kind: &'static str,
        actor: &str,
        followers: Option<&str>,
        object: Value,
        published: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Outgoing {
        Outgoing {
            id,
            kind,
            actor: actor.to_string(),
            object,
            to: vec![super::note::PUBLIC.to_string()],
            cc: followers.map(str::to_string).into_iter().collect(),
            published,
        }
    }
}
