//! Activities in the exact shapes Mastodon sends them, for the tests and the load generator.

use serde_json::{Value, json};

/// Mastodon's vote on a poll (`ActivityPub::VoteSerializer`): `Create` of a `Note` with the
/// option's `name`, `inReplyTo` the poll, addressed to the poll's author, no content. `n`
/// numbers the actor's votes (`{actor}#votes/{n}`).
pub fn vote(
    actor: &str,
    n: impl std::fmt::Display,
    poll: &str,
    author: &str,
    option: &str,
) -> Value {
    let note_id = format!("{actor}#votes/{n}");
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note_id}/activity"),
        "type": "Create",
        "actor": actor,
        "to": author,
        "object": {
            "id": note_id,
            "type": "Note",
            "name": option,
            "attributedTo": actor,
            "inReplyTo": poll,
            "to": author,
        }
    })
}

/// A `Follow` of `object` by `actor`, with the id `id`.
pub fn follow(id: &str, actor: &str, object: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id,
        "type": "Follow",
        "actor": actor,
        "object": object,
    })
}
