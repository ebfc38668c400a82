//! Actors as other servers name them: finding ours by their id or handle, and those we know.

use crate::{Context, ServiceError, ServiceResult};
use agora_db::actors::Actor;

/// One of our actors, by its ActivityPub id; `NotFound` for anyone else or a deleted one.
pub async fn local_by_ap_id(ctx: &Context, ap_id: &str) -> ServiceResult<Actor> {
    let key = ap_id.to_string();
    ctx.db
        .run(move |conn| agora_db::actors::by_ap_id(conn, &key))
        .await?
        .filter(|a| a.local && a.deleted_at.is_none())
        .ok_or_else(|| ServiceError::not_found("actor"))
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
