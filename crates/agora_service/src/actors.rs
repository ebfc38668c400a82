//! Actors as other servers name them: finding ours by their id, and forgetting a remote actor
//! that its server deleted.

use crate::{Context, ServiceError, ServiceResult};
use agora_db::{actors::Actor, follows, posts};

/// One of our actors, by its ActivityPub id; `NotFound` for anyone else or a deleted one.
pub async fn local_by_ap_id(ctx: &Context, ap_id: &str) -> ServiceResult<Actor> {
    let key = ap_id.to_string();
    ctx.db
        .run(move |conn| agora_db::actors::by_ap_id(conn, &key))
        .await?
        .filter(|a| a.local && a.deleted_at.is_none())
        .ok_or_else(|| ServiceError::not_found("actor"))
}

/// A remote actor deleted itself (`Delete{Person}`): it is marked deleted, its posts become
/// tombstones, and its follows either way end, in one transaction. Its row stays, so that
/// activities still naming it are recognised and refused.
pub async fn delete_remote(ctx: &Context, actor: &Actor) -> ServiceResult<()> {
    if actor.local {
        return Err(ServiceError::not_found("actor"));
    }
    let id = actor.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                agora_db::actors::mark_deleted(conn, id)?;
                for post in posts::live_ids_by_author(conn, id)? {
                    posts::mark_deleted(conn, post)?;
                }
                follows::delete_all_of(conn, id)?;
                Ok(())
            })
        })
        .await
}

/// One of our accounts or groups by its handle (deleted ones too: the caller decides).
pub async fn local_by_username(ctx: &Context, username: &str) -> ServiceResult<Option<Actor>> {
    let name = username.to_string();
    Ok(ctx
        .db
        .run(move |conn| agora_db::actors::local_by_username(conn, &name))
        .await?)
}

/// An actor this node already knows, by `@name@host` or by its id; nothing is fetched.
pub async fn known(ctx: &Context, acct_or_id: &str) -> ServiceResult<Option<Actor>> {
    let key = acct_or_id.to_string();
    let is_url = key.starts_with("http://") || key.starts_with("https://");
    Ok(ctx
        .db
        .run(move |conn| match agora_core::handle::parse_acct(&key) {
            Some((name, host)) if !is_url => agora_db::actors::by_username_domain(conn, name, host),
            _ => agora_db::actors::by_ap_id(conn, &key),
        })
        .await?
        .filter(|a| a.deleted_at.is_none()))
}
