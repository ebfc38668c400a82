//! Posts (`Note`s), local and remote, and the timelines read from them.

use crate::{
    DbConn,
    actors::Actor,
    error::{DbResult, OptionalExt},
    schema::{
        account_filters, actors, follows,
        posts::{self, dsl},
    },
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A post row.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = posts)]
pub struct Post {
    /// Row id.
    pub id: i64,
    /// ActivityPub id.
    pub ap_id: String,
    /// Author actor.
    pub author_id: i64,
    /// Sanitised HTML.
    pub content: String,
    /// What the local author typed, for editing.
    pub source: Option<String>,
    /// Content warning.
    pub spoiler_text: Option<String>,
    /// ActivityPub id of the post this answers.
    pub in_reply_to: Option<String>,
    /// Page URL (remote posts may differ from the id).
    pub url: Option<String>,
    /// Written on this node.
    pub local: bool,
    /// Publication time.
    pub published: NaiveDateTime,
    /// Last edit.
    pub updated: Option<NaiveDateTime>,
    /// Deletion time; deleted posts are hidden and answer as `Tombstone`.
    pub deleted_at: Option<NaiveDateTime>,
    /// The group (initiative) the post is addressed to, which announces it to its followers.
    pub group_id: Option<i64>,
    /// When an organizer pinned it to the group's `featured` collection.
    pub pinned_at: Option<NaiveDateTime>,
    /// Hidden by a moderator: kept, shown to nobody.
    pub hidden_at: Option<NaiveDateTime>,
    /// The size of the activity that carried it to other servers, in bytes.
    pub payload_bytes: i64,
    /// How many inboxes received it.
    pub delivered_inboxes: i64,
    /// Restored from an archive: its id where it was first published.
    pub imported_from: Option<String>,
}

/// Fields of a new post.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = posts)]
pub struct PostForm {
    /// ActivityPub id (a placeholder for local posts until the row id is known).
    pub ap_id: String,
    /// Author.
    pub author_id: i64,
    /// Sanitised HTML.
    pub content: String,
    /// Typed source.
    pub source: Option<String>,
    /// Content warning.
    pub spoiler_text: Option<String>,
    /// Parent post id.
    pub in_reply_to: Option<String>,
    /// Page URL.
    pub url: Option<String>,
    /// Local or remote.
    pub local: bool,
    /// Publication time.
    pub published: NaiveDateTime,
    /// Edit time.
    pub updated: Option<NaiveDateTime>,
    /// Group the post is addressed to.
    pub group_id: Option<i64>,
}

/// Fields an edit changes.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = posts)]
pub struct PostEdit {
    /// New HTML.
    pub content: String,
    /// New source.
    pub source: Option<String>,
    /// New content warning (None clears it).
    #[diesel(treat_none_as_null = true)]
    pub spoiler_text: Option<String>,
    /// Edit time.
    pub updated: Option<NaiveDateTime>,
}

/// Inserts a post.
pub fn insert(conn: &mut DbConn, form: &PostForm) -> DbResult<Post> {
    // RETURNING of a whole row is not available on diesel's MultiBackend: return the id.
    let id: i64 = diesel::insert_into(posts::table)
        .values(form)
        .returning(dsl::id)
        .get_result(conn)?;
    row(conn, id)
}

/// Sets the final ActivityPub id (and URL) of a freshly inserted local post.
pub fn set_ap_id(conn: &mut DbConn, id: i64, ap_id: &str) -> DbResult<Post> {
    diesel::update(dsl::posts.find(id))
        .set((dsl::ap_id.eq(ap_id), dsl::url.eq(Some(ap_id))))
        .execute(conn)?;
    row(conn, id)
}

/// Applies an edit.
pub fn edit(conn: &mut DbConn, id: i64, edit: &PostEdit) -> DbResult<Post> {
    diesel::update(dsl::posts.find(id))
        .set(edit)
        .execute(conn)?;
    row(conn, id)
}

/// Places a post in a group's thread (a known post announced by the group later).
pub fn set_group(conn: &mut DbConn, id: i64, group_id: i64) -> DbResult<()> {
    diesel::update(dsl::posts.find(id))
        .set(dsl::group_id.eq(Some(group_id)))
        .execute(conn)?;
    Ok(())
}

