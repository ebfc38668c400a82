//! Following: asking, answering, undoing — between local actors, or with remote ones.

use crate::{
    Context, ServiceError, ServiceResult,
    events::{self, FederationEvent},
};
use agora_core::ErrorKind;
use agora_db::{
    actors::Actor,
    follows::{self, ACCEPTED, Follow, PENDING},
};

/// A local actor follows `target` (local or remote). Following twice returns the first follow.
pub async fn follow(ctx: &Context, follower: &Actor, target: &Actor) -> ServiceResult<Follow> {
    if follower.id == target.id {
        return Err(ServiceError::invalid(
            "target",
            "you cannot follow yourself",
        ));
    }
    if target.deleted_at.is_some() || target.is_removed() {
        return Err(ServiceError::not_found("account"));
    }
    let ap_id = ctx
        .urls
        .activity("follow", &uuid::Uuid::new_v4().to_string());
    let (follower_id, target_id, target_local) = (follower.id, target.id, target.local);
    // A local target answers at once unless it approves followers by hand (a limited account
    // always does).
    let state =
        if target_local && !target.manually_approves_followers && target.limited_at.is_none() {
            ACCEPTED
        } else {
            PENDING
        };
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let (row, created) =
                    follows::insert_or_get(conn, &ap_id, follower_id, target_id, state)?;
                if created && !target_local {
                    events::queue(
                        conn,
                        &FederationEvent::FollowRequested { follow_id: row.id },
                    )?;
                }
                Ok(row)
            })
        })
        .await
}

/// A remote actor asked to follow a local one (inbox `Follow`). Accepts at once unless the local
/// actor approves by hand; a repeated `Follow` of an accepted pair is answered again, since the
/// remote side may have lost the first `Accept`.
pub async fn receive_follow(
    ctx: &Context,
    follower: &Actor,
    target: &Actor,
    follow_ap_id: &str,
) -> ServiceResult<Follow> {
    if !target.local || target.deleted_at.is_some() || target.is_removed() {
        return Err(ServiceError::not_found("account"));
    }
    // A limited account's new followers, and followers from silenced servers, wait for its
    // approval.
    let manual = target.manually_approves_followers
        || target.limited_at.is_some()
        || ctx.federation_policy().has(
            &follower.domain,
            agora_core::federation_policy::DomainPolicy::Silence,
        );
    let group = target.is_group();
    let follower = follower.clone();
    let (ap_id, follower_id, target_id) = (follow_ap_id.to_string(), follower.id, target.id);
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                // Blocked, by account or by server: refused, as Mastodon refuses it.
                if crate::filters::blocks(conn, target_id, &follower)? {
                    return Err(ServiceError::forbidden("this account blocks you"));
                }
                let (row, _) =
                    follows::insert_or_get(conn, &ap_id, follower_id, target_id, PENDING)?;
                if group {
                    // What its server runs decides the form of the group's announces to it.
                    crate::instances::probe_if_unknown(conn, &follower)?;
                }
                if manual && row.state == PENDING {
                    return Ok(row);
                }
                if row.state != ACCEPTED {
                    follows::set_state(conn, row.id, ACCEPTED)?;
                }
                events::queue(conn, &FederationEvent::FollowAccepted { follow_id: row.id })?;
                Ok(Follow {
                    state: ACCEPTED.into(),
                    ..row
                })
            })
        })
        .await
}

/// A local actor answers a pending follow request.
pub async fn answer_request(
    ctx: &Context,
    target: &Actor,
    follow_id: i64,
    accept: bool,
) -> ServiceResult<()> {
    let target_id = target.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let row = follows::by_id(conn, follow_id)?
                    .filter(|f| f.target_id == target_id && f.state == PENDING)
                    .ok_or_else(|| ServiceError::not_found("follow request"))?;
                let follower = agora_db::actors::by_id(conn, row.follower_id)?;
                if accept {
                    follows::set_state(conn, row.id, ACCEPTED)?;
                    if !follower.local {
                        events::queue(
                            conn,
                            &FederationEvent::FollowAccepted { follow_id: row.id },
                        )?;
                    }
                } else {
                    follows::delete(conn, row.id)?;
                    if !follower.local {
                        events::queue(
                            conn,
                            &FederationEvent::FollowRejected {
                                follow_ap_id: row.ap_id,
                                follower_id: row.follower_id,
                                target_id,
                            },
                        )?;
                    }
                }
                Ok(())
            })
        })
        .await
}

/// A remote actor accepted a local actor's follow (inbox `Accept`). `follow_ap_id` is the id of
/// the accepted `Follow` when the sender gave it; otherwise the pair decides.
pub async fn receive_accept(
    ctx: &Context,
    accepter: &Actor,
    follow_ap_id: Option<&str>,
    follower: Option<&str>,
) -> ServiceResult<()> {
    let row = find_outgoing(ctx, accepter, follow_ap_id, follower).await?;
    let (id, was_pending) = (row.id, row.state == PENDING);
    // A group just followed: read what it announced lately, as Lemmy does.
    let backfill = (was_pending && accepter.is_group() && !accepter.local).then_some(accepter.id);
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                follows::set_state(conn, id, ACCEPTED)?;
                if let Some(group) = backfill {
                    events::queue_backfill(conn, group)?;
                }
                Ok(())
            })
        })
        .await
}

/// A remote actor refused (or removed) a local follower (inbox `Reject`).
pub async fn receive_reject(
    ctx: &Context,
    rejecter: &Actor,
    follow_ap_id: Option<&str>,
    follower: Option<&str>,
) -> ServiceResult<()> {
    let row = find_outgoing(ctx, rejecter, follow_ap_id, follower).await?;
    let id = row.id;
    Ok(ctx.db.run(move |conn| follows::delete(conn, id)).await?)
}

