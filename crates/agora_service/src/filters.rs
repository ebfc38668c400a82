//! What an account keeps out of its sight, as on Mastodon: an account it blocks (follows end
//! both ways, its follows are refused, its posts leave the home timeline), an account it mutes
//! (its posts leave the home timeline), a server it blocks (all of the above for everyone there).

use crate::{
    Context, ServiceError, ServiceResult,
    events::{self, FederationEvent},
};
use agora_db::{
    DbConn,
    account_filters::{self, BLOCK, DOMAIN_BLOCK, Filter, MUTE},
    actors::Actor,
    follows,
};

/// What an account can keep out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    /// An account, blocked.
    Block,
    /// An account, muted.
    Mute,
    /// A whole server, blocked.
    DomainBlock,
}

impl FilterKind {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterKind::Block => BLOCK,
            FilterKind::Mute => MUTE,
            FilterKind::DomainBlock => DOMAIN_BLOCK,
        }
    }
}

/// `actor` blocks `target`: their follows of each other end (the other server hears
/// `Undo{Follow}` of ours and `Reject{Follow}` of theirs, then `Block`, as Mastodon sends it).
pub async fn block(ctx: &Context, actor: &Actor, target: &Actor) -> ServiceResult<()> {
    not_self(actor, target)?;
    let (id, target) = (actor.id, target.clone());
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                let new = account_filters::set_on_account(conn, id, BLOCK, target.id, false)?;
                let target_id = target.id;
                end_follows(conn, id, std::slice::from_ref(&target))?;
                if new && !target.local {
                    events::queue(
                        conn,
                        &FederationEvent::Blocked {
                            actor_id: id,
                            target_id,
                        },
                    )?;
                }
                Ok(())
            })
        })
        .await
}

/// Another server's account blocks one of ours (its `Block`), as Mastodon takes it: our
/// account stops following it (`Undo{Follow}`), its follow of ours ends, and when ours moves,
/// it is told. Blocking again changes nothing.
pub async fn receive_block(ctx: &Context, blocker: &Actor, target: &Actor) -> ServiceResult<()> {
    if blocker.local || !target.local {
        return Err(ServiceError::forbidden(
            "a block of an account of this node",
        ));
    }
    not_self(blocker, target)?;
    let (blocker_id, target) = (blocker.id, target.clone());
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                account_filters::set_on_account(conn, blocker_id, BLOCK, target.id, false)?;
                if let Some(theirs) = follows::by_pair(conn, blocker_id, target.id)? {
                    follows::delete(conn, theirs.id)?;
                }
                if let Some(ours) = follows::by_pair(conn, target.id, blocker_id)? {
                    follows::delete(conn, ours.id)?;
                    events::queue(
                        conn,
                        &FederationEvent::FollowUndone {
                            follow_ap_id: ours.ap_id,
                            follower_id: target.id,
                            target_id: blocker_id,
                        },
                    )?;
                }
                Ok(())
            })
        })
        .await
}

/// Another server's account lifts its block of one of ours (its `Undo{Block}`).
pub async fn receive_unblock(ctx: &Context, blocker: &Actor, target: &Actor) -> ServiceResult<()> {
    let (blocker_id, target_id) = (blocker.id, target.id);
    ctx.db
        .run(move |conn| account_filters::remove_on_account(conn, blocker_id, BLOCK, target_id))
        .await?;
    Ok(())
}

/// `actor` mutes `target` (and its notifications too, when `hide_notifications`).
pub async fn mute(
    ctx: &Context,
    actor: &Actor,
    target: &Actor,
    hide_notifications: bool,
) -> ServiceResult<()> {
    not_self(actor, target)?;
    let (id, target_id) = (actor.id, target.id);
    ctx.db
        .run(move |conn| {
            account_filters::set_on_account(conn, id, MUTE, target_id, hide_notifications)
        })
        .await?;
    Ok(())
}

/// `actor` blocks a whole server: its follows with everyone there end.
pub async fn block_domain(ctx: &Context, actor: &Actor, domain: &str) -> ServiceResult<String> {
    let domain = crate::federation_policy::domain_field(ctx, domain)?;
    let (id, d) = (actor.id, domain.clone());
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                account_filters::set_on_domain(conn, id, &d)?;
                let there = follows::counterparts_on(conn, id, &d)?;
                end_follows(conn, id, &there)
            })
        })
        .await?;
    Ok(domain)
}

/// An account's filters of one kind: for accounts, each with the account.
pub async fn list(
    ctx: &Context,
    actor: &Actor,
    kind: FilterKind,
) -> ServiceResult<Vec<(Filter, Option<Actor>)>> {
    let id = actor.id;
    Ok(ctx
        .db
        .run(move |conn| -> agora_db::error::DbResult<_> {
            Ok(match kind {
                FilterKind::DomainBlock => account_filters::on_domains(conn, id)?
                    .into_iter()
                    .map(|f| (f, None))
                    .collect(),
                kind => account_filters::on_accounts(conn, id, kind.as_str())?
                    .into_iter()
                    .map(|(f, a)| (f, Some(a)))
                    .collect(),
            })
        })
        .await?)
}

/// Lifts one of the account's filters of a kind.
pub async fn lift(
    ctx: &Context,
    actor: &Actor,
    kind: FilterKind,
    filter_id: i64,
) -> ServiceResult<()> {
    let id = actor.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                let Some((_, target)) = account_filters::one(conn, id, kind.as_str(), filter_id)?
                else {
                    return Err(ServiceError::not_found("block or mute"));
                };
                account_filters::remove(conn, id, kind.as_str(), filter_id)?;
                if let Some(target) = target.filter(|t| !t.local && kind == FilterKind::Block) {
                    events::queue(
                        conn,
                        &FederationEvent::BlockLifted {
                            actor_id: id,
                            target_id: target.id,
                        },
                    )?;
                }
                Ok(())
            })
        })
        .await
}

/// Whether `actor` keeps `other` out by a block (of it or of its server): its follows are
/// refused.
pub(crate) fn blocks(conn: &mut DbConn, actor_id: i64, other: &Actor) -> ServiceResult<bool> {
    Ok(account_filters::blocks(conn, actor_id, other)?)
}

fn not_self(actor: &Actor, target: &Actor) -> ServiceResult<()> {
    if actor.id == target.id {
        return Err(ServiceError::invalid(
            "target",
            "this is the account itself",
        ));
    }
    Ok(())
}

/// Ends the follows between `actor_id` and each of `others`, both ways, telling their servers.
fn end_follows(conn: &mut DbConn, actor_id: i64, others: &[Actor]) -> ServiceResult<()> {
    for other in others {
        if let Some(ours) = follows::by_pair(conn, actor_id, other.id)? {
            follows::delete(conn, ours.id)?;
            if !other.local {
                events::queue(
                    conn,
                    &FederationEvent::FollowUndone {
                        follow_ap_id: ours.ap_id,
                        follower_id: actor_id,
                        target_id: other.id,
                    },
                )?;
            }
        }
        if let Some(theirs) = follows::by_pair(conn, other.id, actor_id)? {
            follows::delete(conn, theirs.id)?;
            if !other.local {
                events::queue(
                    conn,
                    &FederationEvent::FollowRejected {
                        follow_ap_id: theirs.ap_id,
                        follower_id: other.id,
                        target_id: actor_id,
                    },
                )?;
            }
        }
    }
    Ok(())
}
