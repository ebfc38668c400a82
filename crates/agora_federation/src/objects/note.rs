//! Posts as `Note`s, and received `Note`s as posts.

use crate::{
    error::FederationError,
    protocol::note::{Note, PUBLIC},
};
use agora_db::{actors::Actor, posts::Post};
use agora_service::posts::RemotePost;
use url::Url;

/// A local post as a `Note`, addressed publicly and to the author's followers, and to its
/// group (`audience`, and in `cc`) when it belongs to a group's thread.
pub fn to_note(post: &Post, author: &Actor, group: Option<&str>) -> Result<Note, FederationError> {
    let mut cc: Vec<String> = author.followers_url.iter().cloned().collect();
    cc.extend(group.map(str::to_string));
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
        cc,
        audience: group.map(|g| serde_json::Value::String(g.to_string())),
    })
}

/// A stored local post as a `Note`, its group looked up.
pub fn note_of(
    conn: &mut agora_db::DbConn,
    post: &Post,
    author: &Actor,
) -> Result<Note, FederationError> {
    let group = post
        .group_id
        .map(|g| agora_db::actors::by_id(conn, g))
        .transpose()?;
    to_note(post, author, group.as_ref().map(|g| g.ap_id.as_str()))
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
        // Shown as a link: only web addresses, never `javascript:` and the like.
        url: note
            .url_string()
            .filter(|u| Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))),
        published: note
            .published
            .map(|p| p.naive_utc())
            .unwrap_or_else(agora_db::now),
        updated: note.updated.map(|u| u.naive_utc()),
        group_id: None,
        activity: None,
    }
}
