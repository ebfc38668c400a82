//! Votes on petitions: a remote actor signs one of ours with Mastodon's poll vote
//! (`Create{Note}` with the option's `name`, in reply to the `Question`, no content), and
//! withdraws with `Undo` of it or `Delete` of its note; a user here signs another server's
//! petition the same way.

use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    objects::actor::DbActor,
    protocol::{
        activities::{Activity, ActivityKind},
        id_of,
        question::Vote,
    },
};
use agora_service::petitions::{OutgoingVote, RemoteVote};

/// The vote a `Create`'s object is, if it is one: a `Note` with a `name`, in reply to
/// something, without text.
pub fn vote_of(object: &serde_json::Value) -> Option<Vote> {
    if object.get("type").and_then(|t| t.as_str()) != Some("Note") || object.get("name").is_none() {
        return None;
    }
    let vote: Vote = serde_json::from_value(object.clone()).ok()?;
    vote.content
        .as_deref()
        .is_none_or(|c| c.trim().is_empty())
        .then_some(vote)
}

/// Counts the vote as a signature of its actor, when it answers one of our petitions. A vote
/// on anything else (a Mastodon poll we relay, say) is acknowledged and dropped.
pub async fn receive(
    vote: Vote,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    if vote.voter() != Some(actor.row.ap_id.as_str()) {
        return Err(FederationError::refused(
            Reason::AuthorMismatch,
            "the vote's attributedTo differs from the activity's actor",
        ));
    }
    if !data.urls.is_local(vote.in_reply_to.as_str()) {
        return Ok(());
    }
    let remote = RemoteVote {
        id: vote.id.to_string(),
        petition: vote.in_reply_to.to_string(),
        option: vote.name,
    };
    agora_service::petitions::receive_vote(data.app_data(), &actor.row, remote).await?;
    Ok(())
}

/// `Undo` of a vote: the signature is withdrawn. True when the object was a vote on one of
/// our petitions (otherwise the caller goes on with other kinds of `Undo`).
pub async fn receive_undo(
    activity: &Activity,
    actor: &DbActor,
    data: &FederationData,
) -> Result<bool, FederationError> {
    let undone = &activity.object;
    if undone.get("type").and_then(|t| t.as_str()) != Some("Create") {
        return Ok(false);
    }
    let note = undone.get("object").unwrap_or(&serde_json::Value::Null);
    let Some(vote_id) = id_of(note) else {
        return Ok(false);
    };
    let petition = note.get("inReplyTo").and_then(id_of);
    Ok(agora_service::petitions::receive_vote_withdrawal(
        data.app_data(),
        &actor.row,
        vote_id,
        petition,
    )
    .await?)
}

/// The vote a user here casts on another server's petition, to its author.
pub fn build(v: &OutgoingVote) -> Result<Activity, FederationError> {
    let (vote_id, voter, author) = (&v.id, &v.voter, &v.author);
    let vote = Vote {
        id: url::Url::parse(vote_id)?,
        kind: "Note".into(),
        name: v.petition.option_name.clone(),
        attributed_to: vec![serde_json::Value::String(voter.ap_id.clone())],
        in_reply_to: url::Url::parse(&v.petition.ap_id)?,
        to: vec![author.ap_id.clone()],
        content: None,
    };
    let id = format!("{vote_id}/activity");
    let create = Activity::new(
        ActivityKind::Create,
        &id,
        &voter.ap_id,
        serde_json::to_value(vote)?,
        vec![author.ap_id.clone()],
    )?;
    Ok(create)
}

/// The withdrawal of that vote: `Undo` of its `Create`, inline.
pub fn build_undo(v: &OutgoingVote) -> Result<Activity, FederationError> {
    let create = build(v)?;
    Ok(Activity::new(
        ActivityKind::Undo,
        &format!("{}/undo", v.id),
        &v.voter.ap_id,
        create.to_value()?,
        vec![v.author.ap_id.clone()],
    )?)
}
