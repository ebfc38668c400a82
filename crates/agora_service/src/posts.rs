//! Posts: local ones written here (and federated), remote ones received by the inbox, and the
//! home timeline.

use crate::{
    Context, ServiceError, ServiceResult,
    events::{self, FederationEvent},
};
use agora_core::{ErrorKind, federation_policy::DomainPolicy, text};
use agora_db::{
    actors::Actor,
    posts::{self, Page, Post, PostEdit, PostForm, TimelineFilter},
};

/// What an author writes.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Plain text; rendered to HTML here.
    pub content: String,
    /// Content warning, shown before the text.
    pub spoiler_text: Option<String>,
    /// ActivityPub id of the post answered.
    pub in_reply_to: Option<String>,
}

fn validate(draft: &Draft) -> ServiceResult<()> {
    let n = draft.content.trim().chars().count();
    if n == 0 {
        return Err(ServiceError::invalid("content", "must not be empty"));
    }
    if n > text::MAX_POST_CHARS {
        return Err(ServiceError::invalid(
            "content",
            format!("at most {} characters", text::MAX_POST_CHARS),
        ));
    }
    if draft
        .spoiler_text
        .as_ref()
        .is_some_and(|s| s.chars().count() > 500)
    {
        return Err(ServiceError::invalid(
            "spoiler_text",
            "at most 500 characters",
        ));
    }
    if let Some(parent) = &draft.in_reply_to
        && url::Url::parse(parent)
            .map(|u| !matches!(u.scheme(), "http" | "https"))
            .unwrap_or(true)
    {
        return Err(ServiceError::invalid(
            "in_reply_to",
            "must be the http(s) id of a post",
        ));
    }
    Ok(())
}

fn spoiler(draft: &Draft) -> Option<String> {
    draft
        .spoiler_text
        .as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Publishes a local post and queues its `Create` for the author's followers. A reply in a
/// group's thread joins that group, which announces it to its followers.
pub async fn create(ctx: &Context, author: &Actor, draft: Draft) -> ServiceResult<Post> {
    publish(ctx, author, draft, None).await
}

/// Publishes a local post, addressed to `group` when given (an initiative's update), otherwise
/// to the group of the thread it answers, if any.
pub(crate) async fn publish(
    ctx: &Context,
    author: &Actor,
    draft: Draft,
    group: Option<i64>,
) -> ServiceResult<Post> {
    validate(&draft)?;
    let urls = ctx.urls.clone();
    let form = PostForm {
        // Unique placeholder replaced by the real id once the row id is known.
        ap_id: format!("{}/posts/pending-{}", urls.base(), uuid::Uuid::new_v4()),
        author_id: author.id,
        content: text::plain_text_to_html(&draft.content),
        source: Some(draft.content.clone()),
        spoiler_text: spoiler(&draft),
        in_reply_to: draft.in_reply_to.clone(),
        url: None,
        local: true,
        published: agora_db::now(),
        updated: None,
        group_id: group,
    };
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let mut form = form;
                match form.group_id {
                    // An initiative's update: the initiative was active now.
                    Some(group) => agora_db::initiatives::touch_actor(conn, group)?,
                    None => form.group_id = thread_group(conn, form.in_reply_to.as_deref())?,
                }
                let post = posts::insert(conn, &form)?;
                let post = posts::set_ap_id(conn, post.id, &urls.post(post.id))?;
                events::queue(conn, &FederationEvent::PostCreated { post_id: post.id })?;
                Ok(post)
            })
        })
        .await
}

/// Loads a local post its author may change.
async fn own_post(ctx: &Context, author: &Actor, id: i64) -> ServiceResult<Post> {
    let found = ctx.db.run(move |conn| posts::by_id(conn, id)).await?;
    match found {
        Some((post, _))
            if post.deleted_at.is_none() && post.author_id == author.id && post.local =>
        {
            Ok(post)
        }
        Some((post, _)) if post.deleted_at.is_none() && post.author_id != author.id => {
            Err(ServiceError::forbidden("only the author can change a post"))
        }
        _ => Err(ServiceError::not_found("post")),
    }
}

