//! Deleting an account, and erasing what we hold of another server's actor.
//!
//! The owner asks with their password; the deletion waits `limits.deletion_grace_hours` (a
//! [`DeleteAccount`] job due then), during which they can log in and cancel. Then, in one
//! transaction: their standing signatures on open petitions are withdrawn through the log, all
//! their signatures lose their name and address (the count and the log stay valid), reports
//! about them forget them, their posts and petitions go and their addresses become tombstones
//! (410 Gone; the handle is never given again), and the actor row goes with its account,
//! sessions, tokens, exports, follows and memberships. `Delete{Person}` is queued for every
//! server this node knows, signed with the actor's key, which travels with the deliveries since
//! no row keeps it.
//!
//! Another server's `Delete{Person}`, and an administrator's purge, erase our copy of a remote
//! actor the same way (without tombstones: its addresses are not ours).

use crate::{
    Context, ServiceError, ServiceResult,
    accounts::{self, SignedIn},
    events::{self, FederationEvent},
    jobs::{self, Job, JobKind},
    mail::{self, Mail},
    tombstones,
};
use agora_core::ErrorKind;
use agora_db::{
    DbConn,
    actors::{self, Actor},
    erasure,
    users::{self, User},
};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The job that deletes an account once its grace period is over.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeleteAccount {
    /// The account's row id.
    pub user_id: i64,
}

impl Job for DeleteAccount {
    const KIND: JobKind = JobKind::DeleteAccount;
    const MAX_ATTEMPTS: i32 = 10;
}

/// What one erasure removed, for what must happen after it.
#[derive(Debug, Default)]
struct Erased {
    /// What the actor wrote (gone with it).
    written: erasure::Written,
    /// Petitions whose count or existence changed: their cached views are stale.
    petitions: Vec<i64>,
    /// Files under the data folder to remove (exports, pictures no one else uses).
    files: Vec<std::path::PathBuf>,
}

/// The owner asks for their account's deletion, confirming their password: it happens after
/// the grace period unless they cancel. Gives when.
pub async fn request(
    ctx: &Context,
    who: &SignedIn,
    password: &str,
) -> ServiceResult<DateTime<Utc>> {
    accounts::confirm_password(who, password).await?;
    let grace = Duration::hours(ctx.config.limits.deletion_grace_hours.max(0));
    schedule(ctx, who.user.clone(), &who.actor, Utc::now() + grace).await
}

/// An administrator deletes an account by its handle: after the grace period, or at once.
/// Gives when it happens (`None`: done).
pub async fn by_admin(
    ctx: &Context,
    handle: &str,
    now: bool,
) -> ServiceResult<Option<DateTime<Utc>>> {
    let name = handle.trim().trim_start_matches('@').to_ascii_lowercase();
    let (user, actor) = ctx
        .db
        .run(move |conn| users::by_username(conn, &name))
        .await?
        .ok_or_else(|| ServiceError::not_found("account"))?;
    if now {
        erase_account(ctx, user.id).await?;
        return Ok(None);
    }
    let grace = Duration::hours(ctx.config.limits.deletion_grace_hours.max(0));
    Ok(Some(schedule(ctx, user, &actor, Utc::now() + grace).await?))
}

async fn schedule(
    ctx: &Context,
    user: User,
    actor: &Actor,
    at: DateTime<Utc>,
) -> ServiceResult<DateTime<Utc>> {
    let notice = user.email.as_ref().map(|to| {
        scheduled_mail(
            &ctx.config.instance.name,
            to,
            &actor.username,
            &at,
            &format!("{}/settings/delete", ctx.urls.base()),
        )
    });
    let (user_id, due) = (user.id, at.naive_utc());
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                users::set_deletion_due(conn, user_id, Some(due))?;
                jobs::enqueue_at(conn, &[DeleteAccount { user_id }], due)?;
                if let Some(mail) = &notice {
                    mail::queue(conn, mail)?;
                }
                Ok(())
            })
        })
        .await?;
    Ok(at)
}

