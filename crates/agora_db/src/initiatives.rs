//! Initiatives: the civic side of a `Group` actor — goals, status, place, tags, organizers.

use crate::{
    DbConn,
    actors::Actor,
    error::{DbResult, OptionalExt},
    schema::{
        actors, follows, initiative_members, initiative_tags,
        initiatives::{self, dsl},
    },
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An initiative row (its name and description are on its actor).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = initiatives)]
pub struct Initiative {
    /// Row id.
    pub id: i64,
    /// The `Group` actor.
    pub actor_id: i64,
    /// What it wants to achieve (plain text).
    pub goals: String,
    /// `open`, `achieved` or `closed`.
    pub status: String,
    /// Where it happens, in words.
    pub place_name: Option<String>,
    /// Latitude, degrees.
    pub latitude: Option<f64>,
    /// Longitude, degrees.
    pub longitude: Option<f64>,
    /// The account that created it; none for another node's initiative.
    pub created_by: Option<i64>,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Last change or update: the directory's order.
    pub updated_at: NaiveDateTime,
}

/// Fields of a new initiative.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = initiatives)]
pub struct InitiativeForm {
    /// The `Group` actor.
    pub actor_id: i64,
    /// Goals.
    pub goals: String,
    /// Status.
    pub status: String,
    /// Place name.
    pub place_name: Option<String>,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// Creator (none for another node's initiative).
    pub created_by: Option<i64>,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Same as creation at first.
    pub updated_at: NaiveDateTime,
}

/// Organizer role: manages the initiative and posts updates.
pub const ORGANIZER: &str = "organizer";
/// Moderator role: moderates replies.
pub const MODERATOR: &str = "moderator";

/// Inserts an initiative with its tags and its first organizer.
pub fn insert(
    conn: &mut DbConn,
    form: &InitiativeForm,
    tags: &[String],
    organizer_actor: i64,
) -> DbResult<Initiative> {
    let id: i64 = diesel::insert_into(initiatives::table)
        .values(form)
        .returning(dsl::id)
        .get_result(conn)?;
    set_tags(conn, id, tags)?;
    add_member(conn, id, organizer_actor, ORGANIZER)?;
    Ok(dsl::initiatives
        .find(id)
        .select(Initiative::as_select())
        .first(conn)?)
}

/// The civic fields another node publishes on its `Group`.
#[derive(Debug, Clone, Default)]
pub struct RemoteFields {
    /// Goals.
    pub goals: String,
    /// `open`, `achieved` or `closed` (`open` when the group does not say).
    pub status: String,
    /// Place name.
    pub place_name: Option<String>,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// Normalised tags.
    pub tags: Vec<String>,
}

/// Marks the initiative of a group actor active now (an update, an announce received).
pub fn touch_actor(conn: &mut DbConn, actor_id: i64) -> DbResult<()> {
    diesel::update(dsl::initiatives.filter(dsl::actor_id.eq(actor_id)))
        .set(dsl::updated_at.eq(crate::now()))
        .execute(conn)?;
    Ok(())
}

/// Records or refreshes the directory entry of a remote group.
pub fn upsert_remote(conn: &mut DbConn, actor_id: i64, fields: &RemoteFields) -> DbResult<()> {
    let now = crate::now();
    let id = match by_actor(conn, actor_id)? {
        Some(existing) => {
            diesel::update(dsl::initiatives.find(existing.id))
                .set((
                    dsl::goals.eq(&fields.goals),
                    dsl::status.eq(&fields.status),
                    dsl::place_name.eq(&fields.place_name),
                    dsl::latitude.eq(fields.latitude),
                    dsl::longitude.eq(fields.longitude),
                ))
                .execute(conn)?;
            existing.id
        }
        None => diesel::insert_into(initiatives::table)
            .values(&InitiativeForm {
                actor_id,
                goals: fields.goals.clone(),
                status: fields.status.clone(),
                place_name: fields.place_name.clone(),
                latitude: fields.latitude,
                longitude: fields.longitude,
                created_by: None,
                created_at: now,
                updated_at: now,
            })
            .returning(dsl::id)
            .get_result(conn)?,
    };
    set_tags(conn, id, &fields.tags)
}