/// Edits a local post and queues its `Update`.
pub async fn edit(ctx: &Context, author: &Actor, id: i64, draft: Draft) -> ServiceResult<Post> {
    validate(&draft)?;
    let post = own_post(ctx, author, id).await?;
    let change = PostEdit {
        content: text::plain_text_to_html(&draft.content),
        source: Some(draft.content.clone()),
        spoiler_text: spoiler(&draft),
        updated: Some(agora_db::now()),
    };
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let post = posts::edit(conn, post.id, &change)?;
                events::queue(conn, &FederationEvent::PostUpdated { post_id: post.id })?;
                Ok(post)
            })
        })
        .await
}

/// Deletes a local post and queues its `Delete`.
pub async fn delete(ctx: &Context, author: &Actor, id: i64) -> ServiceResult<()> {
    let post = own_post(ctx, author, id).await?;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                posts::mark_deleted(conn, post.id)?;
                events::queue(conn, &FederationEvent::PostDeleted { post_id: post.id })?;
                Ok(())
            })
        })
        .await
}

/// The group of the thread a post answers: replies stay in the thread they join.
fn thread_group(conn: &mut agora_db::DbConn, parent: Option<&str>) -> ServiceResult<Option<i64>> {
    let Some(parent) = parent else {
        return Ok(None);
    };
    Ok(posts::by_ap_id(conn, parent)?.and_then(|(p, _)| p.group_id))
}

/// The group of this node a thread belongs to, if it does.
fn local_group(conn: &mut agora_db::DbConn, group_id: Option<i64>) -> ServiceResult<Option<Actor>> {
    let Some(group_id) = group_id else {
        return Ok(None);
    };
    let group = agora_db::actors::by_id(conn, group_id)?;
    Ok((group.local && group.deleted_at.is_none()).then_some(group))
}

/// Whether a post answering `parent` joins the thread of one of this node's groups (a reply
/// to a reply, from a server the group's followers are on): such a post is kept, and announced.
pub fn joins_local_thread(
    conn: &mut agora_db::DbConn,
    parent: Option<&str>,
) -> ServiceResult<bool> {
    let group = thread_group(conn, parent)?;
    Ok(local_group(conn, group)?.is_some())
}

/// Queues the group's `Announce` of a received activity when the post belongs to the thread of
/// a group of this node, so the group's followers see replies from other servers.
fn announce_if_local_group(
    conn: &mut agora_db::DbConn,
    group_id: Option<i64>,
    activity: Option<&serde_json::Value>,
    with_object: bool,
) -> ServiceResult<()> {
    let Some(activity) = activity else {
        return Ok(());
    };
    if let Some(group) = local_group(conn, group_id)? {
        let group_id = group.id;
        events::queue(
            conn,
            &FederationEvent::GroupAnnounced {
                group_id,
                activity: activity.clone(),
                with_object,
            },
        )?;
    }
    Ok(())
}

/// A remote post as received: its HTML is sanitised here, whatever the sender did.
#[derive(Debug, Clone)]
pub struct RemotePost {
    /// ActivityPub id.
    pub ap_id: String,
    /// Raw HTML from the sender.
    pub content: String,
    /// Content warning.
    pub spoiler_text: Option<String>,
    /// Parent id.
    pub in_reply_to: Option<String>,
    /// Page URL.
    pub url: Option<String>,
    /// Publication time.
    pub published: chrono::NaiveDateTime,
    /// Edit time.
    pub updated: Option<chrono::NaiveDateTime>,
    /// The group that announced it, when it came through a group.
    pub group_id: Option<i64>,
    /// The activity that carried it, announced as it is when the post joins the thread of a
    /// group of this node.
    pub activity: Option<serde_json::Value>,
}

