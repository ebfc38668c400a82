//! `Note`: a post.

use serde::{Deserialize, Serialize};
use url::Url;

/// A `Note` as sent and received. Remote HTML is sanitised when stored, never trusted here.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// Post id.
    pub id: Url,
    /// Always `Note` when we send; we accept `Note`, `Article`, `Page`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The author: one id when we send (as Mastodon does); one or many accepted.
    #[serde(
        deserialize_with = "super::one_or_many",
        serialize_with = "super::single_if_one"
    )]
    pub attributed_to: Vec<serde_json::Value>,
    /// HTML content.
    #[serde(default)]
    pub content: String,
    /// Title (Article/Page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Content warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Whether the content hides behind the warning.
    #[serde(default)]
    pub sensitive: bool,
    /// Parent post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<Url>,
    /// Page URL; read loosely.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<serde_json::Value>,
    /// Publication time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<chrono::DateTime<chrono::Utc>>,
    /// Edit time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<chrono::DateTime<chrono::Utc>>,
    /// Primary audience.
    #[serde(default, deserialize_with = "super::one_or_many")]
    pub to: Vec<String>,
    /// Secondary audience.
    #[serde(default, deserialize_with = "super::one_or_many")]
    pub cc: Vec<String>,
    /// The group the post is addressed to (FEP-1b12, as Lemmy writes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<serde_json::Value>,
}

impl Note {
    /// The author id (the first actor when a list is given).
    pub fn author(&self) -> Option<&str> {
        self.attributed_to.iter().find_map(super::id_of)
    }

    /// Whether it is addressed to the public (in `to` or `cc`: Mastodon's public and unlisted
    /// posts), as opposed to followers-only posts and direct messages.
    pub fn is_public(&self) -> bool {
        self.to
            .iter()
            .chain(&self.cc)
            .any(|a| matches!(a.as_str(), PUBLIC | "as:Public" | "Public"))
    }

    /// The page URL, however the server wrote it.
    pub fn url_string(&self) -> Option<String> {
        match &self.url {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Object(o)) => {
                o.get("href").and_then(|h| h.as_str()).map(String::from)
            }
            _ => None,
        }
    }
}

/// What stands for a deleted object.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tombstone {
    /// The deleted object's id.
    pub id: String,
    /// Always `Tombstone`.
    #[serde(rename = "type")]
    pub kind: String,
}

impl Tombstone {
    /// The tombstone of the object `id`.
    pub fn of(id: &str) -> Tombstone {
        Tombstone {
            id: id.to_string(),
            kind: "Tombstone".into(),
        }
    }
}

/// The public collection, as Mastodon addresses it.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