/// Replaces the tags of an initiative.
pub fn set_tags(conn: &mut DbConn, id: i64, tags: &[String]) -> DbResult<()> {
    diesel::delete(initiative_tags::table.filter(initiative_tags::initiative_id.eq(id)))
        .execute(conn)?;
    for tag in tags {
        diesel::insert_into(initiative_tags::table)
            .values((
                initiative_tags::initiative_id.eq(id),
                initiative_tags::tag.eq(tag),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Adds (or changes the role of) a member.
pub fn add_member(conn: &mut DbConn, id: i64, actor_id: i64, role: &str) -> DbResult<()> {
    diesel::delete(
        initiative_members::table
            .filter(initiative_members::initiative_id.eq(id))
            .filter(initiative_members::actor_id.eq(actor_id)),
    )
    .execute(conn)?;
    diesel::insert_into(initiative_members::table)
        .values((
            initiative_members::initiative_id.eq(id),
            initiative_members::actor_id.eq(actor_id),
            initiative_members::role.eq(role),
            initiative_members::added_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Takes the initiative's row lock for the rest of the transaction: on PostgreSQL, two
/// transactions changing its members then run one after the other, so a check of its
/// organizers made inside sees the other's change. SQLite's write transactions are serial
/// already (and an update of the row's key there would check every table pointing at it).
pub fn lock(conn: &mut DbConn, id: i64) -> DbResult<()> {
    if let DbConn::Pg(pg) = conn {
        diesel::sql_query("SELECT id FROM initiatives WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::BigInt, _>(id)
            .execute(pg)?;
    }
    Ok(())
}

/// The role of an actor in an initiative, if any.
pub fn role_of(conn: &mut DbConn, id: i64, actor_id: i64) -> DbResult<Option<String>> {
    initiative_members::table
        .filter(initiative_members::initiative_id.eq(id))
        .filter(initiative_members::actor_id.eq(actor_id))
        .select(initiative_members::role)
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// How many organizers an initiative has.
pub fn organizer_count(conn: &mut DbConn, id: i64) -> DbResult<i64> {
    Ok(initiative_members::table
        .filter(initiative_members::initiative_id.eq(id))
        .filter(initiative_members::role.eq(ORGANIZER))
        .count()
        .get_result(conn)?)
}

/// Removes a member.
pub fn remove_member(conn: &mut DbConn, id: i64, actor_id: i64) -> DbResult<usize> {
    Ok(diesel::delete(
        initiative_members::table
            .filter(initiative_members::initiative_id.eq(id))
            .filter(initiative_members::actor_id.eq(actor_id)),
    )
    .execute(conn)?)
}

/// Fields an organizer changes on the initiative row.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = initiatives, treat_none_as_null = true)]
pub struct InitiativeEdit {
    /// Goals.
    pub goals: String,
    /// Status.
    pub status: String,
    /// Place name (none clears the place).
    pub place_name: Option<String>,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// Now.
    pub updated_at: NaiveDateTime,
}

/// Applies an edit.
pub fn edit(conn: &mut DbConn, id: i64, edit: &InitiativeEdit) -> DbResult<()> {
    diesel::update(dsl::initiatives.find(id))
        .set(edit)
        .execute(conn)?;
    Ok(())
}

/// An initiative by row id.
pub fn by_id(conn: &mut DbConn, id: i64) -> DbResult<Option<Initiative>> {
    dsl::initiatives
        .find(id)
        .select(Initiative::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// The initiative of a `Group` actor, with the actor.
pub fn by_actor(conn: &mut DbConn, actor_id: i64) -> DbResult<Option<Initiative>> {
    dsl::initiatives
        .filter(dsl::actor_id.eq(actor_id))
        .select(Initiative::as_select())
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// The members of an initiative with their roles, organizers first.
pub fn members(conn: &mut DbConn, id: i64) -> DbResult<Vec<(String, Actor)>> {
    Ok(initiative_members::table
        .inner_join(actors::table.on(actors::id.eq(initiative_members::actor_id)))
        .filter(initiative_members::initiative_id.eq(id))
        .order((
            initiative_members::role.desc(),
            initiative_members::added_at.asc(),
        ))
        .select((initiative_members::role, Actor::as_select()))
        .load(conn)?)
}

/// The tags of an initiative, sorted.
pub fn tags(conn: &mut DbConn, id: i64) -> DbResult<Vec<String>> {
    Ok(initiative_tags::table
        .filter(initiative_tags::initiative_id.eq(id))
        .order(initiative_tags::tag.asc())
        .select(initiative_tags::tag)
        .load(conn)?)
}

/// Directory search over this node's initiatives and the other nodes' ones followed from here.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// Words in the name, handle, description or goals.
    pub words: Option<String>,
    /// One tag, exactly.
    pub tag: Option<String>,
    /// Words in the place name.
    pub place: Option<String>,
    /// `open`, `achieved` or `closed`.
    pub status: Option<String>,
    /// Only initiatives with an organizer of this account kind.
    pub organizer_kind: Option<&'static str>,
    /// Only this node's initiatives (`Some(true)`) or only other nodes' (`Some(false)`).
    pub local: Option<bool>,
    /// Rows wanted.
    pub limit: i64,
}

/// Initiatives matching a search, most recently active first, with their actors and follower
/// counts (followers here, for other nodes' initiatives).
pub fn search(conn: &mut DbConn, search: &Search) -> DbResult<Vec<DirectoryRow>> {
    let mut query = initiatives::table
        .inner_join(actors::table)
        .filter(actors::deleted_at.is_null())
        // Limited, suspended and blocked initiatives are left out of the directory.
        .filter(actors::limited_at.is_null())
        .filter(actors::suspended_at.is_null())
        .filter(actors::blocked_at.is_null())
        .order((dsl::updated_at.desc(), dsl::id.desc()))
        .limit(search.limit)
        .select((Initiative::as_select(), Actor::as_select()))
        .into_boxed();
    if let Some(words) = search.words.as_deref().filter(|w| !w.is_empty()) {
        let pattern = format!("%{}%", escape_like(&words.to_lowercase()));
        query = query.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("(LOWER(actors.display_name) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern.clone())
                .sql(" ESCAPE '\\' OR LOWER(actors.summary) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern.clone())
                .sql(" ESCAPE '\\' OR LOWER(actors.username) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern.clone())
                .sql(" ESCAPE '\\' OR LOWER(initiatives.goals) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern)
                .sql(" ESCAPE '\\')"),
        );
    }
    if let Some(tag) = &search.tag {
        let tagged = initiative_tags::table
            .filter(initiative_tags::tag.eq(tag.clone()))
            .select(initiative_tags::initiative_id);
        query = query.filter(dsl::id.eq_any(tagged));
    }
    if let Some(place) = search.place.as_deref().filter(|p| !p.is_empty()) {
        let pattern = format!("%{}%", escape_like(&place.to_lowercase()));
        query = query.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("LOWER(initiatives.place_name) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern)
                .sql(" ESCAPE '\\'"),
        );
    }
    if let Some(status) = &search.status {
        query = query.filter(dsl::status.eq(status.clone()));
    }
    if let Some(kind) = search.organizer_kind {
        // The outer query already joins `actors` (the group): organizers are an alias of it.
        let organizer = diesel::alias!(actors as organizer);
        let organized = initiative_members::table
            .inner_join(organizer.on(organizer.field(actors::id).eq(initiative_members::actor_id)))
            .filter(initiative_members::role.eq(ORGANIZER))
            .filter(organizer.field(actors::account_kind).eq(kind))
            .select(initiative_members::initiative_id);
        query = query.filter(dsl::id.eq_any(organized));
    }
    if let Some(local) = search.local {
        query = query.filter(actors::local.eq(local));
    }
    // Another server's group is listed once someone here follows it: merely fetching a group
    // (which anyone can cause by naming it) does not put it in the directory.
    let follower = diesel::alias!(actors as follower);
    let followed_here = follows::table
        .inner_join(follower.on(follower.field(actors::id).eq(follows::follower_id)))
        .filter(follows::state.eq(crate::follows::ACCEPTED))
        .filter(follower.field(actors::local).eq(true))
        .select(follows::target_id);
    query = query.filter(actors::local.eq(true).or(actors::id.eq_any(followed_here)));
    let rows: Vec<(Initiative, Actor)> = query.load(conn)?;
    // Follower counts of the whole page in one query, not one per card.
    let ids: Vec<i64> = rows.iter().map(|(_, a)| a.id).collect();
    let counts: std::collections::HashMap<i64, i64> = follows::table
        .filter(follows::target_id.eq_any(&ids))
        .filter(follows::state.eq(crate::follows::ACCEPTED))
        .group_by(follows::target_id)
        .select((follows::target_id, diesel::dsl::count_star()))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    // Organizers of the whole page in one query too.
    let initiative_ids: Vec<i64> = rows.iter().map(|(i, _)| i.id).collect();
    let mut organizers: std::collections::HashMap<i64, Vec<Actor>> = Default::default();
    for (initiative_id, actor) in initiative_members::table
        .inner_join(actors::table.on(actors::id.eq(initiative_members::actor_id)))
        .filter(initiative_members::initiative_id.eq_any(&initiative_ids))
        .filter(initiative_members::role.eq(ORGANIZER))
        .order(initiative_members::added_at.asc())
        .select((initiative_members::initiative_id, Actor::as_select()))
        .load::<(i64, Actor)>(conn)?
    {
        organizers.entry(initiative_id).or_default().push(actor);
    }
    Ok(rows
        .into_iter()
        .map(|(initiative, actor)| DirectoryRow {
            followers: counts.get(&actor.id).copied().unwrap_or(0),
            organizers: organizers.remove(&initiative.id).unwrap_or_default(),
            initiative,
            actor,
        })
        .collect())
}

/// One directory card's data.
#[derive(Debug, Clone)]
pub struct DirectoryRow {
    /// The initiative.
    pub initiative: Initiative,
    /// Its `Group` actor.
    pub actor: Actor,
    /// Accepted followers known here.
    pub followers: i64,
    /// Its organizers (none known for other nodes' initiatives).
    pub organizers: Vec<Actor>,
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The initiatives an actor is a member of, with its role in each and the group.
pub fn of_member(conn: &mut DbConn, actor_id: i64) -> DbResult<Vec<(String, Initiative, Actor)>> {
    Ok(initiative_members::table
        .inner_join(initiatives::table.on(dsl::id.eq(initiative_members::initiative_id)))
        .inner_join(actors::table.on(actors::id.eq(dsl::actor_id)))
        .filter(initiative_members::actor_id.eq(actor_id))
        .order(dsl::id.asc())
        .select((
            initiative_members::role,
            Initiative::as_select(),
            Actor::as_select(),
        ))
        .load(conn)?)
}