/// The owner keeps their account: the pending deletion is called off.
pub async fn cancel(ctx: &Context, who: &SignedIn) -> ServiceResult<()> {
    if who.user.deletion_due_at.is_none() {
        return Err(ServiceError::new(
            ErrorKind::Conflict,
            "no deletion is pending for this account",
        ));
    }
    let user_id = who.user.id;
    Ok(ctx
        .db
        .run(move |conn| users::set_deletion_due(conn, user_id, None))
        .await?)
}

/// The job's work: deletes the account if its deletion is still asked for and due. A
/// cancelled deletion, or one asked again for later (another job waits for that), is left.
pub async fn run_due(ctx: &Context, user_id: i64) -> ServiceResult<()> {
    let user = ctx.db.run(move |conn| users::by_id(conn, user_id)).await;
    let due = match user {
        Ok(user) => user.deletion_due_at,
        Err(agora_db::DbError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    match due {
        Some(at) if at <= agora_db::now() => erase_account(ctx, user_id).await,
        _ => Ok(()),
    }
}

/// Deletes a local account now (see the module's documentation for what that does).
pub async fn erase_account(ctx: &Context, user_id: i64) -> ServiceResult<()> {
    let (urls, data_dir) = (ctx.urls.clone(), ctx.config.data_dir.clone());
    let erased = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<Erased> {
                let user = users::by_id(conn, user_id)?;
                let actor = actors::by_id(conn, user.actor_id)?;
                let inboxes = erasure::known_inboxes(conn)?;
                // What would still name the person once the rows are gone: deliveries it
                // signed, mails to it, its log-in counters.
                erasure::drop_jobs_naming(conn, &actor.ap_id)?;
                for address in [&user.email, &user.unconfirmed_email].into_iter().flatten() {
                    erasure::drop_jobs_naming(conn, address)?;
                }
                erasure::drop_limits_of(conn, &accounts::limit_prefixes(user.id))?;
                let mut files: Vec<_> = erasure::export_files_of(conn, user.id)?
                    .into_iter()
                    .map(|f| data_dir.join("exports").join(f))
                    .collect();
                files.extend(
                    unused_pictures(conn, &urls, &actor)?
                        .into_iter()
                        .map(|f| data_dir.join("media").join(f)),
                );
                let mut erased = erase(conn, &actor, Some(user.id))?;
                let questions: Vec<String> = erased
                    .written
                    .petitions
                    .iter()
                    .map(|(_, id)| id.clone())
                    .collect();
                tombstones::bury(conn, &erased.written.notes, "Note")?;
                tombstones::bury(conn, &questions, "Question")?;
                tombstones::bury(conn, std::slice::from_ref(&actor.ap_id), "Person")?;
                erased.files = files;
                if !inboxes.is_empty() {
                    events::queue(
                        conn,
                        &FederationEvent::AccountDeleted {
                            actor: actor.ap_id.clone(),
                            key_pem: actor.private_key_pem.clone().unwrap_or_default(),
                            inboxes,
                        },
                    )?;
                }
                Ok(erased)
            })
        })
        .await?;
    finish(ctx, erased);
    Ok(())
}

/// Erases what this node holds of another server's actor: on its own `Delete`, or on an
/// administrator's purge (a person's request to a node that copied them).
pub async fn erase_remote(ctx: &Context, actor: &Actor) -> ServiceResult<()> {
    if actor.local {
        return Err(ServiceError::not_found("actor"));
    }
    let actor = actor.clone();
    let erased = ctx
        .db
        .run(move |conn| agora_db::write_transaction(conn, |conn| erase(conn, &actor, None)))
        .await?;
    finish(ctx, erased);
    Ok(())
}

