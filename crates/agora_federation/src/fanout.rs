//! Fan-out: a queued [`FederationEvent`] becomes its activities and one delivery per remote
//! inbox (shared inboxes first, so each server gets one request). The ids of the activities
//! derive from the event's id, so planning the same event twice gives the same activities.

use crate::{
    activities::{
        accept, announce, block, create, delete, flag, follow, move_actor, question, resolve, undo,
        update, vote,
    },
    config::FederationData,
    error::FederationError,
    jobs::deliver::Delivery,
    objects::note::to_note,
    protocol::{
        activities::{Activity, ActivityKind},
        context::with_context,
    },
};
use agora_db::{
    actors::{self, Actor},
    follows, posts,
};
use agora_service::{
    events::{Federate, FederationEvent},
    instances::LEMMY,
};
use serde_json::Value;

/// The deliveries an event turns into. Pure planning: the worker queues them and removes the
/// event in one transaction, so a crash never sends an event twice or loses it.
pub async fn plan(
    federate: Federate,
    data: &FederationData,
) -> Result<Vec<Delivery>, FederationError> {
    let urls = data.urls.clone();
    let Federate { event_id, event } = federate;
    // Reports go from the node's moderation actor, made on first use (outside the database
    // closure below, which cannot wait).
    let moderation = match event {
        FederationEvent::ReportForwarded { .. } | FederationEvent::ReportResolved { .. } => {
            Some(agora_service::accounts::moderation_actor(data.app_data()).await?)
        }
        _ => None,
    };
    let sends = data
        .db
        .run(move |conn| -> Result<Vec<Send>, FederationError> {
            let ids = Ids::new(&urls, &event_id);
            Ok(match event {
                FederationEvent::PostCreated { post_id }
                | FederationEvent::PostUpdated { post_id } => {
                    let thread = PostContext::load(conn, post_id)?;
                    let (post, author) = (&thread.post, &thread.author);
                    let created = matches!(event, FederationEvent::PostCreated { .. });
                    let group = thread.group.as_ref().map(|g| g.ap_id.as_str());
                    let note = serde_json::to_value(to_note(post, author, group)?)?;
                    let activity = if created {
                        create::create_activity(post, author, note)?
                    } else {
                        let edited = post.updated.unwrap_or(post.published).and_utc();
                        update::update(&ids.fresh("Update"), author, note, Some(edited))?
                    };
                    thread.sends(conn, activity, created, &ids)?
                }
                FederationEvent::PostDeleted { post_id } => {
                    let thread = PostContext::load(conn, post_id)?;
                    let activity = delete::delete_post(
                        &ids.fresh("Delete"),
                        &thread.author,
                        &thread.post.ap_id,
                    )?;
                    thread.sends(conn, activity, false, &ids)?
                }
                FederationEvent::GroupAnnounced {
                    group_id,
                    activity,
                    with_object,
                } => {
                    let group = actors::by_id(conn, group_id)?;
                    announces(conn, &group, &activity, with_object, &ids)?
                }
                FederationEvent::PetitionPublished { petition_id }
                | FederationEvent::PetitionUpdated { petition_id } => {
                    let published = matches!(event, FederationEvent::PetitionPublished { .. });
                    let details = if published {
                        agora_service::petitions::details_by_id(conn, petition_id)?
                    } else {
                        agora_service::petitions::for_update(conn, petition_id)?
                    };
                    let author = &details.author;
                    let log = urls.petition_log(petition_id);
                    let q = crate::objects::question::question_of(&details, &log)?;
                    let activity = if published {
                        question::create(&q, author)?
                    } else {
                        question::update(&ids.fresh("Update"), &q, author)?
                    };
                    let inboxes = follows::remote_follower_inboxes(conn, author.id)?;
                    vec![Send::new(activity.to_value()?, &author.ap_id, inboxes)]
                }
                FederationEvent::VoteCast { signature_id }
                | FederationEvent::VoteWithdrawn { signature_id } => {
                    let v = agora_service::petitions::outgoing_vote(conn, signature_id)?;
                    let activity = if matches!(event, FederationEvent::VoteCast { .. }) {
                        vote::build(&v)?
                    } else {
                        vote::build_undo(&v)?
                    };
                    // Mastodon takes votes at the poll author's own inbox.
                    let inbox = vec![v.author.inbox.clone()];
                    vec![Send::new(activity.to_value()?, &v.voter.ap_id, inbox)]
                }
                FederationEvent::AccountDeleted {
                    actor,
                    key_pem,
                    inboxes,
                } => {
                    let activity = delete::delete_actor(&actor)?;
                    vec![Send {
                        key_pem: Some(key_pem),
                        ..Send::new(activity.to_value()?, &actor, inboxes)
                    }]
                }
                FederationEvent::ActorMoved { actor_id } => {
                    let actor = actors::by_id(conn, actor_id)?;
                    let target = actor.moved_to.clone().ok_or(agora_db::DbError::NotFound)?;
                    let activity = move_actor::move_actor(&ids.fresh("Move"), &actor, &target)?;
                    let mut inboxes = follows::remote_follower_inboxes(conn, actor.id)?;
                    inboxes.extend(agora_db::account_filters::blockers_inboxes(conn, actor.id)?);
                    inboxes.sort();
                    inboxes.dedup();
                    vec![Send::new(activity.to_value()?, &actor.ap_id, inboxes)]
                }
                FederationEvent::Blocked {
                    actor_id,
                    target_id,
                }
                | FederationEvent::BlockLifted {
                    actor_id,
                    target_id,
                } => {
                    let (actor, target) = (
                        actors::by_id(conn, actor_id)?,
                        actors::by_id(conn, target_id)?,
                    );
                    let block_id = ids.fresh("Block");
                    let activity = if matches!(event, FederationEvent::Blocked { .. }) {
                        block::block(&block_id, &actor, &target)?
                    } else {
                        block::undo_block(&ids.fresh("Undo"), &block_id, &actor, &target)?
                    };
                    vec![Send::new(
                        activity.to_value()?,
                        &actor.ap_id,
                        vec![target.inbox],
                    )]
                }
                FederationEvent::ActorUpdated { actor_id } => {
                    let actor = actors::by_id(conn, actor_id)?;
                    let inboxes = follows::remote_follower_inboxes(conn, actor.id)?;
                    let document =
                        serde_json::to_value(crate::objects::actor::document_of(conn, &actor)?)?;
                    let published = Some(actor.last_refreshed_at.and_utc());
                    let activity =
                        update::update(&ids.fresh("Update"), &actor, document, published)?;
                    vec![Send::new(activity.to_value()?, &actor.ap_id, inboxes)]
                }
                FederationEvent::FollowRequested { follow_id } => {
                    let follow =
                        follows::by_id(conn, follow_id)?.ok_or(agora_db::DbError::NotFound)?;
                    let (follower, target) = (
                        actors::by_id(conn, follow.follower_id)?,
                        actors::by_id(conn, follow.target_id)?,
                    );
                    let activity = follow::follow(&follow.ap_id, &follower, &target)?;
                    vec![Send::new(
                        activity.to_value()?,
                        &follower.ap_id,
                        vec![target.inbox],
                    )]
                }
                FederationEvent::FollowAccepted { follow_id } => {
                    let follow =
                        follows::by_id(conn, follow_id)?.ok_or(agora_db::DbError::NotFound)?;
                    let (follower, target) = (
                        actors::by_id(conn, follow.follower_id)?,
                        actors::by_id(conn, follow.target_id)?,
                    );
                    vec![to_follower(
                        accept::answer(
                            ActivityKind::Accept,
                            &ids.fresh("Accept"),
                            &follow.ap_id,
                            &follower,
                            &target,
                        )?,
                        &follower,
                        &target,
                    )?]
                }
                FederationEvent::FollowRejected {
                    follow_ap_id,
                    follower_id,
                    target_id,
                } => {
                    let (follower, target) = (
                        actors::by_id(conn, follower_id)?,
                        actors::by_id(conn, target_id)?,
                    );
                    vec![to_follower(
                        accept::answer(
                            ActivityKind::Reject,
                            &ids.fresh("Reject"),
                            &follow_ap_id,
                            &follower,
                            &target,
                        )?,
                        &follower,
                        &target,
                    )?]
                }
                FederationEvent::ReportForwarded { report_id } => {
                    let moderation = moderation.ok_or(agora_db::DbError::NotFound)?;
                    let forwarded = agora_service::reports::remote::forwarded(conn, report_id)?;
                    let id = forwarded
                        .report
                        .flag_ap_id
                        .clone()
                        .unwrap_or_else(|| ids.fresh("Flag"));
                    let (activity, inbox) = flag::build(&id, &forwarded, &moderation)?;
                    vec![Send::new(activity, &moderation.ap_id, vec![inbox])]
                }
                FederationEvent::ReportResolved { report_id } => {
                    let moderation = moderation.ok_or(agora_db::DbError::NotFound)?;
                    let (report, sender) =
                        agora_service::reports::remote::resolved(conn, report_id)?;
                    let (activity, inbox) =
                        resolve::build(&ids.fresh("Resolve"), &report, &sender, &moderation)?;
                    vec![Send::new(activity, &moderation.ap_id, vec![inbox])]
                }
                FederationEvent::FollowUndone {
                    follow_ap_id,
                    follower_id,
                    target_id,
                } => {
                    let (follower, target) = (
                        actors::by_id(conn, follower_id)?,
                        actors::by_id(conn, target_id)?,
                    );
                    let activity =
                        undo::undo_follow(&ids.fresh("Undo"), &follow_ap_id, &follower, &target)?;
                    vec![Send::new(
                        activity.to_value()?,
                        &follower.ap_id,
                        vec![target.inbox],
                    )]
                }
            })
        })
        .await?;
    let mut deliveries = Vec::new();
    for send in sends {
        deliveries.extend(deliveries_of(send, data));
    }
    Ok(deliveries)
}

