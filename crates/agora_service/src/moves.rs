//! Moving an account or an initiative to another address, as Mastodon does it.
//!
//! The new account first lists the old one among its aliases (`alsoKnownAs`); then the old one
//! moves: it names the new one in `movedTo`, and a `Move` goes to its followers' servers, where
//! each follower follows the new account instead (a follow request when it is locked). Here the
//! same happens for the followers on this node, whichever side moved: our account moving away,
//! or another server's account whose `Move` we received. Limits are Mastodon's: one move per 30
//! days, and a repeated `Move` of the same account is ignored for 7 days.

use crate::{
    Context, ServiceError, ServiceResult,
    accounts::SignedIn,
    events::{self, FederationEvent},
};
use agora_core::ErrorKind;
use agora_db::actors::{self, Actor};
use chrono::TimeDelta;

/// An account or initiative moves at most this often.
pub const MOVE_EVERY: TimeDelta = TimeDelta::days(30);
/// Another server's `Move` of an account that moved to the same place this recently is ignored.
pub const REPEAT_IGNORED: TimeDelta = TimeDelta::days(7);
/// Most aliases an actor lists.
pub const MAX_ALIASES: usize = 10;

/// Sets the signed-in account's aliases: the accounts it was, elsewhere, that may move here.
/// The caller resolved each (they exist, and are not this account).
pub async fn set_aliases(ctx: &Context, who: &SignedIn, aliases: &[Actor]) -> ServiceResult<Actor> {
    set_aliases_of(ctx, &who.actor, aliases).await
}

/// Sets an initiative's aliases (organizers only).
pub async fn set_initiative_aliases(
    ctx: &Context,
    who: &SignedIn,
    handle: &str,
    aliases: &[Actor],
) -> ServiceResult<Actor> {
    let details = crate::initiatives::by_handle(ctx, handle).await?;
    crate::initiatives::require_organizer(who, &details)?;
    set_aliases_of(ctx, &details.actor, aliases).await
}

async fn set_aliases_of(ctx: &Context, actor: &Actor, aliases: &[Actor]) -> ServiceResult<Actor> {
    if aliases.len() > MAX_ALIASES {
        return Err(ServiceError::invalid(
            "also_known_as",
            format!("at most {MAX_ALIASES} aliases"),
        ));
    }
    if aliases.iter().any(|a| a.id == actor.id) {
        return Err(ServiceError::invalid(
            "also_known_as",
            "an account cannot be its own alias",
        ));
    }
    let mut ids: Vec<&str> = aliases.iter().map(|a| a.ap_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let list = serde_json::to_string(&ids).map_err(ServiceError::internal)?;
    let id = actor.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<Actor> {
                let actor = actors::set_aliases(conn, id, &list)?;
                events::actor_changed(conn, id)?;
                Ok(actor)
            })
        })
        .await
}

/// The signed-in account moves to `target`, which the caller fetched afresh from its server.
pub async fn move_account(ctx: &Context, who: &SignedIn, target: &Actor) -> ServiceResult<Actor> {
    move_local(ctx, &who.actor, target, false).await
}

/// An initiative moves to `target` (organizers only).
pub async fn move_initiative(
    ctx: &Context,
    who: &SignedIn,
    handle: &str,
    target: &Actor,
) -> ServiceResult<Actor> {
    let details = crate::initiatives::by_handle(ctx, handle).await?;
    crate::initiatives::require_organizer(who, &details)?;
    if !target.is_group() {
        return Err(ServiceError::invalid(
            "target",
            "an initiative moves to a group",
        ));
    }
    move_local(ctx, &details.actor, target, true).await
}

/// Moves a local actor; an initiative's open petitions stop taking signatures here.
async fn move_local(
    ctx: &Context,
    actor: &Actor,
    target: &Actor,
    initiative: bool,
) -> ServiceResult<Actor> {
    if target.id == actor.id {
        return Err(ServiceError::invalid(
            "target",
            "this is the account itself",
        ));
    }
    if !lists_alias(target, &actor.ap_id) {
        return Err(ServiceError::invalid(
            "target",
            "the new account must first list this one among its aliases (also known as)",
        ));
    }
    if let Some(at) = actor.moved_at
        && agora_db::now() - at < MOVE_EVERY
    {
        return Err(ServiceError::new(
            ErrorKind::RateLimited,
            "one move per 30 days",
        ));
    }
    let (id, to) = (actor.id, target.ap_id.clone());
    let (moved, frozen) = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let moved = actors::set_moved(conn, id, &to)?;
                let frozen = if initiative {
                    crate::initiative_moves::freeze_petitions(conn, id)?
                } else {
                    Vec::new()
                };
                events::queue(conn, &FederationEvent::ActorMoved { actor_id: id })?;
                Ok((moved, frozen))
            })
        })
        .await?;
    for petition_id in frozen {
        ctx.petition_views.changed(petition_id);
    }
    carry_followers(ctx, &moved, target).await?;
    Ok(moved)
}

/// Another server's actor moved (its `Move`, whose target the caller fetched afresh). Gives
/// whether anything was done: a target that does not list the actor among its aliases is
/// refused, a repeat within [`REPEAT_IGNORED`] ignored.
pub async fn receive_move(ctx: &Context, actor: &Actor, target: &Actor) -> ServiceResult<bool> {
    if actor.local || target.id == actor.id {
        return Err(ServiceError::forbidden("not a move of this actor"));
    }
    if !lists_alias(target, &actor.ap_id) {
        return Err(ServiceError::forbidden(
            "the target does not list the actor among its aliases (alsoKnownAs)",
        ));
    }
    if let Some(at) = actor.moved_at
        && actor.moved_to.as_deref() == Some(target.ap_id.as_str())
        && agora_db::now() - at < REPEAT_IGNORED
    {
        return Ok(false);
    }
    let (id, to) = (actor.id, target.ap_id.clone());
    let moved = ctx
        .db
        .run(move |conn| actors::set_moved(conn, id, &to))
        .await?;
    carry_followers(ctx, &moved, target).await?;
    Ok(true)
}

/// The followers on this node of `old` follow `new` instead (it answers as it would any
/// follow: at once, or later when it approves by hand), and stop following `old`; who blocked
/// or muted `old` here blocks or mutes `new`.
async fn carry_followers(ctx: &Context, old: &Actor, new: &Actor) -> ServiceResult<()> {
    let (old_id, new_id) = (old.id, new.id);
    let followers = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> agora_db::error::DbResult<_> {
                agora_db::account_filters::carry_over(conn, old_id, new_id)?;
                agora_db::follows::local_followers(conn, old_id)
            })
        })
        .await?;
    for (follow, follower) in followers {
        if follower.id == new.id {
            continue;
        }
        crate::follows::follow(ctx, &follower, new).await?;
        crate::follows::unfollow(ctx, &follower, follow.id).await?;
    }
    Ok(())
}

fn lists_alias(target: &Actor, id: &str) -> bool {
    target.aliases().iter().any(|a| a == id)
}