/// Whether a received post is new or an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// `Create`: stored once; a repeated `Create` (redelivery, or the same post arriving from
    /// its author and announced by a group) changes nothing.
    Create,
    /// `Update`: applied to the known post.
    Update,
}

/// How a remote post reached us, which decides whether it is wanted here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// From its author's server.
    Author,
    /// Announced by a group (its row id), which then counts as active.
    Group(i64),
}

/// Stores a remote post, or applies an edit to it, when someone here can see it: sent by its
/// author, when a local actor follows the author, it answers a local post or joins a local
/// group's thread, or it is an edit of a post we keep; announced by a group, when a local
/// actor follows the group. Others are dropped (`None`), so strangers cannot fill the
/// database. Only the author may change a post.
pub async fn store_remote(
    ctx: &Context,
    author: &Actor,
    remote: RemotePost,
    received: Received,
    via: Via,
) -> ServiceResult<Option<Post>> {
    let author_id = author.id;
    let answers_local = remote
        .in_reply_to
        .as_deref()
        .is_some_and(|p| ctx.urls.is_local(p));
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let wanted = match via {
                    Via::Author => {
                        answers_local
                            || agora_db::follows::has_local_follower(conn, author_id)?
                            || joins_local_thread(conn, remote.in_reply_to.as_deref())?
                            || (received == Received::Update
                                && posts::by_ap_id(conn, &remote.ap_id)?.is_some())
                    }
                    Via::Group(group) => {
                        let followed = agora_db::follows::has_local_follower(conn, group)?;
                        if followed {
                            agora_db::initiatives::touch_actor(conn, group)?;
                        }
                        followed
                    }
                };
                if !wanted {
                    return Ok(None);
                }
                let content = text::sanitize_html(&remote.content);
                let spoiler_text = remote
                    .spoiler_text
                    .as_deref()
                    .map(text::sanitize_html)
                    .filter(|s| !s.is_empty());
                match posts::by_ap_id(conn, &remote.ap_id)? {
                    Some((existing, _)) if existing.author_id != author_id => Err(
                        ServiceError::new(ErrorKind::Forbidden, "post belongs to another actor"),
                    ),
                    Some((existing, _)) if existing.deleted_at.is_some() => Ok(Some(existing)),
                    Some((existing, _)) if received == Received::Create => {
                        match (existing.group_id, remote.group_id) {
                            (None, Some(group)) => {
                                posts::set_group(conn, existing.id, group)?;
                                Ok(Some(posts::row(conn, existing.id)?))
                            }
                            _ => Ok(Some(existing)),
                        }
                    }
                    Some((existing, _)) => {
                        let post = posts::edit(
                            conn,
                            existing.id,
                            &PostEdit {
                                content,
                                source: None,
                                spoiler_text,
                                updated: remote.updated.or(Some(agora_db::now())),
                            },
                        )?;
                        announce_if_local_group(
                            conn,
                            post.group_id,
                            remote.activity.as_ref(),
                            false,
                        )?;
                        Ok(Some(post))
                    }
                    None => {
                        let group_id = match remote.group_id {
                            Some(group) => Some(group),
                            None => thread_group(conn, remote.in_reply_to.as_deref())?,
                        };
                        let post = posts::insert(
                            conn,
                            &PostForm {
                                ap_id: remote.ap_id,
                                author_id,
                                content,
                                source: None,
                                spoiler_text,
                                in_reply_to: remote.in_reply_to,
                                url: remote.url,
                                local: false,
                                published: remote.published,
                                updated: remote.updated,
                                group_id,
                            },
                        )?;
                        announce_if_local_group(conn, group_id, remote.activity.as_ref(), true)?;
                        Ok(Some(post))
                    }
                }
            })
        })
        .await
}

