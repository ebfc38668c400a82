//! The JSON-LD `@context` of every document we serve and send.
//!
//! Our civic terms are defined inline under one namespace (as Mastodon does with `toot:`), so a
//! receiver never has to fetch a context document of ours.

use serde_json::{Value, json};

/// The namespace IRI of Agora's civic vocabulary (documented in `docs/federation.md`).
pub const CIVIC_NS: &str = "https://w3id.org/agora/ns#";

/// The `@context` value.
pub fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "civic": CIVIC_NS,
            "toot": "http://joinmastodon.org/ns#",
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "sensitive": "as:sensitive",
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
            "movedTo": { "@id": "as:movedTo", "@type": "@id" },
            "alsoKnownAs": { "@id": "as:alsoKnownAs", "@type": "@id" },
            "featured": { "@id": "toot:featured", "@type": "@id" },
            "Hashtag": "as:Hashtag",
            "accountKind": "civic:accountKind",
            "goals": "civic:goals",
            "status": "civic:status",
            "votersCount": "toot:votersCount",
            "signaturePolicy": "civic:signaturePolicy",
            "trustedInstances": "civic:trustedInstances",
            "milestones": "civic:milestones",
            "transparencyLog": { "@id": "civic:transparencyLog", "@type": "@id" },
            "category": "civic:category",
            "decision": "civic:decision",
            "ground": "civic:ground"
        }
    ])
}

/// Adds the `@context` to a serialised document, as its first key.
pub fn with_context(doc: Value) -> Value {
    match doc {
        Value::Object(map) => {
            let mut out = serde_json::Map::with_capacity(map.len() + 1);
            out.insert("@context".into(), context());
            out.extend(map);
            Value::Object(out)
        }
        other => other,
    }
}
