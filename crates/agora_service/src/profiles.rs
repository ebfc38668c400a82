//! What the page of an actor shows: its recent posts (a group's: what it announced), its
//! counts, the viewer's follow, and, for a group, what it says of itself as an initiative.

use crate::{Context, ServiceResult};
use agora_db::{
    actors::Actor,
    follows::{self, Follow},
    initiatives::{self, Initiative},
    posts::{self, Page, Post},
};

/// An actor's page, read in one go.
pub struct Profile {
    /// Its recent posts with their authors (for a group, the posts of its thread).
    pub posts: Vec<(Post, Actor)>,
    /// Followers and followed, for our own actors (we do not know them for others).
    pub counts: Option<(i64, i64)>,
    /// The viewer's follow of it, if any.
    pub follow: Option<Follow>,
    /// For a group: its civic fields.
    pub initiative: Option<GroupFacts>,
}

/// What a group says of itself, and what we know of it here.
pub struct GroupFacts {
    /// Its row.
    pub initiative: Initiative,
    /// Its tags.
    pub tags: Vec<String>,
    /// Its organizers and moderators (for another server's group: its moderators).
    pub members: Vec<Actor>,
    /// Its followers on this node.
    pub followers_here: i64,
}

/// Reads the page of `actor` as `viewer` sees it.
pub async fn of(ctx: &Context, actor: &Actor, viewer: Option<&Actor>) -> ServiceResult<Profile> {
    if actor.is_removed() {
        return Err(crate::ServiceError::new(
            agora_core::ErrorKind::Gone,
            "removed by a moderator",
        ));
    }
    let shown = actor.clone();
    let viewer = viewer.map(|v| v.id);
    Ok(ctx
        .db
        .run(move |conn| -> Result<Profile, agora_db::DbError> {
            let page = Page {
                max_id: None,
                limit: 20,
            };
            let id = shown.id;
            let followers = follows::count_followers(conn, id)?;
            let posts = if shown.is_group() {
                posts::by_group(conn, id, true, page)?
            } else {
                posts::by_author(conn, id, page)?
                    .into_iter()
                    .map(|p| (p, shown.clone()))
                    .collect()
            };
            let initiative = match initiatives::by_actor(conn, id)? {
                Some(initiative) => Some(GroupFacts {
                    tags: initiatives::tags(conn, initiative.id)?,
                    members: initiatives::members(conn, initiative.id)?
                        .into_iter()
                        .map(|(_, m)| m)
                        .collect(),
                    followers_here: followers,
                    initiative,
                }),
                None => None,
            };
            let counts = if shown.local {
                Some((followers, follows::count_following(conn, id)?))
            } else {
                None
            };
            let follow = match viewer {
                Some(v) => follows::by_pair(conn, v, id)?,
                None => None,
            };
            Ok(Profile {
                posts,
                counts,
                follow,
                initiative,
            })
        })
        .await?)
}