/// Pins a post to its group's `featured` collection, or unpins it.
pub fn set_pinned(conn: &mut DbConn, id: i64, pinned: bool) -> DbResult<()> {
    let at = pinned.then(crate::now);
    diesel::update(dsl::posts.find(id))
        .set(dsl::pinned_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// A post row by id.
pub fn row(conn: &mut DbConn, id: i64) -> DbResult<Post> {
    Ok(dsl::posts.find(id).select(Post::as_select()).first(conn)?)
}

impl Post {
    /// Whether a moderator hid it (it is kept, and shown to nobody).
    pub fn is_hidden(&self) -> bool {
        self.hidden_at.is_some()
    }
}

/// Deletes a post by a moderator's decision: gone for everyone, its text kept for an appeal
/// (`None` restores it).
pub fn set_removed(conn: &mut DbConn, id: i64, at: Option<NaiveDateTime>) -> DbResult<()> {
    diesel::update(dsl::posts.find(id))
        .set((dsl::deleted_at.eq(at), dsl::hidden_at.eq(at)))
        .execute(conn)?;
    Ok(())
}

/// Hides a post (a moderator's decision), or shows it again with `None`.
pub fn set_hidden(conn: &mut DbConn, id: i64, at: Option<NaiveDateTime>) -> DbResult<()> {
    diesel::update(dsl::posts.find(id))
        .set(dsl::hidden_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// Marks a post deleted and blanks its content.
pub fn mark_deleted(conn: &mut DbConn, id: i64) -> DbResult<()> {
    diesel::update(dsl::posts.find(id))
        .set((
            dsl::deleted_at.eq(Some(crate::now())),
            dsl::content.eq(""),
            dsl::source.eq(None::<String>),
            dsl::spoiler_text.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// A post by row id, with its author.
pub fn by_id(conn: &mut DbConn, id: i64) -> DbResult<Option<(Post, Actor)>> {
    posts::table
        .inner_join(actors::table)
        .filter(dsl::id.eq(id))
        .select((Post::as_select(), Actor::as_select()))
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// A post by ActivityPub id, with its author.
pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> DbResult<Option<(Post, Actor)>> {
    posts::table
        .inner_join(actors::table)
        .filter(dsl::ap_id.eq(ap_id))
        .select((Post::as_select(), Actor::as_select()))
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// Paging of a newest-first list: rows with a smaller id than `max_id`, at most `limit`.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Exclusive upper bound on the row id.
    pub max_id: Option<i64>,
    /// Rows wanted.
    pub limit: i64,
}

/// What a timeline shows besides paging: only authors of one account kind, when set.
#[derive(Debug, Clone, Copy, Default)]
pub struct TimelineFilter {
    /// `citizen`, `association`, `public_body`, `media`, `business` or `unknown`.
    pub account_kind: Option<&'static str>,
}

/// The home timeline of an actor: its own posts, those of the actors it follows and those
/// the groups it follows announced (accepted follows), newest first, deleted ones left out.
/// Strictly chronological.
pub fn home_timeline(
    conn: &mut DbConn,
    actor_id: i64,
    page: Page,
    filter: TimelineFilter,
) -> DbResult<Vec<(Post, Actor)>> {
    let followed = || {
        follows::table
            .filter(follows::follower_id.eq(actor_id))
            .filter(follows::state.eq(crate::follows::ACCEPTED))
            .select(follows::target_id)
    };
    // Accounts and servers the viewer blocked or muted stay out, even through a group.
    let kept_out = account_filters::table
        .filter(account_filters::actor_id.eq(actor_id))
        .filter(account_filters::target_id.is_not_null())
        .select(account_filters::target_id.assume_not_null());
    let kept_out_servers = account_filters::table
        .filter(account_filters::actor_id.eq(actor_id))
        .filter(account_filters::domain.is_not_null())
        .select(account_filters::domain.assume_not_null());
    let mut query = posts::table
        .inner_join(actors::table)
        .filter(actors::suspended_at.is_null())
        .filter(actors::blocked_at.is_null())
        .filter(dsl::deleted_at.is_null())
        .filter(dsl::hidden_at.is_null())
        .filter(
            dsl::author_id
                .eq(actor_id)
                .or(dsl::author_id.eq_any(followed()))
                .or(dsl::group_id.eq_any(followed().nullable())),
        )
        .filter(diesel::dsl::not(dsl::author_id.eq_any(kept_out)))
        .filter(diesel::dsl::not(actors::domain.eq_any(kept_out_servers)))
        .order((dsl::published.desc(), dsl::id.desc()))
        .limit(page.limit)
        .select((Post::as_select(), Actor::as_select()))
        .into_boxed();
    if let Some(max_id) = page.max_id {
        query = query.filter(dsl::id.lt(max_id));
    }
    if let Some(kind) = filter.account_kind {
        query = query.filter(actors::account_kind.eq(kind));
    }
    Ok(query.load(conn)?)
}

/// The posts of one author, newest first (outbox and profile).
pub fn by_author(conn: &mut DbConn, author_id: i64, page: Page) -> DbResult<Vec<Post>> {
    let mut query = dsl::posts
        .filter(dsl::author_id.eq(author_id))
        .filter(dsl::deleted_at.is_null())
        .filter(dsl::hidden_at.is_null())
        .order(dsl::id.desc())
        .limit(page.limit)
        .select(Post::as_select())
        .into_boxed();
    if let Some(max_id) = page.max_id {
        query = query.filter(dsl::id.lt(max_id));
    }
    Ok(query.load(conn)?)
}

/// The posts of a group's thread (updates and the replies it announced), newest first.
/// `top_level` keeps only the updates themselves.
pub fn by_group(
    conn: &mut DbConn,
    group_id: i64,
    top_level: bool,
    page: Page,
) -> DbResult<Vec<(Post, Actor)>> {
    let mut query = posts::table
        .inner_join(actors::table)
        .filter(actors::suspended_at.is_null())
        .filter(actors::blocked_at.is_null())
        .filter(dsl::group_id.eq(group_id))
        .filter(dsl::deleted_at.is_null())
        .filter(dsl::hidden_at.is_null())
        .order(dsl::id.desc())
        .limit(page.limit)
        .select((Post::as_select(), Actor::as_select()))
        .into_boxed();
    if top_level {
        query = query.filter(dsl::in_reply_to.is_null());
    }
    if let Some(max_id) = page.max_id {
        query = query.filter(dsl::id.lt(max_id));
    }
    Ok(query.load(conn)?)
}

/// The pinned posts of a group, most recently pinned first (its `featured` collection).
pub fn pinned_of_group(conn: &mut DbConn, group_id: i64) -> DbResult<Vec<(Post, Actor)>> {
    Ok(posts::table
        .inner_join(actors::table)
        .filter(actors::suspended_at.is_null())
        .filter(actors::blocked_at.is_null())
        .filter(dsl::group_id.eq(group_id))
        .filter(dsl::deleted_at.is_null())
        .filter(dsl::hidden_at.is_null())
        .filter(dsl::pinned_at.is_not_null())
        .order(dsl::pinned_at.desc())
        .limit(20)
        .select((Post::as_select(), Actor::as_select()))
        .load(conn)?)
}

/// The visible replies to a post, oldest first (a thread reads top-down).
pub fn replies_to(conn: &mut DbConn, ap_id: &str, limit: i64) -> DbResult<Vec<(Post, Actor)>> {
    Ok(posts::table
        .inner_join(actors::table)
        .filter(actors::suspended_at.is_null())
        .filter(actors::blocked_at.is_null())
        .filter(dsl::in_reply_to.eq(ap_id))
        .filter(dsl::deleted_at.is_null())
        .filter(dsl::hidden_at.is_null())
        .order(dsl::id.asc())
        .limit(limit)
        .select((Post::as_select(), Actor::as_select()))
        .load(conn)?)
}

/// How many visible posts an author has.
pub fn count_by_author(conn: &mut DbConn, author_id: i64) -> DbResult<i64> {
    Ok(dsl::posts
        .filter(dsl::author_id.eq(author_id))
        .filter(dsl::deleted_at.is_null())
        .filter(dsl::hidden_at.is_null())
        .count()
        .get_result(conn)?)
}

/// How many updates a group published (its outbox).
pub fn count_by_group(conn: &mut DbConn, group_id: i64) -> DbResult<i64> {
    Ok(dsl::posts
        .filter(dsl::group_id.eq(group_id))
        .filter(dsl::in_reply_to.is_null())
        .filter(dsl::deleted_at.is_null())
        .filter(dsl::hidden_at.is_null())
        .count()
        .get_result(conn)?)
}

/// How many visible local posts exist (NodeInfo).
pub fn count_local(conn: &mut DbConn) -> DbResult<i64> {
    Ok(dsl::posts
        .filter(dsl::local.eq(true))
        .filter(dsl::deleted_at.is_null())
        .filter(dsl::hidden_at.is_null())
        .count()
        .get_result(conn)?)
}

/// An author's posts that are not deleted, oldest first, after row `after` (an archive's
/// outbox, page by page).
pub fn by_author_after(
    conn: &mut DbConn,
    author_id: i64,
    after: i64,
    limit: i64,
) -> DbResult<Vec<Post>> {
    Ok(dsl::posts
        .filter(dsl::author_id.eq(author_id))
        .filter(dsl::deleted_at.is_null())
        .filter(dsl::id.gt(after))
        .order(dsl::id.asc())
        .limit(limit)
        .select(Post::as_select())
        .load(conn)?)
}

/// Stores many posts at once (load tests).
pub fn insert_many(conn: &mut DbConn, forms: &[PostForm]) -> DbResult<usize> {
    let mut n = 0;
    for chunk in forms.chunks(1_000) {
        n += crate::on_backend!(conn, |c| diesel::insert_into(posts::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(n)
}

/// Counts a delivery of one of our posts: `inboxes` more inboxes received an activity of
/// `bytes` carrying it. False when no post of ours has this id.
pub fn add_delivery(conn: &mut DbConn, ap_id: &str, bytes: i64, inboxes: i64) -> DbResult<bool> {
    let changed = diesel::update(
        dsl::posts
            .filter(dsl::ap_id.eq(ap_id))
            .filter(dsl::local.eq(true)),
    )
    .set((
        dsl::payload_bytes.eq(bytes),
        dsl::delivered_inboxes.eq(dsl::delivered_inboxes + inboxes),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}

/// Marks a post as restored from an archive, naming where it was first published.
pub fn set_imported(conn: &mut DbConn, id: i64, from: &str) -> DbResult<()> {
    diesel::update(dsl::posts.find(id))
        .set(dsl::imported_from.eq(Some(from)))
        .execute(conn)?;
    Ok(())
}

/// A group's updates (the live local posts addressed to it that start a thread), oldest first.
pub fn updates_of_group(conn: &mut DbConn, group_id: i64) -> DbResult<Vec<Post>> {
    Ok(dsl::posts
        .filter(dsl::group_id.eq(group_id))
        .filter(dsl::in_reply_to.is_null())
        .filter(dsl::local)
        .filter(dsl::deleted_at.is_null())
        .order(dsl::id.asc())
        .select(Post::as_select())
        .load(conn)?)
}

/// A local update (a post starting a thread of a local group) whose group moved away: its id
/// and the group. One indexed read, as it runs for every fetch of a post.
pub fn update_of_moved_group(conn: &mut DbConn, post_id: i64) -> DbResult<Option<(String, Actor)>> {
    posts::table
        .inner_join(actors::table.on(actors::id.nullable().eq(dsl::group_id)))
        .filter(dsl::id.eq(post_id))
        .filter(dsl::local)
        .filter(dsl::in_reply_to.is_null())
        .filter(actors::local)
        .filter(actors::moved_to.is_not_null())
        .select((dsl::ap_id, Actor::as_select()))
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// The live local post restored from `from` (an update that moved here with its initiative).
pub fn restored_from(conn: &mut DbConn, from: &str) -> DbResult<Option<i64>> {
    dsl::posts
        .filter(dsl::imported_from.eq(from))
        .filter(dsl::local)
        .filter(dsl::deleted_at.is_null())
        .select(dsl::id)
        .first(conn)
        .map_err(Into::into)
        .found()
}

/// Whether an author already has the post restored from `from`.
pub fn has_imported(conn: &mut DbConn, author_id: i64, from: &str) -> DbResult<bool> {
    let n: i64 = dsl::posts
        .filter(dsl::author_id.eq(author_id))
        .filter(dsl::imported_from.eq(from))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
