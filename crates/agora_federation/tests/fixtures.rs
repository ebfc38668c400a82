//! What real servers send, read by our parsers: every document in `tests/fixtures/` (one
//! folder per software, each file's source in the README there) must be readable the way our
//! inbox and fetches read it. And what we send reads back the same.
#![allow(missing_docs, clippy::unwrap_used)]

use agora_federation::{
    objects::note::POST_TYPES,
    protocol::{
        activities::{Activity, ActivityKind},
        actor::ActorDocument,
        note::Note,
    },
};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> Vec<(PathBuf, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut all = Vec::new();
    for software in std::fs::read_dir(&root).unwrap() {
        let dir = software.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
                all.push((path, value));
            }
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(all.len() >= 60, "the fixtures are missing: {}", all.len());
    all
}

/// Documents that are not whole: an example from a documentation page that shows a fragment.
const FRAGMENTS: &[&str] = &["gotosocial/question_fragment.json"];

/// Actor documents we refuse, and why: nothing could be sent to them.
const NOT_ACTORS_HERE: &[&str] = &[
    // Fedify's signing test vector: a `Person` with keys and no `inbox`.
    "fedify/person.json",
];

/// Activities a server sends without an `id`: our inbox refuses them (nothing to deduplicate
/// them by), with `malformed_activity`.
const WITHOUT_ID: &[&str] = &["gotosocial/delete_note.json"];

fn name(path: &Path) -> String {
    let parent = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy();
    format!("{parent}/{}", path.file_name().unwrap().to_string_lossy())
}

