//! Erasing an actor: the rows that name it go, or forget it where they must outlive it
//! (a signature on a closed petition, a report in the year's figures). The service decides
//! what goes in which order, in one transaction; these are its steps.

use crate::{
    DbConn,
    error::DbResult,
    schema::{
        actors, exports, initiatives, interactions, jobs, labels, petition_signatures, petitions,
        posts, rate_limits, received_activities, reports, users,
    },
};
use diesel::prelude::*;

/// What a report about an erased actor names instead of it.
pub const ERASED: &str = "urn:agora:erased";

/// What an actor wrote here: its posts (deleted ones too) and petitions.
#[derive(Debug, Default)]
pub struct Written {
    /// The ids of its posts.
    pub notes: Vec<String>,
    /// Its petitions: row id and ActivityPub id.
    pub petitions: Vec<(i64, String)>,
}

/// Everything an actor wrote here.
pub fn written_by(conn: &mut DbConn, actor_id: i64) -> DbResult<Written> {
    Ok(Written {
        notes: posts::table
            .filter(posts::author_id.eq(actor_id))
            .select(posts::ap_id)
            .load(conn)?,
        petitions: petitions::table
            .filter(petitions::author_id.eq(actor_id))
            .select((petitions::id, petitions::ap_id))
            .load(conn)?,
    })
}

/// Signatures of an actor keep their commitment and place in the log but no longer say whose
/// they were, nor from which address.
pub fn anonymise_signatures(conn: &mut DbConn, actor_id: i64) -> DbResult<usize> {
    Ok(diesel::update(
        petition_signatures::table.filter(petition_signatures::signer_id.eq(actor_id)),
    )
    .set((
        petition_signatures::signer_id.eq(None::<i64>),
        petition_signatures::show_name.eq(false),
        petition_signatures::client_addr.eq(None::<String>),
    ))
    .execute(conn)?)
}

/// Reports about the actor or its objects keep their category, decision and times (the
/// yearly figures count them) but no longer name it nor hold a copy of what it wrote.
pub fn forget_in_reports(conn: &mut DbConn, actor_ap_id: &str, actor_id: i64) -> DbResult<usize> {
    let about = reports::target_actor_id
        .eq(actor_id)
        .or(reports::target_ap_id.eq(actor_ap_id));
    Ok(diesel::update(reports::table.filter(about))
        .set((
            reports::target_actor_id.eq(None::<i64>),
            reports::target_ap_id.eq(ERASED),
            reports::objects.eq("[]"),
            reports::snapshot.eq("{}"),
            reports::flag.eq(None::<String>),
        ))
        .execute(conn)?)
}

/// Labels and recorded interactions on the given objects go with them.
pub fn drop_signage(conn: &mut DbConn, objects: &[String]) -> DbResult<()> {
    for chunk in objects.chunks(500) {
        diesel::delete(labels::table.filter(labels::target_ap_id.eq_any(chunk))).execute(conn)?;
        diesel::delete(interactions::table.filter(interactions::object_ap_id.eq_any(chunk)))
            .execute(conn)?;
    }
    Ok(())
}

/// Pending jobs whose payload names `needle` (an actor's id, an e-mail address): deliveries
/// signed by an erased actor, mails to it. Gives how many went.
pub fn drop_jobs_naming(conn: &mut DbConn, needle: &str) -> DbResult<usize> {
    if needle.is_empty() {
        return Ok(0);
    }
    // Neither `%` nor `_` is special in what follows: a needle holding them matches more
    // jobs than it names, never fewer, and the ones it names are checked below.
    let pattern = format!("%{needle}%");
    let candidates: Vec<(i64, String)> = jobs::table
        .filter(jobs::payload.like(&pattern))
        .select((jobs::id, jobs::payload))
        .load(conn)?;
    let ids: Vec<i64> = candidates
        .into_iter()
        .filter(|(_, payload)| payload.contains(needle))
        .map(|(id, _)| id)
        .collect();
    for chunk in ids.chunks(500) {
        diesel::delete(jobs::table.filter(jobs::id.eq_any(chunk))).execute(conn)?;
    }
    Ok(ids.len())
}

