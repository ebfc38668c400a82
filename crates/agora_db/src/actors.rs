//! Actors: local accounts' and remote servers' `Person`, `Group`, `Application`…

use crate::{
    DbConn,
    error::{DbResult, OptionalExt},
    schema::actors::{self, dsl},
};
use agora_core::actor_type::ActorType;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An actor row.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = actors)]
pub struct Actor {
    /// Row id.
    pub id: i64,
    /// ActivityPub id (URL).
    pub ap_id: String,
    /// `Person`, `Organization`, `Group`, `Application`, `Service`.
    pub actor_type: String,
    /// `preferredUsername`.
    pub username: String,
    /// Authority (host or host:port) of `ap_id`.
    pub domain: String,
    /// `name`.
    pub display_name: String,
    /// `summary`, sanitised HTML.
    pub summary: String,
    /// Profile page URL.
    pub url: Option<String>,
    /// Personal inbox.
    pub inbox: String,
    /// Shared inbox of its server, if any.
    pub shared_inbox: Option<String>,
    /// Outbox collection.
    pub outbox: Option<String>,
    /// Followers collection.
    pub followers_url: Option<String>,
    /// Following collection.
    pub following_url: Option<String>,
    /// PEM public key.
    pub public_key_pem: String,
    /// PEM private key, local actors only.
    pub private_key_pem: Option<String>,
    /// Whether this node owns the actor.
    pub local: bool,
    /// `citizen`, `association`, `public_body`, `media`, `business` or `unknown`.
    pub account_kind: String,
    /// Whether follows wait for approval.
    pub manually_approves_followers: bool,
    /// JSON list of former or other ids.
    pub also_known_as: String,
    /// Where the actor moved, if it did.
    pub moved_to: Option<String>,
    /// First seen or created.
    pub created_at: NaiveDateTime,
    /// Last fetched (remote) or changed (local).
    pub last_refreshed_at: NaiveDateTime,
    /// Deleted, kept as a tombstone.
    pub deleted_at: Option<NaiveDateTime>,
    /// When an administrator verified the kind (association, public body, media).
    pub kind_verified_at: Option<NaiveDateTime>,
    /// The account (user id) of the moderator or administrator who set the kind; none when
    /// self-declared.
    pub kind_set_by: Option<i64>,
    /// Avatar (`icon`): a `/media` address for local actors, the remote one otherwise.
    pub icon_url: Option<String>,
    /// Banner (`image`).
    pub image_url: Option<String>,
    /// A local account suspended by a moderator: it cannot sign in, its content is shown to
    /// nobody.
    pub suspended_at: Option<NaiveDateTime>,
    /// A local account limited by a moderator: left out of directories, its new followers wait
    /// for approval.
    pub limited_at: Option<NaiveDateTime>,
    /// A remote actor blocked by a moderator: its activities are refused, its content hidden.
    pub blocked_at: Option<NaiveDateTime>,
    /// When its server says the account was created (`published`).
    pub published_at: Option<NaiveDateTime>,
    /// When it moved to `moved_to` (ours: by its owner; another server's: by its `Move`).
    pub moved_at: Option<NaiveDateTime>,
}

impl Actor {
    /// The ids in `also_known_as`.
    pub fn aliases(&self) -> Vec<String> {
        serde_json::from_str(&self.also_known_as).unwrap_or_default()
    }

    /// Its ActivityStreams type, when it is one we know.
    pub fn kind(&self) -> Option<ActorType> {
        ActorType::parse(&self.actor_type)
    }

    /// Whether it is a group (one of our initiatives, or another server's group).
    pub fn is_group(&self) -> bool {
        self.kind() == Some(ActorType::Group)
    }

    /// Whether it is a server's own actor.
    pub fn is_application(&self) -> bool {
        self.kind() == Some(ActorType::Application)
    }

    /// Whether a moderator took it out of sight here: a local account suspended, or a remote
    /// actor blocked.
    pub fn is_removed(&self) -> bool {
        self.suspended_at.is_some() || self.blocked_at.is_some()
    }

    /// Whether it is one of this node's own actors (the instance and moderation actors), which
    /// have no profile and no followers.
    pub fn is_node_actor(&self) -> bool {
        self.local
            && matches!(
                self.kind(),
                Some(ActorType::Application | ActorType::Service)
            )
    }

    /// Whether it is someone with an account kind: a person or an organisation.
    pub fn is_account(&self) -> bool {
        self.kind().is_some_and(ActorType::is_account)
    }

    /// `@username@domain`.
    pub fn acct(&self) -> String {
        format!("@{}@{}", self.username, self.domain)
    }

    /// Where deliveries for this actor go: the shared inbox when the server has one.
    pub fn delivery_inbox(&self) -> &str {
        self.shared_inbox.as_deref().unwrap_or(&self.inbox)
    }

    /// The name to show: display name, else username.
    pub fn shown_name(&self) -> &str {
        if self.display_name.trim().is_empty() {
            &self.username
        } else {
            &self.display_name
        }
    }
}

