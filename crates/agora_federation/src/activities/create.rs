//! `Create{Note}`: a remote post.

use crate::{
    config::FederationData,
    error::FederationError,
    objects::{
        actor::DbActor,
        note::{POST_TYPES, from_note},
    },
    protocol::{activities::Incoming, note::Note},
};

/// Stores the post when someone here can see it: a local actor follows the author, or it
/// answers a local post. Other posts are acknowledged and dropped, so strangers cannot fill
/// the database.
pub async fn receive(
    activity: Incoming,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    store_note(activity, actor, data, true).await
}

/// Shared by `Create` and `Update`: parse, check authorship, and store or edit.
pub(crate) async fn store_note(
    activity: Incoming,
    actor: DbActor,
    data: &FederationData,
    is_create: bool,
) -> Result<(), FederationError> {
    if !activity
        .object_type()
        .is_some_and(|t| POST_TYPES.contains(&t))
    {
        return Ok(());
    }
    let note: Note = serde_json::from_value(activity.object.clone()).map_err(|e| {
        FederationError::refused(400, "malformed_object", format!("not a Note: {e}"))
    })?;
    if note.author() != Some(actor.row.ap_id.as_str()) {
        return Err(FederationError::refused(
            403,
            "author_mismatch",
            "attributedTo differs from the activity's actor",
        ));
    }
    let remote = from_note(&note);
    let (author_id, ap_id, parent) = (
        actor.row.id,
        remote.ap_id.clone(),
        remote.in_reply_to.clone(),
    );
    let urls = data.urls.clone();
    let wanted = data
        .db
        .run(move |conn| {
            let followed = agora_db::follows::has_local_follower(conn, author_id)?;
            let known = agora_db::posts::by_ap_id(conn, &ap_id)?.is_some();
            let answers_local = parent.as_deref().is_some_and(|p| urls.is_local(p));
            Ok::<_, agora_db::DbError>(followed || answers_local || (known && !is_create))
        })
        .await?;
    if wanted {
        agora_service::posts::store_remote(data.app_data(), &actor.row, remote).await?;
    }
    Ok(())
}