/// The record of activities received from the actor (their ids start with its id, as
/// Mastodon and Agora make them), kept to refuse replays: an erased actor's are not replayed.
pub fn forget_activities_of(conn: &mut DbConn, actor_ap_id: &str) -> DbResult<()> {
    let ids: Vec<String> = received_activities::table
        .filter(received_activities::ap_id.like(format!("{actor_ap_id}%")))
        .select(received_activities::ap_id)
        .load(conn)?;
    let ids: Vec<String> = ids
        .into_iter()
        .filter(|id| id.starts_with(actor_ap_id))
        .collect();
    for chunk in ids.chunks(500) {
        diesel::delete(received_activities::table.filter(received_activities::ap_id.eq_any(chunk)))
            .execute(conn)?;
    }
    Ok(())
}

/// Rate-limit counters kept per account (login failures, known addresses).
pub fn drop_limits_of(conn: &mut DbConn, prefixes: &[String]) -> DbResult<()> {
    for prefix in prefixes {
        diesel::delete(rate_limits::table.filter(rate_limits::key.like(format!("{prefix}%"))))
            .execute(conn)?;
    }
    Ok(())
}

/// Where the actor's user left a mark that is not theirs (an initiative they founded, an
/// account kind they confirmed): the mark stays, unsigned.
pub fn unsign_marks(conn: &mut DbConn, actor_id: i64, user_id: Option<i64>) -> DbResult<()> {
    diesel::update(actors::table.filter(actors::kind_set_by.eq(actor_id)))
        .set(actors::kind_set_by.eq(None::<i64>))
        .execute(conn)?;
    if let Some(user_id) = user_id {
        diesel::update(initiatives::table.filter(initiatives::created_by.eq(user_id)))
            .set(initiatives::created_by.eq(None::<i64>))
            .execute(conn)?;
    }
    Ok(())
}

/// The export files of a user, to remove from disk once the rows are gone.
pub fn export_files_of(conn: &mut DbConn, user_id: i64) -> DbResult<Vec<String>> {
    Ok(exports::table
        .filter(exports::user_id.eq(user_id))
        .filter(exports::file.is_not_null())
        .select(exports::file.assume_not_null())
        .load(conn)?)
}

/// Whether another actor shows this picture (avatar or header).
pub fn picture_shared(conn: &mut DbConn, url: &str, actor_id: i64) -> DbResult<bool> {
    let n: i64 = actors::table
        .filter(actors::id.ne(actor_id))
        .filter(actors::icon_url.eq(url).or(actors::image_url.eq(url)))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Deletes the actor's row; its account, sessions, tokens, exports, posts, petitions,
/// follows, memberships and interactions go with it (the schema's cascades).
pub fn delete_actor(conn: &mut DbConn, actor_id: i64) -> DbResult<()> {
    // A remote group's posts keep the posts of others, no longer addressed to it.
    diesel::update(posts::table.filter(posts::group_id.eq(actor_id)))
        .set(posts::group_id.eq(None::<i64>))
        .execute(conn)?;
    diesel::delete(users::table.filter(users::actor_id.eq(actor_id))).execute(conn)?;
    diesel::delete(actors::table.find(actor_id)).execute(conn)?;
    Ok(())
}

/// Every inbox of another server this node knows (shared ones where they have them), one per
/// address: where a deleted account may have been copied to.
pub fn known_inboxes(conn: &mut DbConn) -> DbResult<Vec<String>> {
    let rows: Vec<(String, Option<String>)> = actors::table
        .filter(actors::local.eq(false))
        .filter(actors::deleted_at.is_null())
        .select((actors::inbox, actors::shared_inbox))
        .load(conn)?;
    Ok(crate::actors::one_inbox_each(rows))
}