/// Fields of a new or refreshed actor.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = actors)]
pub struct ActorForm {
    /// ActivityPub id.
    pub ap_id: String,
    /// Actor type.
    pub actor_type: String,
    /// `preferredUsername`.
    pub username: String,
    /// Authority of `ap_id`.
    pub domain: String,
    /// `name`.
    pub display_name: String,
    /// `summary`.
    pub summary: String,
    /// Profile page.
    pub url: Option<String>,
    /// Inbox.
    pub inbox: String,
    /// Shared inbox.
    pub shared_inbox: Option<String>,
    /// Outbox.
    pub outbox: Option<String>,
    /// Followers collection.
    pub followers_url: Option<String>,
    /// Following collection.
    pub following_url: Option<String>,
    /// Public key.
    pub public_key_pem: String,
    /// Private key (local only).
    pub private_key_pem: Option<String>,
    /// Local or remote.
    pub local: bool,
    /// Account kind.
    pub account_kind: String,
    /// Manual approval of follows.
    pub manually_approves_followers: bool,
    /// JSON list of aliases.
    pub also_known_as: String,
    /// Move target.
    pub moved_to: Option<String>,
    /// Refresh time.
    pub last_refreshed_at: NaiveDateTime,
    /// Avatar (a remote actor that drops it loses it here too).
    #[diesel(treat_none_as_null = true)]
    pub icon_url: Option<String>,
    /// Banner.
    #[diesel(treat_none_as_null = true)]
    pub image_url: Option<String>,
    /// When its server says the account was created.
    pub published_at: Option<NaiveDateTime>,
}

/// Inserts a new actor.
pub fn insert(conn: &mut DbConn, form: &ActorForm) -> DbResult<Actor> {
    // RETURNING of a whole row is not available on diesel's MultiBackend: return the id.
    let id: i64 = diesel::insert_into(actors::table)
        .values((form, dsl::created_at.eq(crate::now())))
        .returning(dsl::id)
        .get_result(conn)?;
    by_id(conn, id)
}

/// Inserts or refreshes a remote actor by its ActivityPub id.
pub fn upsert(conn: &mut DbConn, form: &ActorForm) -> DbResult<Actor> {
    let attempt = |conn: &mut DbConn| {
        conn.transaction(|conn| {
            let updated = diesel::update(dsl::actors.filter(dsl::ap_id.eq(&form.ap_id)))
                .set(form)
                .returning(dsl::id)
                .get_result::<i64>(conn)
                .map_err(crate::DbError::from)
                .found()?;
            match updated {
                Some(id) => by_id(conn, id),
                None => insert(conn, form),
            }
        })
    };
    match attempt(conn) {
        // Two requests met the same new actor at once (two activities from a server we did not
        // know yet) and the other one inserted it first: now it is there to update.
        Err(crate::DbError::UniqueViolation) => attempt(conn),
        other => other,
    }
}

/// The actor with this row id.
pub fn by_id(conn: &mut DbConn, id: i64) -> DbResult<Actor> {
    Ok(dsl::actors
        .find(id)
        .select(Actor::as_select())
        .first(conn)?)
}