/// The ids of the activities of one event: `{base}/activities/{kind}/{event}-{n}`, numbered in
/// the order the plan makes them, which is the same each time the event is planned.
struct Ids<'a> {
    urls: &'a agora_core::urls::Urls,
    event: &'a str,
    next: std::cell::Cell<u32>,
}

impl<'a> Ids<'a> {
    fn new(urls: &'a agora_core::urls::Urls, event: &'a str) -> Ids<'a> {
        Ids {
            urls,
            event,
            next: std::cell::Cell::new(0),
        }
    }

    /// The next activity id of this event.
    fn fresh(&self, kind: &str) -> String {
        let n = self.next.get();
        self.next.set(n + 1);
        self.urls.activity(kind, &format!("{}-{n}", self.event))
    }

    /// Whether an id is ours.
    fn is_local(&self, id: &str) -> bool {
        self.urls.is_local(id)
    }
}

/// One activity, its signer and the inboxes it goes to.
struct Send {
    activity: Value,
    signer: String,
    inboxes: Vec<String>,
    /// The server the activity came from, when we pass on someone else's: it has it already
    /// (and Lemmy answers 400 to its own activities coming back).
    origin: Option<String>,
    /// The signer's key, when no row holds it any more (a deleted account).
    key_pem: Option<String>,
}