/// An administrator purges another server's actor, named by `@name@host` or its id.
pub async fn purge_remote_as(ctx: &Context, who: &SignedIn, acct_or_id: &str) -> ServiceResult<()> {
    if !who.is_admin() {
        return Err(ServiceError::forbidden("administrators only"));
    }
    purge_remote(ctx, acct_or_id).await
}

/// Purges another server's actor, named by `@name@host` or its id (the command line).
pub async fn purge_remote(ctx: &Context, acct_or_id: &str) -> ServiceResult<()> {
    let actor = crate::actors::known(ctx, acct_or_id)
        .await?
        .filter(|a| !a.local)
        .ok_or_else(|| ServiceError::not_found("remote actor"))?;
    erase_remote(ctx, &actor).await
}

/// The rows' part, shared by local and remote erasure.
fn erase(conn: &mut DbConn, actor: &Actor, user_id: Option<i64>) -> ServiceResult<Erased> {
    let mut petitions = crate::petitions::withdraw_all_of(conn, actor.id)?;
    erasure::anonymise_signatures(conn, actor.id)?;
    let written = erasure::written_by(conn, actor.id)?;
    petitions.extend(written.petitions.iter().map(|(id, _)| *id));
    let objects: Vec<String> = written
        .notes
        .iter()
        .chain(written.petitions.iter().map(|(_, id)| id))
        .chain(std::iter::once(&actor.ap_id))
        .cloned()
        .collect();
    erasure::drop_signage(conn, &objects)?;
    erasure::forget_in_reports(conn, &actor.ap_id, actor.id)?;
    erasure::unsign_marks(conn, actor.id, user_id)?;
    erasure::forget_activities_of(conn, &actor.ap_id)?;
    erasure::delete_actor(conn, actor.id)?;
    Ok(Erased {
        written,
        petitions,
        files: Vec::new(),
    })
}

/// The names of the actor's avatar and header files, unless another actor shows the same
/// picture (files are named by their content).
fn unused_pictures(
    conn: &mut DbConn,
    urls: &agora_core::urls::Urls,
    actor: &Actor,
) -> ServiceResult<Vec<String>> {
    let prefix = urls.media("");
    let mut files = Vec::new();
    for url in [&actor.icon_url, &actor.image_url].into_iter().flatten() {
        let Some(file) = url.strip_prefix(&prefix) else {
            continue;
        };
        if crate::media::media_type_of(file).is_some()
            && !erasure::picture_shared(conn, url, actor.id)?
        {
            files.push(file.to_string());
        }
    }
    Ok(files)
}

fn finish(ctx: &Context, erased: Erased) {
    for id in erased.petitions {
        ctx.petition_views.changed(id);
    }
    for path in erased.files {
        if let Err(e) = std::fs::remove_file(&path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(path = %path.display(), error = %e, "a deleted account's file stays");
        }
    }
}

fn scheduled_mail(node: &str, to: &str, handle: &str, at: &DateTime<Utc>, link: &str) -> Mail {
    let when = at.format("%Y-%m-%d %H:%M UTC");
    Mail {
        to: to.into(),
        subject: format!("{node}: your account will be deleted / votre compte sera supprimé"),
        body: format!(
            "Hello @{handle},\n\nAs asked, your account on {node} will be deleted on {when}: \
             your posts, your profile and your follows will be gone, your signatures on open \
             petitions withdrawn and those on closed ones anonymised. To keep your account, log \
             in before then and cancel here: {link}\n\
             You can still download your data from your settings.\n\n\
             Bonjour @{handle},\n\nComme demandé, votre compte sur {node} sera supprimé le \
             {when} : vos messages, votre profil et vos abonnements disparaîtront, vos \
             signatures sur les pétitions ouvertes seront retirées et celles sur les pétitions \
             closes anonymisées. Pour garder votre compte, connectez-vous d'ici là et annulez \
             ici : {link}\nVous pouvez encore télécharger vos données depuis vos réglages.\n"
        ),
    }
}
