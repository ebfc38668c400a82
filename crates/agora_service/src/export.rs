//! Exports: an account asks for an archive of its data; a background job (in the database
//! queue, so it survives restarts) builds it under `{data_dir}/exports`, moving its progress
//! along; the account downloads it when it is ready. The archive's layout is Mastodon's, plus
//! the civic data (`agora_federation::archive` writes it, from what [`contents`] gathers).

use crate::{
    Context, ServiceError, ServiceResult,
    accounts::SignedIn,
    jobs::{self, Job, JobKind},
    petitions::Receipt,
};
use agora_core::ErrorKind;
use agora_db::{
    DbConn,
    actors::Actor,
    exports::{self, Export},
    follows::Follow,
    initiatives::Initiative,
    petitions::Petition,
    reports::Report,
    users::User,
};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Where an export stands.
pub mod status {
    /// Waiting for the worker.
    pub const QUEUED: &str = "queued";
    /// Being written.
    pub const BUILDING: &str = "building";
    /// Ready to download.
    pub const READY: &str = "ready";
    /// It could not be built (the reason is kept).
    pub const FAILED: &str = "failed";
}

/// How soon an account may ask for another archive after the last one (Mastodon: 7 days).
pub const EVERY: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// The job that builds an export.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildExport {
    /// The export's row id.
    pub export_id: i64,
}

impl Job for BuildExport {
    const KIND: JobKind = JobKind::BuildExport;
    const MAX_ATTEMPTS: i32 = 5;
}

/// The folder of the archives.
pub fn folder(ctx: &Context) -> PathBuf {
    ctx.config.data_dir.join("exports")
}

/// Asks for an archive: a new one, unless one is being built (that one), or one was asked for
/// less than [`EVERY`] ago (429).
pub async fn request(ctx: &Context, who: &SignedIn) -> ServiceResult<Export> {
    request_of(ctx, who, None).await
}

/// Asks for the archive of the account, or of an initiative it organizes (the caller checked),
/// under the same rules as [`request`].
pub(crate) async fn request_of(
    ctx: &Context,
    who: &SignedIn,
    initiative_id: Option<i64>,
) -> ServiceResult<Export> {
    let user_id = who.user.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<Export> {
                let last = match initiative_id {
                    None => exports::of_user(conn, user_id, 1)?,
                    Some(initiative) => exports::of_initiative(conn, user_id, initiative, 1)?,
                };
                if let Some(last) = last.into_iter().next() {
                    if matches!(last.status.as_str(), status::QUEUED | status::BUILDING) {
                        return Ok(last);
                    }
                    if agora_db::now() - last.created_at < EVERY && last.status == status::READY {
                        return Err(ServiceError::new(
                            ErrorKind::RateLimited,
                            "one archive a day: download the last one",
                        ));
                    }
                }
                let id = exports::insert(conn, user_id, initiative_id, status::QUEUED)?;
                jobs::enqueue(conn, &[BuildExport { export_id: id }])?;
                Ok(exports::by_id(conn, id)?)
            })
        })
        .await
}

/// One of the account's exports.
pub async fn get(ctx: &Context, who: &SignedIn, id: i64) -> ServiceResult<Export> {
    let user_id = who.user.id;
    let found = ctx
        .db
        .run(move |conn| exports::by_id(conn, id))
        .await
        .map_err(|e| match e {
            agora_db::DbError::NotFound => ServiceError::not_found("export"),
            other => other.into(),
        })?;
    if found.user_id != user_id {
        return Err(ServiceError::not_found("export"));
    }
    Ok(found)
}

/// The account's latest exports, newest first.
pub async fn mine(ctx: &Context, who: &SignedIn) -> ServiceResult<Vec<Export>> {
    let user_id = who.user.id;
    Ok(ctx
        .db
        .run(move |conn| exports::of_user(conn, user_id, 5))
        .await?)
}

/// The file of a ready export.
pub async fn archive(ctx: &Context, who: &SignedIn, id: i64) -> ServiceResult<PathBuf> {
    let export = get(ctx, who, id).await?;
    match (export.status.as_str(), export.file) {
        (status::READY, Some(file)) => Ok(folder(ctx).join(file)),
        _ => Err(ServiceError::new(
            ErrorKind::Conflict,
            "the archive is not ready yet",
        )),
    }
}