impl Send {
    fn new(activity: Value, signer: &str, inboxes: Vec<String>) -> Send {
        Send {
            activity,
            signer: signer.to_string(),
            inboxes,
            origin: None,
            key_pem: None,
        }
    }
}

/// One delivery per remote inbox of a send, each inbox once; blocked domains and the server
/// the activity came from left out.
fn deliveries_of(send: Send, data: &FederationData) -> Vec<Delivery> {
    let activity = with_context(send.activity);
    let policy = data.federation_policy();
    let mut seen = std::collections::BTreeSet::new();
    send.inboxes
        .into_iter()
        .filter(|inbox| !data.urls.is_local(inbox) && seen.insert(inbox.clone()))
        .filter(|inbox| {
            let domain = url::Url::parse(inbox)
                .ok()
                .as_ref()
                .and_then(agora_core::urls::authority);
            domain
                .is_some_and(|d| !policy.refuses(&d) && send.origin.as_deref() != Some(d.as_str()))
        })
        .map(|inbox| Delivery {
            activity: activity.clone(),
            actor: send.signer.clone(),
            inbox,
            key_pem: send.key_pem.clone(),
        })
        .collect()
}

/// A post with its author and the group whose thread it is in.
struct PostContext {
    post: posts::Post,
    author: Actor,
    group: Option<Actor>,
}