/// The follow an answer is about: by the id of the `Follow` when given, else by the pair of
/// the answering actor and the follower it names (one of ours).
async fn find_outgoing(
    ctx: &Context,
    target: &Actor,
    follow_ap_id: Option<&str>,
    follower: Option<&str>,
) -> ServiceResult<Follow> {
    let (target_id, ap_id, follower) = (
        target.id,
        follow_ap_id.map(str::to_string),
        follower.map(str::to_string),
    );
    let row = ctx
        .db
        .run(move |conn| {
            if let Some(ap_id) = &ap_id
                && let Some(row) = follows::by_ap_id(conn, ap_id)?
            {
                return Ok(Some(row));
            }
            let follower = match follower {
                Some(id) => agora_db::actors::by_ap_id(conn, &id)?.filter(|a| a.local),
                None => None,
            };
            match follower {
                Some(f) => follows::by_pair(conn, f.id, target_id),
                None => Ok(None),
            }
        })
        .await?;
    match row {
        Some(row) if row.target_id == target_id => Ok(row),
        Some(_) => Err(ServiceError::new(
            ErrorKind::Forbidden,
            "only the followed actor can answer a follow",
        )),
        None => Err(ServiceError::not_found("follow")),
    }
}

/// A local actor stops following; a remote target hears `Undo{Follow}`.
pub async fn unfollow(ctx: &Context, follower: &Actor, follow_id: i64) -> ServiceResult<()> {
    let follower_id = follower.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let row = follows::by_id(conn, follow_id)?
                    .filter(|f| f.follower_id == follower_id)
                    .ok_or_else(|| ServiceError::not_found("follow"))?;
                let target = agora_db::actors::by_id(conn, row.target_id)?;
                follows::delete(conn, row.id)?;
                if !target.local {
                    events::queue(
                        conn,
                        &FederationEvent::FollowUndone {
                            follow_ap_id: row.ap_id,
                            follower_id,
                            target_id: target.id,
                        },
                    )?;
                }
                Ok(())
            })
        })
        .await
}

/// The undone follow names its target (Mastodon sends the `Follow` inline), or only the id of
/// the `Follow` (as some servers do).
pub enum UndoneFollow {
    /// The followed actor's id.
    Target(String),
    /// The id of the `Follow`.
    Follow(String),
}

/// A remote follower stopped following (inbox `Undo{Follow}`). Unknown follows are fine.
pub async fn receive_undo_follow(
    ctx: &Context,
    follower: &Actor,
    undone: UndoneFollow,
) -> ServiceResult<()> {
    let follower_id = follower.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                let row = match undone {
                    UndoneFollow::Follow(ap_id) => follows::by_ap_id(conn, &ap_id)?,
                    UndoneFollow::Target(ap_id) => {
                        match agora_db::actors::by_ap_id(conn, &ap_id)? {
                            Some(target) if target.local => {
                                follows::by_pair(conn, follower_id, target.id)?
                            }
                            _ => return Err(ServiceError::not_found("account")),
                        }
                    }
                };
                if let Some(row) = row.filter(|r| r.follower_id == follower_id) {
                    follows::delete(conn, row.id)?;
                }
                Ok(())
            })
        })
        .await
}

/// The follow of `target` by `follower`, if any (pending or accepted).
pub async fn between(
    ctx: &Context,
    follower: &Actor,
    target: &Actor,
) -> ServiceResult<Option<Follow>> {
    let (f, t) = (follower.id, target.id);
    Ok(ctx.db.run(move |conn| follows::by_pair(conn, f, t)).await?)
}

/// Whether someone here follows this actor (a remote group's announces are taken only then).
pub async fn followed_here(ctx: &Context, actor: &Actor) -> ServiceResult<bool> {
    let id = actor.id;
    Ok(ctx
        .db
        .run(move |conn| follows::has_local_follower(conn, id))
        .await?)
}

/// Which side of an actor's follows a collection lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Those who follow the actor.
    Followers,
    /// Those the actor follows.
    Following,
}

/// How many accepted follows an actor has on one side.
pub async fn count(ctx: &Context, actor: &Actor, side: Side) -> ServiceResult<i64> {
    let id = actor.id;
    Ok(ctx
        .db
        .run(move |conn| match side {
            Side::Followers => follows::count_followers(conn, id),
            Side::Following => follows::count_following(conn, id),
        })
        .await?)
}

/// One page of an actor's accepted follows on one side, oldest first, after the follow row
/// `after`; each with the actor at the other end.
pub async fn page(
    ctx: &Context,
    actor: &Actor,
    side: Side,
    after: i64,
    limit: i64,
) -> ServiceResult<Vec<(Follow, Actor)>> {
    let id = actor.id;
    Ok(ctx
        .db
        .run(move |conn| match side {
            Side::Followers => follows::followers(conn, id, after, limit),
            Side::Following => follows::following(conn, id, after, limit),
        })
        .await?)
}

/// The actors someone follows or asked to follow, each with its follow.
pub async fn outgoing(ctx: &Context, follower: &Actor) -> ServiceResult<Vec<(Follow, Actor)>> {
    let id = follower.id;
    Ok(ctx.db.run(move |conn| follows::outgoing(conn, id)).await?)
}

/// The follow requests waiting for an actor's answer, each with who asks.
pub async fn requests(ctx: &Context, target: &Actor) -> ServiceResult<Vec<(Follow, Actor)>> {
    let id = target.id;
    Ok(ctx
        .db
        .run(move |conn| follows::pending_for(conn, id))
        .await?)
}
