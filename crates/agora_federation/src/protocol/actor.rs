//! Actor documents: `Person`, `Organization`, `Group`, `Application`, `Service`.

use serde::{Deserialize, Serialize};
use url::Url;

/// `endpoints` of an actor.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    /// The server's shared inbox.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<Url>,
}

/// An actor's public key, as Mastodon publishes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    /// `{actor}#main-key`.
    pub id: String,
    /// The actor.
    pub owner: Url,
    /// SPKI PEM.
    pub public_key_pem: String,
}

/// An actor document. Unknown fields are ignored; missing optional ones are tolerated.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorDocument {
    /// Actor id.
    pub id: Url,
    /// `Person`, `Group`…
    #[serde(rename = "type")]
    pub kind: String,
    /// The handle.
    #[serde(default)]
    pub preferred_username: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Biography (HTML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Profile page; some servers send an object or list here, so it is read loosely.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<serde_json::Value>,
    /// Personal inbox.
    pub inbox: Url,
    /// Outbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Url>,
    /// Followers collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Url>,
    /// Following collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<Url>,
    /// Shared inbox and others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    /// Key for HTTP signatures.
    pub public_key: PublicKey,
    /// Follows need approval.
    #[serde(default)]
    pub manually_approves_followers: bool,
    /// Listed in directories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discoverable: Option<bool>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<chrono::DateTime<chrono::Utc>>,
    /// Other ids of the same account (moves).
    #[serde(
        default,
        deserialize_with = "super::one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub also_known_as: Vec<Url>,
    /// Where the account moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<Url>,
    /// Avatar: an `Image`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<serde_json::Value>,
    /// Banner: an `Image`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<serde_json::Value>,
    /// Pinned posts (Mastodon reads it for groups and people alike).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub featured: Option<Url>,
    /// For groups: the collection of their moderators (organizers), as Lemmy publishes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<serde_json::Value>,
    /// For groups: `Hashtag`s of the initiative.
    #[serde(
        default,
        deserialize_with = "super::one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tag: Vec<serde_json::Value>,
    /// For groups: where the initiative happens, a `Place`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<serde_json::Value>,
    /// Civic vocabulary, for initiatives: what it wants to achieve (plain text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goals: Option<String>,
    /// Civic vocabulary, for initiatives: `open`, `achieved` or `closed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Civic vocabulary: `citizen`, `association`, `public_body`, `media`, `business`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_kind: Option<String>,
}

impl ActorDocument {
    /// The profile page URL, however the server wrote it.
    pub fn url_string(&self) -> Option<String> {
        match &self.url {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Object(o)) => {
                o.get("href").and_then(|h| h.as_str()).map(String::from)
            }
            Some(serde_json::Value::Array(items)) => items.iter().find_map(|i| match i {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Object(o) => {
                    o.get("href").and_then(|h| h.as_str()).map(String::from)
                }
                _ => None,
            }),
            _ => None,
        }
    }
}
