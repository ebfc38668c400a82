//! Posts as `Note`s, and received `Note`s as posts.

use crate::{
    error::FederationError,
    protocol::note::{Note, PUBLIC},
};
use agora_db::{actors::Actor, posts::Post};
use agora_service::posts::RemotePost;
use url::Url;

/// A local post as a `Note`, addressed publicly and to the author's followers.
pub fn to_note(post: &Post, author: &Actor) -> Result<Note, FederationError> {
    Ok(Note {
        id: Url::parse(&post.ap_id)?,
        kind: "Note".into(),
        attributed_to: vec![serde_json::Value::String(author.ap_id.clone())],
        content: post.content.clone(),
        name: None,
        summary: post.spoiler_text.clone(),
        sensitive: post.spoiler_text.is_some(),
        in_reply_to: post.in_reply_to.as_deref().map(Url::parse).transpose()?,
        url: post.url.clone().map(serde_json::Value::String),
        published: Some(post.published.and_utc()),
        updated: post.updated.map(|u| u.and_utc()),
        to: vec![PUBLIC.into()],
        cc: author.followers_url.iter().cloned().collect(),
    })
}

/// Object types stored as posts. `Article` and `Page` keep their title above the text.
pub const POST_TYPES: &[&str] = &["Note", "Article", "Page", "Question"];

/// A received `Note` as a post to store (its HTML is sanitised by the service).
pub fn from_note(note: &Note) -> RemotePost {
    let content = match (&note.name, note.kind.as_str()) {
        (Some(title), "Article" | "Page") => {
            format!(
                "<p><strong>{}</strong></p>{}",
                agora_core::text::escape(title),
                note.content
            )
        }
        _ => note.content.clone(),
    };
    RemotePost {
        ap_id: note.id.to_string(),
        content,
        spoiler_text: note.summary.clone().filter(|s| !s.trim().is_empty()),
        in_reply_to: note.in_reply_to.as_ref().map(Url::to_string),
        url: note.url_string(),
        published: note
            .published
            .map(|p| p.naive_utc())
            .unwrap_or_else(agora_db::now),
        updated: note.updated.map(|u| u.naive_utc()),
    }
}