/// The actor with this ActivityPub id, if known.
pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> DbResult<Option<Actor>> {
    dsl::actors
        .filter(dsl::ap_id.eq(ap_id))
        .select(Actor::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// The local actor with this username (people, groups and the instance actor share names).
pub fn local_by_username(conn: &mut DbConn, username: &str) -> DbResult<Option<Actor>> {
    dsl::actors
        .filter(dsl::local.eq(true))
        .filter(dsl::username.eq(username))
        .filter(dsl::deleted_at.is_null())
        .select(Actor::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// A remote actor by `username@domain`, if known.
pub fn by_username_domain(
    conn: &mut DbConn,
    username: &str,
    domain: &str,
) -> DbResult<Option<Actor>> {
    dsl::actors
        .filter(dsl::username.eq(username))
        .filter(dsl::domain.eq(domain))
        .select(Actor::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// Whether a local actor already holds this name.
pub fn local_name_taken(conn: &mut DbConn, username: &str) -> DbResult<bool> {
    let n: i64 = dsl::actors
        .filter(dsl::local.eq(true))
        .filter(dsl::username.eq(username))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Counts local actors of a type (for NodeInfo).
pub fn count_local(conn: &mut DbConn, actor_type: &str) -> DbResult<i64> {
    Ok(dsl::actors
        .filter(dsl::local.eq(true))
        .filter(dsl::actor_type.eq(actor_type))
        .filter(dsl::deleted_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Changes the editable profile fields of a local actor.
pub fn update_profile(
    conn: &mut DbConn,
    id: i64,
    display_name: &str,
    summary: &str,
    manual: bool,
) -> DbResult<Actor> {
    diesel::update(dsl::actors.find(id))
        .set((
            dsl::display_name.eq(display_name),
            dsl::summary.eq(summary),
            dsl::manually_approves_followers.eq(manual),
            dsl::last_refreshed_at.eq(crate::now()),
        ))
        .execute(conn)?;
    by_id(conn, id)
}

/// Sets the kind of a local actor (and the actor type that goes with it).
pub fn set_kind(
    conn: &mut DbConn,
    id: i64,
    kind: &str,
    actor_type: &str,
    verified_at: Option<NaiveDateTime>,
    set_by: Option<i64>,
) -> DbResult<Actor> {
    diesel::update(dsl::actors.find(id))
        .set((
            dsl::account_kind.eq(kind),
            dsl::actor_type.eq(actor_type),
            dsl::kind_verified_at.eq(verified_at),
            dsl::kind_set_by.eq(set_by),
            dsl::last_refreshed_at.eq(crate::now()),
        ))
        .execute(conn)?;
    by_id(conn, id)
}

/// Sets (or clears) a local actor's avatar or banner address.
pub fn set_picture(
    conn: &mut DbConn,
    id: i64,
    banner: bool,
    address: Option<&str>,
) -> DbResult<()> {
    let target = dsl::actors.find(id);
    let now = crate::now();
    if banner {
        diesel::update(target)
            .set((dsl::image_url.eq(address), dsl::last_refreshed_at.eq(now)))
            .execute(conn)?;
    } else {
        diesel::update(target)
            .set((dsl::icon_url.eq(address), dsl::last_refreshed_at.eq(now)))
            .execute(conn)?;
    }
    Ok(())
}

/// Several actors by row id (missing ones are left out).
pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> DbResult<Vec<Actor>> {
    Ok(dsl::actors
        .filter(dsl::id.eq_any(ids))
        .select(Actor::as_select())
        .load(conn)?)
}

/// What a moderator's decision sets on an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restriction {
    /// `suspended_at`.
    Suspended,
    /// `limited_at`.
    Limited,
    /// `blocked_at`.
    Blocked,
}

/// Sets (`Some(now)`) or lifts (`None`) a restriction on an actor.
pub fn restrict(
    conn: &mut DbConn,
    id: i64,
    restriction: Restriction,
    at: Option<NaiveDateTime>,
) -> DbResult<()> {
    let target = dsl::actors.find(id);
    match restriction {
        Restriction::Suspended => diesel::update(target)
            .set(dsl::suspended_at.eq(at))
            .execute(conn)?,
        Restriction::Limited => diesel::update(target)
            .set(dsl::limited_at.eq(at))
            .execute(conn)?,
        Restriction::Blocked => diesel::update(target)
            .set(dsl::blocked_at.eq(at))
            .execute(conn)?,
    };
    Ok(())
}

/// The live local actor that lists `id` among its aliases (the initiative or account that moved
/// here from `id`); the one that listed it first, if several did.
pub fn local_with_alias(conn: &mut DbConn, id: &str) -> DbResult<Option<Actor>> {
    // Aliases are a short JSON list: the quoted id inside it is a narrow filter (a `_` or `%`
    // in the id only widens it), and the exact check is done on the few rows it lets through.
    let pattern = format!("%{}%", serde_json::to_string(id).unwrap_or_default());
    let found: Vec<Actor> = dsl::actors
        .filter(dsl::local)
        .filter(dsl::deleted_at.is_null())
        .filter(dsl::also_known_as.like(pattern))
        .order(dsl::id.asc())
        .select(Actor::as_select())
        .load(conn)?;
    Ok(found
        .into_iter()
        .find(|a| a.aliases().iter().any(|a| a == id)))
}

/// Sets a local actor's aliases (`alsoKnownAs`, a JSON list of ids).
pub fn set_aliases(conn: &mut DbConn, id: i64, also_known_as: &str) -> DbResult<Actor> {
    diesel::update(dsl::actors.find(id))
        .set((
            dsl::also_known_as.eq(also_known_as),
            dsl::last_refreshed_at.eq(crate::now()),
        ))
        .execute(conn)?;
    by_id(conn, id)
}

/// Records that an actor moved to `target` now.
pub fn set_moved(conn: &mut DbConn, id: i64, target: &str) -> DbResult<Actor> {
    let now = crate::now();
    diesel::update(dsl::actors.find(id))
        .set((
            dsl::moved_to.eq(Some(target)),
            dsl::moved_at.eq(Some(now)),
            dsl::last_refreshed_at.eq(now),
        ))
        .execute(conn)?;
    by_id(conn, id)
}

/// One inbox per address from `(inbox, shared inbox)` pairs: the shared one where there is
/// one, each once, sorted.
pub fn one_inbox_each(rows: Vec<(String, Option<String>)>) -> Vec<String> {
    let mut inboxes: Vec<String> = rows
        .into_iter()
        .map(|(inbox, shared)| shared.unwrap_or(inbox))
        .collect();
    inboxes.sort();
    inboxes.dedup();
    inboxes
}