impl PostContext {
    fn load(conn: &mut agora_db::DbConn, post_id: i64) -> Result<PostContext, FederationError> {
        let (post, author) = posts::by_id(conn, post_id)?.ok_or(agora_db::DbError::NotFound)?;
        let group = post.group_id.map(|g| actors::by_id(conn, g)).transpose()?;
        Ok(PostContext {
            post,
            author,
            group,
        })
    }

    /// The author's activity about the post, addressed to its group too, and sent to the
    /// author's followers, the author of the post it answers and the group when the group
    /// lives on another server (which then announces it); when the group is local, its
    /// announces of the activity to its followers.
    fn sends(
        &self,
        conn: &mut agora_db::DbConn,
        mut activity: Activity,
        with_object: bool,
        ids: &Ids,
    ) -> Result<Vec<Send>, FederationError> {
        if let Some(group) = &self.group
            && !activity.cc.contains(&group.ap_id)
        {
            activity.cc.push(group.ap_id.clone());
        }
        let activity = serde_json::to_value(activity)?;
        let mut inboxes = follows::remote_follower_inboxes(conn, self.author.id)?;
        inboxes.extend(parent_author_inbox(conn, self.post.in_reply_to.as_deref())?);
        inboxes.extend(
            self.group
                .as_ref()
                .filter(|g| !g.local)
                .map(|g| g.delivery_inbox().to_string()),
        );
        let mut sends = vec![Send::new(activity.clone(), &self.author.ap_id, inboxes)];
        if let Some(group) = self.group.as_ref().filter(|g| g.local) {
            sends.extend(announces(conn, group, &activity, with_object, ids)?);
        }
        Ok(sends)
    }
}

/// A local group passes an activity of its thread on to its followers (FEP-1b12). For new
/// posts it also announces the object itself, the form Mastodon understands (as Lemmy does).
/// Announces of this node's objects have stable ids (`{object}/announce`, as the group's
/// outbox lists them); those of other servers' activities get ids of the event.
///
/// Lemmy takes a group's post only as a `Page` (or `Article`) and answers 400 to
/// `Announce{Create{Note}}` and to `Announce{Note}`; Mastodon shows a `Page` as a title and a
/// link only. So the servers known to run Lemmy get `Announce{Create|Update{Page}}` with a
/// title, and no bare announce; everyone else gets the `Note` forms.
fn announces(
    conn: &mut agora_db::DbConn,
    group: &Actor,
    activity: &Value,
    with_object: bool,
    ids: &Ids,
) -> Result<Vec<Send>, FederationError> {
    let inboxes = follows::remote_follower_inboxes(conn, group.id)?;
    let (lemmy, others) = split_by_software(conn, inboxes, LEMMY)?;
    // A reply from another server is passed on to everyone but that server.
    let origin = activity
        .get("actor")
        .and_then(crate::protocol::id_of)
        .filter(|actor| !ids.is_local(actor))
        .and_then(|actor| url::Url::parse(actor).ok())
        .as_ref()
        .and_then(agora_core::urls::authority);
    let announce =
        |id: String, object: Value, inboxes: Vec<String>| -> Result<Send, FederationError> {
            let activity = announce::by_group(group, &id, object, chrono::Utc::now())?;
            Ok(Send {
                origin: origin.clone(),
                ..Send::new(activity.to_value()?, &group.ap_id, inboxes)
            })
        };
    let stable_id = |object: &Value| match crate::protocol::id_of(object) {
        Some(id) if ids.is_local(id) => format!("{id}/announce"),
        _ => ids.fresh("Announce"),
    };
    let mut sends = Vec::new();
    if !others.is_empty() {
        sends.push(announce(
            stable_id(activity),
            activity.clone(),
            others.clone(),
        )?);
        if with_object && let Some(object) = activity.get("object").filter(|o| o.is_object()) {
            sends.push(announce(stable_id(object), object.clone(), others)?);
        }
    }
    if !lemmy.is_empty() {
        sends.push(announce(ids.fresh("Announce"), as_page(activity), lemmy)?);
    }
    Ok(sends)
}