/// Deletes a remote post on its author's request (`activity` is the `Delete`, announced by the
/// post's group when that group is local). Unknown posts are fine (nothing to do).
pub async fn delete_remote(
    ctx: &Context,
    author: &Actor,
    ap_id: &str,
    activity: Option<serde_json::Value>,
) -> ServiceResult<()> {
    let (author_id, ap_id) = (author.id, ap_id.to_string());
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| match posts::by_ap_id(conn, &ap_id)? {
                Some((post, _)) if post.author_id != author_id => Err(ServiceError::new(
                    ErrorKind::Forbidden,
                    "post belongs to another actor",
                )),
                Some((post, _)) if post.deleted_at.is_none() => {
                    posts::mark_deleted(conn, post.id)?;
                    announce_if_local_group(conn, post.group_id, activity.as_ref(), false)
                }
                _ => Ok(()),
            })
        })
        .await
}

/// A group removes a post from its thread (a moderator's `Delete` announced by the group, as
/// Lemmy sends it). Only posts the group announced can be removed this way.
pub async fn remove_from_group(ctx: &Context, group: &Actor, ap_id: &str) -> ServiceResult<()> {
    let (group_id, ap_id) = (group.id, ap_id.to_string());
    ctx.db
        .run(move |conn| match posts::by_ap_id(conn, &ap_id)? {
            Some((post, _)) if post.group_id == Some(group_id) && post.deleted_at.is_none() => {
                Ok(posts::mark_deleted(conn, post.id)?)
            }
            _ => Ok(()),
        })
        .await
}

/// A thread: the replies to a post, oldest first.
pub async fn replies(ctx: &Context, ap_id: &str) -> ServiceResult<Vec<(Post, Actor)>> {
    let ap_id = ap_id.to_string();
    let found = ctx
        .db
        .run(move |conn| posts::replies_to(conn, &ap_id, 200))
        .await?;
    // Replies from blocked and silenced servers are left out of threads.
    let policy = ctx.federation_policy();
    Ok(found
        .into_iter()
        .filter(|(_, author)| {
            author.local
                || !(policy.refuses(&author.domain)
                    || policy.has(&author.domain, DomainPolicy::Silence))
        })
        .collect())
}

/// The home timeline of an actor: newest first, strictly chronological.
pub async fn home_timeline(
    ctx: &Context,
    actor: &Actor,
    page: Page,
    filter: TimelineFilter,
) -> ServiceResult<Vec<(Post, Actor)>> {
    let id = actor.id;
    let found = ctx
        .db
        .run(move |conn| posts::home_timeline(conn, id, page, filter))
        .await?;
    // Posts of servers blocked since they arrived are out of sight.
    let policy = ctx.federation_policy();
    Ok(found
        .into_iter()
        .filter(|(_, author)| author.local || !policy.refuses(&author.domain))
        .collect())
}

/// The groups that the posts of a list were announced by, by row id (for "in {initiative}").
pub async fn groups_of(
    ctx: &Context,
    posts: &[(Post, Actor)],
) -> ServiceResult<std::collections::HashMap<i64, Actor>> {
    let mut ids: Vec<i64> = posts.iter().filter_map(|(p, _)| p.group_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let groups = ctx
        .db
        .run(move |conn| agora_db::actors::by_ids(conn, &ids))
        .await?;
    Ok(groups.into_iter().map(|g| (g.id, g)).collect())
}

/// One post with its author, if visible.
pub async fn get(ctx: &Context, id: i64) -> ServiceResult<(Post, Actor)> {
    let found = ctx.db.run(move |conn| posts::by_id(conn, id)).await?;
    let (post, author) = found
        .filter(|(p, _)| p.deleted_at.is_none() || p.is_hidden())
        .ok_or_else(|| ServiceError::not_found("post"))?;
    if post.is_hidden() || author.is_removed() {
        return Err(ServiceError::new(ErrorKind::Gone, "removed by a moderator"));
    }
    Ok((post, author))
}

/// A post this node knows, by its ActivityPub id, with its author.
pub async fn by_ap_id(ctx: &Context, ap_id: &str) -> ServiceResult<Option<(Post, Actor)>> {
    let key = ap_id.to_string();
    Ok(ctx.db.run(move |conn| posts::by_ap_id(conn, &key)).await?)
}
