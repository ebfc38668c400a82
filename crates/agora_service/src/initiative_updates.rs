//! An initiative's updates: posts its organizers address to the group, which announces them
//! (and the replies in their threads) to its followers; pinned ones form `featured`.

use crate::{
    Context, ServiceError, ServiceResult,
    accounts::SignedIn,
    initiatives::{self, InitiativeDetails},
    posts::{self, Draft},
};
use agora_db::{
    actors::Actor,
    posts::{Page, Post},
};

/// An organizer publishes an update: a post by the organizer, addressed to the group.
pub async fn publish(
    ctx: &Context,
    who: &SignedIn,
    handle: &str,
    draft: Draft,
) -> ServiceResult<Post> {
    if draft.in_reply_to.is_some() {
        return Err(ServiceError::invalid(
            "in_reply_to",
            "an update starts a thread; reply to it as a post instead",
        ));
    }
    let details = initiatives::by_handle(ctx, handle).await?;
    initiatives::require_organizer(who, &details)?;
    posts::publish(ctx, &who.actor, draft, Some(details.actor.id)).await
}

/// The updates of an initiative (not the replies), newest first.
pub async fn list(
    ctx: &Context,
    details: &InitiativeDetails,
    page: Page,
) -> ServiceResult<Vec<(Post, Actor)>> {
    let group = details.actor.id;
    Ok(ctx
        .db
        .run(move |conn| agora_db::posts::by_group(conn, group, true, page))
        .await?)
}

/// The pinned updates of a group (its `featured` collection).
pub async fn pinned(ctx: &Context, group: &Actor) -> ServiceResult<Vec<(Post, Actor)>> {
    let group = group.id;
    Ok(ctx
        .db
        .run(move |conn| agora_db::posts::pinned_of_group(conn, group))
        .await?)
}

/// An organizer pins an update to the initiative's page (and `featured`), or unpins it;
/// returns the update and its author.
pub async fn pin(
    ctx: &Context,
    who: &SignedIn,
    handle: &str,
    post_id: i64,
    pinned: bool,
) -> ServiceResult<(Post, Actor)> {
    let details = initiatives::by_handle(ctx, handle).await?;
    initiatives::require_organizer(who, &details)?;
    let group = details.actor.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                match agora_db::posts::by_id(conn, post_id)? {
                    Some((post, author))
                        if post.group_id == Some(group)
                            && post.in_reply_to.is_none()
                            && post.deleted_at.is_none() =>
                    {
                        agora_db::posts::set_pinned(conn, post.id, pinned)?;
                        crate::events::actor_changed(conn, group)?;
                        Ok((agora_db::posts::row(conn, post.id)?, author))
                    }
                    _ => Err(ServiceError::not_found("update")),
                }
            })
        })
        .await
}
