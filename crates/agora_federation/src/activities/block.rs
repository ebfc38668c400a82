//! `Block`: an account blocks another, as Mastodon sends it to the blocked account's server.
//! Ours go out when an account here blocks another server's; theirs of an account here end
//! the follows between them and make sure the blocker hears of a move. `Undo{Block}` lifts it.

use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    objects::actor::DbActor,
    protocol::{
        activities::{Activity, ActivityKind},
        id_of,
    },
};
use agora_service::model::Actor;

/// The local account a `Block` (or the inline `Block` of an `Undo`) names, or a refusal.
async fn blocked(
    object: &serde_json::Value,
    data: &FederationData,
) -> Result<DbActor, FederationError> {
    let target = id_of(object)
        .and_then(|t| url::Url::parse(t).ok())
        .ok_or_else(|| {
            FederationError::refused(Reason::MalformedActivity, "Block without object")
        })?;
    super::local_actor(data, &target).await
}

/// Whether a `Block` is Lemmy's ban of a user from a community or a site (it names them in
/// `target`), a moderator's act on their server, not one account blocking another.
pub fn is_ban(block: &Activity) -> bool {
    !block.target.is_null()
}

/// Another server's account blocks an account here. A ban (Lemmy's) is acknowledged.
pub async fn receive(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    if is_ban(&activity) {
        return Ok(());
    }
    let target = blocked(&activity.object, data).await?;
    agora_service::filters::receive_block(data.app_data(), &actor.row, &target.row).await?;
    Ok(())
}

/// `Undo{Block}`: the block is lifted. The `Block` is inline, as Mastodon sends it; one given
/// by its id only names nothing we kept, and is acknowledged.
pub async fn receive_undo(
    activity: &Activity,
    actor: &DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    let Some(inner) = activity.object.get("object") else {
        return Ok(());
    };
    if activity.object.get("target").is_some_and(|t| !t.is_null()) {
        return Ok(());
    }
    let target = blocked(inner, data).await?;
    agora_service::filters::receive_unblock(data.app_data(), &actor.row, &target.row).await?;
    Ok(())
}

/// The `Block` of `target` by a local account, to the target.
pub fn block(id: &str, actor: &Actor, target: &Actor) -> Result<Activity, FederationError> {
    Ok(Activity::new(
        ActivityKind::Block,
        id,
        &actor.ap_id,
        serde_json::Value::String(target.ap_id.clone()),
        vec![target.ap_id.clone()],
    )?)
}

/// The `Undo{Block}` that lifts it, the `Block` inline (Mastodon reads the account it names).
pub fn undo_block(
    id: &str,
    block_id: &str,
    actor: &Actor,
    target: &Actor,
) -> Result<Activity, FederationError> {
    Ok(Activity::new(
        ActivityKind::Undo,
        id,
        &actor.ap_id,
        block(block_id, actor, target)?.to_value()?,
        vec![target.ap_id.clone()],
    )?)
}