/// Inboxes of servers known to run `software`, and the others.
fn split_by_software(
    conn: &mut agora_db::DbConn,
    inboxes: Vec<String>,
    software: &str,
) -> Result<(Vec<String>, Vec<String>), FederationError> {
    let domain_of = |inbox: &str| {
        url::Url::parse(inbox)
            .ok()
            .as_ref()
            .and_then(agora_core::urls::authority)
            .unwrap_or_default()
    };
    let domains: Vec<String> = inboxes.iter().map(|i| domain_of(i)).collect();
    let running: std::collections::HashSet<String> =
        agora_db::instances::running(conn, &domains, software)?
            .into_iter()
            .collect();
    Ok(inboxes
        .into_iter()
        .partition(|inbox| running.contains(&domain_of(inbox))))
}

/// `Create{Note}` or `Update{Note}` as Lemmy takes a post: the same activity and object ids,
/// the object a `Page` whose `name` is the first line of its text. Other activities (a
/// `Delete` with its `Tombstone`) are already what Lemmy reads.
fn as_page(activity: &Value) -> Value {
    let mut activity = activity.clone();
    let is_post = matches!(
        activity.get("type").and_then(Value::as_str),
        Some("Create" | "Update")
    ) && activity.pointer("/object/type").and_then(Value::as_str) == Some("Note")
        && activity
            .pointer("/object/inReplyTo")
            .is_none_or(Value::is_null);
    if let Some(object) = activity.get_mut("object").filter(|_| is_post) {
        let content = object
            .get("content")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let title = agora_core::text::title_of(content, LEMMY_TITLE_MAX);
        object["type"] = Value::from("Page");
        object["name"] = Value::from(if title.is_empty() {
            "…".to_string()
        } else {
            title
        });
        object["mediaType"] = Value::from("text/html");
    }
    activity
}

/// Lemmy's longest title.
const LEMMY_TITLE_MAX: usize = 200;

/// An answer to a follow (`Accept`, `Reject`), delivered to the follower.
fn to_follower(
    activity: Activity,
    follower: &Actor,
    target: &Actor,
) -> Result<Send, FederationError> {
    Ok(Send::new(
        activity.to_value()?,
        &target.ap_id,
        vec![follower.inbox.clone()],
    ))
}

/// The inbox of the author of the post answered, when remote, so the author sees the reply.
fn parent_author_inbox(
    conn: &mut agora_db::DbConn,
    parent: Option<&str>,
) -> Result<Option<String>, FederationError> {
    let Some(parent) = parent else {
        return Ok(None);
    };
    Ok(posts::by_ap_id(conn, parent)?
        .filter(|(_, author)| !author.local)
        .map(|(_, author)| author.delivery_inbox().to_string()))
}
