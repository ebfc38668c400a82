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
    /// The account that created it.
    pub created_by: i64,
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
    /// Creator.
    pub created_by: i64,
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

/// Removes a member.
pub fn remove_member(conn: &mut DbConn, id: i64, actor_id: i64) -> DbResult<usize> {
    Ok(diesel::delete(
        initiative_members::table
            .filter(initiative_members::initiative_id.eq(id))
            .filter(initiative_members::actor_id.eq(actor_id)),
    )
    .execute(conn)?)
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

/// Marks an initiative active now (the directory's order).
pub fn touch(conn: &mut DbConn, id: i64) -> DbResult<()> {
    diesel::update(dsl::initiatives.find(id))
        .set(dsl::updated_at.eq(crate::now()))
        .execute(conn)?;
    Ok(())
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

/// Directory search over local initiatives.
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
    /// Rows wanted.
    pub limit: i64,
}

/// Local initiatives matching a search, most recently active first, with their actors and
/// follower counts.
pub fn search(conn: &mut DbConn, search: &Search) -> DbResult<Vec<(Initiative, Actor, i64)>> {
    let mut query = initiatives::table
        .inner_join(actors::table)
        .filter(actors::deleted_at.is_null())
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
    Ok(rows
        .into_iter()
        .map(|(i, a)| {
            let n = counts.get(&a.id).copied().unwrap_or(0);
            (i, a, n)
        })
        .collect())
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
