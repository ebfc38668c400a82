//! What this node serves at its ActivityPub URLs that needs more than one row: a local post as
//! its `Note` (or `Tombstone`), an initiative's `Group` with its civic fields, outboxes and
//! pinned posts. The web edge routes and encodes; it reads nothing itself.

use crate::{
    FederationError,
    activities::{announce::announce_of_create, create::create_activity},
    objects::{
        actor::document_of,
        note::{note_of, to_note},
    },
    protocol::{context::with_context, note::Note},
};
use agora_db::{actors::Actor, posts};
use agora_service::Context;

/// A local post as other servers see it.
pub enum LocalPost {
    /// The post, as a `Note`.
    Live(Box<Note>),
    /// A deleted post: its id, to answer with a `Tombstone`.
    Gone(String),
}

/// The local post with this row id, if there is one.
pub async fn post(ctx: &Context, id: i64) -> Result<Option<LocalPost>, FederationError> {
    ctx.db
        .run(move |conn| {
            let Some((post, author)) = posts::by_id(conn, id)?.filter(|(p, _)| p.local) else {
                return Ok(None);
            };
            // Removed by a moderator reads as deleted to other servers.
            if post.deleted_at.is_some() || post.is_hidden() || author.is_removed() {
                return Ok(Some(LocalPost::Gone(post.ap_id)));
            }
            Ok(Some(LocalPost::Live(Box::new(note_of(
                conn, &post, &author,
            )?))))
        })
        .await
}

/// The full document of one of our initiatives' groups, with `@context`.
pub async fn group(ctx: &Context, actor: Actor) -> Result<serde_json::Value, FederationError> {
    ctx.db
        .run(move |conn| -> Result<_, FederationError> {
            Ok(with_context(serde_json::to_value(document_of(
                conn, &actor,
            )?)?))
        })
        .await
}

/// How many items an actor's outbox holds: a person's posts, a group's announced updates.
pub async fn outbox_total(ctx: &Context, actor: &Actor) -> Result<i64, FederationError> {
    let (id, is_group) = (actor.id, actor.is_group());
    Ok(ctx
        .db
        .run(move |conn| {
            if is_group {
                posts::count_by_group(conn, id)
            } else {
                posts::count_by_author(conn, id)
            }
        })
        .await?)
}

/// One page of an actor's outbox, newest first, before the post row `before`: a person's
/// posts as `Create`s, a group's as its `Announce`s of them. Also gives the cursor of the
/// next page when this one is full.
pub async fn outbox_page(
    ctx: &Context,
    actor: Actor,
    before: Option<i64>,
    limit: i64,
) -> Result<(Vec<serde_json::Value>, Option<i64>), FederationError> {
    let is_group = actor.is_group();
    let wanted = posts::Page {
        max_id: before,
        limit,
    };
    ctx.db
        .run(move |conn| -> Result<_, FederationError> {
            let rows = if is_group {
                posts::by_group(conn, actor.id, true, wanted)?
            } else {
                posts::by_author(conn, actor.id, wanted)?
                    .into_iter()
                    .map(|p| (p, actor.clone()))
                    .collect()
            };
            let next = (rows.len() as i64 == limit)
                .then(|| rows.last().map(|(p, _)| p.id))
                .flatten();
            let mut items = Vec::with_capacity(rows.len());
            for (post, author) in &rows {
                // A group's posts are in its own thread: no lookup of the group per post.
                let note = if is_group {
                    to_note(post, author, Some(&actor.ap_id))?
                } else {
                    note_of(conn, post, author)?
                };
                let create = create_activity(post, author, serde_json::to_value(note)?)?;
                let item = if is_group {
                    announce_of_create(&actor, post, create.to_value()?)?
                } else {
                    create
                };
                items.push(serde_json::to_value(item)?);
            }
            Ok((items, next))
        })
        .await
}

/// A group's pinned updates as `Note`s (Mastodon shows them on the group's profile).
pub async fn featured(
    ctx: &Context,
    group: &Actor,
) -> Result<Vec<serde_json::Value>, FederationError> {
    let (id, ap_id) = (group.id, group.ap_id.clone());
    ctx.db
        .run(move |conn| -> Result<_, FederationError> {
            let mut items = Vec::new();
            for (post, author) in posts::pinned_of_group(conn, id)? {
                items.push(serde_json::to_value(to_note(
                    &post,
                    &author,
                    Some(&ap_id),
                )?)?);
            }
            Ok(items)
        })
        .await
}