fn kind(value: &Value) -> &str {
    value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn is_activity(value: &Value) -> bool {
    value.get("actor").is_some() && value.get("object").is_some()
}

#[test]
fn every_actor_document_is_read() {
    let mut read = 0;
    let mut failed = Vec::new();
    for (path, value) in fixtures() {
        if agora_core::actor_type::ActorType::parse(kind(&value)).is_none() || is_activity(&value) {
            continue;
        }
        match serde_json::from_value::<ActorDocument>(value.clone()) {
            Ok(actor) => {
                assert_eq!(
                    actor.id.as_str(),
                    value["id"].as_str().unwrap(),
                    "{}",
                    name(&path)
                );
                assert!(
                    !actor.public_key.public_key_pem.is_empty(),
                    "{}",
                    name(&path)
                );
                read += 1;
            }
            Err(_) if NOT_ACTORS_HERE.contains(&name(&path).as_str()) => {}
            Err(e) => failed.push(format!("{}: {e}", name(&path))),
        }
    }
    assert!(failed.is_empty(), "actors not read:\n{}", failed.join("\n"));
    assert!(read >= 14, "only {read} actors");
}

#[test]
fn every_activity_is_read_by_the_inbox() {
    let mut read = 0;
    let mut others = Vec::new();
    let mut reports = 0;
    for (path, value) in fixtures() {
        let file = name(&path);
        if matches!(kind(&value), "Flag" | "Resolve") {
            reports += 1;
        }
        if FRAGMENTS.contains(&file.as_str()) || !is_activity(&value) {
            continue;
        }
        match Activity::parse(value.clone()) {
            Ok(activity) => {
                assert!(!WITHOUT_ID.contains(&file.as_str()), "{file} has an id now");
                // A kind we act on is read as itself; any other is acknowledged as `Other`.
                let read_as = format!("{:?}", activity.kind);
                assert!(
                    read_as == kind(&value) || activity.kind == ActivityKind::Other,
                    "{file}: {} read as {read_as}",
                    kind(&value)
                );
                if activity.kind == ActivityKind::Other {
                    others.push(kind(&value).to_string());
                }
                assert!(activity.actor_id().is_some(), "{file}: actor");
                read += 1;
            }
            Err(e) => assert!(WITHOUT_ID.contains(&file.as_str()), "{file}: not read: {e}"),
        }
    }
    assert!(read >= 35, "only {read} activities");
    // Mastodon's, GoToSocial's and Lemmy's reports, and Lemmy's decision on one, are read
    // as themselves (checked above).
    assert!(reports >= 5, "only {reports} Flag and Resolve fixtures");
    for acknowledged in ["EmojiReact", "Dislike"] {
        assert!(
            others.iter().any(|k| k == acknowledged),
            "{acknowledged} is acknowledged as another kind: {others:?}"
        );
    }
}

/// Mastodon's account migration is read with its target, which the inbox fetches afresh.
#[test]
fn mastodons_move_is_read_with_its_target() {
    let (_, value) = fixtures()
        .into_iter()
        .find(|(path, _)| path.ends_with("mastodon/move.json"))
        .expect("the Move fixture");
    let activity = Activity::parse(value.clone()).unwrap();
    assert_eq!(activity.kind, ActivityKind::Move);
    assert_eq!(
        activity.object_id().map(|u| u.to_string()),
        activity.actor_id().map(|u| u.to_string()),
        "the actor moves itself"
    );
    assert_eq!(
        agora_federation::protocol::id_of(&activity.target),
        value["target"].as_str()
    );
}

/// Mastodon's `Block` names the account blocked and nothing else; Lemmy's is a moderator's ban
/// from a community or site, named in `target`, which the inbox leaves alone.
#[test]
fn mastodons_block_is_a_block_and_lemmys_a_ban() {
    let read = |suffix: &str| {
        let (_, value) = fixtures()
            .into_iter()
            .find(|(path, _)| path.ends_with(suffix))
            .expect("the Block fixture");
        Activity::parse(value).unwrap()
    };
    let mastodon = read("mastodon/block.json");
    assert_eq!(mastodon.kind, ActivityKind::Block);
    assert!(mastodon.object_id().is_some());
    assert!(!agora_federation::activities::block::is_ban(&mastodon));
    let lemmy = read("lemmy/block_user.json");
    assert_eq!(lemmy.kind, ActivityKind::Block);
    assert!(agora_federation::activities::block::is_ban(&lemmy));
}

/// WebFinger answers name the actor we then fetch: Mastodon's one `self` link, and of Lemmy's
/// two for a name that is a community and a user the last, the one Mastodon takes.
#[test]
fn webfinger_answers_name_their_actor() {
    let read = |suffix: &str| {
        let (_, value) = fixtures()
            .into_iter()
            .find(|(path, _)| path.ends_with(suffix))
            .expect("the WebFinger fixture");
        agora_federation::resolve::actor_link(&value).map(String::from)
    };
    assert_eq!(
        read("mastodon/webfinger_docs.json").as_deref(),
        Some("https://mastodon.example/users/alice")
    );
    assert_eq!(
        read("lemmy/webfinger_name_collision.json").as_deref(),
        Some("https://lemmy.example/u/alice")
    );
}

#[test]
fn every_post_is_read_as_a_note() {
    let mut read = 0;
    for (path, value) in fixtures() {
        let file = name(&path);
        if FRAGMENTS.contains(&file.as_str()) {
            continue;
        }
        // The post itself, or the post inside a Create/Update/Announce.
        let mut candidates = vec![&value];
        if let Some(object) = value.get("object") {
            candidates.push(object);
            if let Some(inner) = object.get("object") {
                candidates.push(inner);
            }
        }
        for candidate in candidates {
            if !candidate.is_object() || !POST_TYPES.contains(&kind(candidate)) {
                continue;
            }
            let note: Note =
                serde_json::from_value(candidate.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(note.author().is_some(), "{file}: no author");
            read += 1;
        }
    }
    assert!(read >= 20, "only {read} posts");
}

#[test]
fn what_we_send_reads_back_the_same() {
    let note = serde_json::json!({
        "id": "https://agora.example/posts/1", "type": "Note",
        "attributedTo": "https://agora.example/users/alice",
        "content": "<p>Bonjour</p>", "inReplyTo": "https://mastodon.example/statuses/9",
        "published": "2026-11-29T10:00:00Z", "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": ["https://agora.example/users/alice/followers", "https://agora.example/initiatives/jardin"],
        "audience": "https://agora.example/initiatives/jardin", "sensitive": false,
    });
    let parsed: Note = serde_json::from_value(note.clone()).unwrap();
    let again = serde_json::to_value(&parsed).unwrap();
    assert_eq!(again, note, "a Note survives a round trip unchanged");
    assert!(parsed.is_public());
}

/// Polls as Mastodon, Pleroma, Misskey and GoToSocial send them are read as `Question`s, and a
/// one-option one becomes a petition with its option's exact text and its count.
#[test]
fn every_poll_is_read_as_a_question() {
    use agora_federation::{objects::question::to_remote, protocol::question::Question};
    let mut read = 0;
    for (path, value) in fixtures() {
        let file = name(&path);
        if FRAGMENTS.contains(&file.as_str()) {
            continue;
        }
        let object = value
            .get("object")
            .filter(|o| o.is_object())
            .unwrap_or(&value);
        if kind(object) != "Question" {
            continue;
        }
        let q: Question =
            serde_json::from_value(object.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
        // Pleroma writes `closed` without a zone: still a time, so the poll reads as closed.
        if object.get("closed").is_some_and(Value::is_string) {
            assert!(q.closed.is_some(), "{file}: closed not read");
        }
        let options = q.one_of.len();
        assert!(
            options > 0 || file.contains("misskey") || file.contains("pleroma"),
            "{file}: no oneOf"
        );
        if let Some(first) = q.one_of.first() {
            let remote = to_remote(&q);
            assert_eq!(remote.option_name, first.name, "{file}");
            assert!(remote.count >= 0, "{file}");
        }
        read += 1;
    }
    assert!(read >= 3, "only {read} polls");
}

/// Votes as Mastodon and GoToSocial send them are read as votes (a `Note` with a `name`, in
/// reply to the poll, without text); ordinary replies are not.
#[test]
fn every_vote_is_read_as_a_vote_and_no_reply_is() {
    use agora_federation::activities::vote::vote_of;
    let mut votes = 0;
    for (path, value) in fixtures() {
        let file = name(&path);
        let Some(object) = value.get("object").filter(|o| o.is_object()) else {
            continue;
        };
        if kind(&value) != "Create" || kind(object) != "Note" {
            continue;
        }
        let is_vote_fixture = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("vote"));
        match vote_of(object) {
            Some(vote) => {
                assert!(is_vote_fixture, "{file}: a post read as a vote");
                assert!(!vote.name.is_empty() && vote.voter().is_some(), "{file}");
                votes += 1;
            }
            None => assert!(!is_vote_fixture, "{file}: a vote not read as one"),
        }
    }
    assert!(votes >= 2, "only {votes} votes");
}