/// Moves an export's progress along (the job, as it writes).
pub async fn progress(ctx: &Context, id: i64, percent: i32) -> ServiceResult<()> {
    Ok(ctx
        .db
        .run(move |conn| exports::progress(conn, id, status::BUILDING, percent.clamp(0, 99)))
        .await?)
}

/// Records the end of a build.
pub async fn finish(
    ctx: &Context,
    id: i64,
    result: Result<(String, i64), String>,
) -> ServiceResult<()> {
    Ok(ctx
        .db
        .run(move |conn| match &result {
            Ok((file, size)) => {
                exports::finish(conn, id, status::READY, Some(file), Some(*size), None)
            }
            Err(why) => exports::finish(conn, id, status::FAILED, None, None, Some(why)),
        })
        .await?)
}

/// What an export archives: the account's data (`None`), or an initiative's (its row id);
/// with the account that asked.
pub async fn subject_of(ctx: &Context, export_id: i64) -> ServiceResult<(i64, Option<i64>)> {
    let export = ctx
        .db
        .run(move |conn| exports::by_id(conn, export_id))
        .await?;
    Ok((export.user_id, export.initiative_id))
}

/// Everything of an account an archive holds, but its posts (read by pages as it is written).
pub struct Contents {
    /// The account.
    pub user: User,
    /// Its actor.
    pub actor: Actor,
    /// Whom it follows (accepted), with their actors.
    pub following: Vec<(Follow, Actor)>,
    /// The initiatives it is a member of: its role, the initiative, its group.
    pub initiatives: Vec<(String, Initiative, Actor)>,
    /// The petitions it wrote.
    pub petitions: Vec<Petition>,
    /// Its signatures, each with the receipt that proves it in its petition's log.
    pub signatures: Vec<Receipt>,
    /// The reports it filed, with what came of them.
    pub reports: Vec<Report>,
    /// The accounts it blocks.
    pub blocks: Vec<Actor>,
    /// The accounts it mutes, each with whether their notifications are hidden too.
    pub mutes: Vec<(Actor, bool)>,
    /// The servers it blocks.
    pub domain_blocks: Vec<String>,
}

/// Gathers an account's data, by user id.
pub async fn contents(ctx: &Context, user_id: i64) -> ServiceResult<Contents> {
    let ctx2 = ctx.clone();
    ctx.db
        .run(move |conn| -> ServiceResult<Contents> {
            let user = agora_db::users::by_id(conn, user_id)?;
            let actor = agora_db::actors::by_id(conn, user.actor_id)?;
            let following = agora_db::follows::outgoing(conn, actor.id)?
                .into_iter()
                .filter(|(f, _)| f.state == agora_db::follows::ACCEPTED)
                .collect();
            let signatures = agora_db::petitions::by_signer(conn, actor.id)?
                .iter()
                .map(|(s, p)| crate::petitions::receipt(&ctx2, p, s))
                .collect();
            use agora_db::account_filters::{self as filters, BLOCK, MUTE};
            Ok(Contents {
                blocks: filters::on_accounts(conn, actor.id, BLOCK)?
                    .into_iter()
                    .map(|(_, a)| a)
                    .collect(),
                mutes: filters::on_accounts(conn, actor.id, MUTE)?
                    .into_iter()
                    .map(|(f, a)| (a, f.hide_notifications))
                    .collect(),
                domain_blocks: filters::on_domains(conn, actor.id)?
                    .into_iter()
                    .filter_map(|f| f.domain)
                    .collect(),
                initiatives: agora_db::initiatives::of_member(conn, actor.id)?,
                petitions: agora_db::petitions::created_by(conn, actor.id)?,
                reports: agora_db::reports::by_reporter(conn, actor.id)?,
                following,
                signatures,
                user,
                actor,
            })
        })
        .await
}

/// A page of an account's posts, oldest first, after row `after` (the outbox, page by page).
pub fn posts_page(
    conn: &mut DbConn,
    author_id: i64,
    after: i64,
    limit: i64,
) -> ServiceResult<Vec<agora_db::posts::Post>> {
    Ok(agora_db::posts::by_author_after(
        conn, author_id, after, limit,
    )?)
}

/// The account with this handle, for the command line.
pub async fn user_id_of(ctx: &Context, handle: &str) -> ServiceResult<i64> {
    let handle = handle.trim_start_matches('@').to_string();
    ctx.db
        .run(move |conn| agora_db::users::by_username(conn, &handle))
        .await?
        .map(|(u, _)| u.id)
        .ok_or_else(|| ServiceError::not_found("account"))
}
