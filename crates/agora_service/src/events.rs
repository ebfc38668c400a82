//! Events that must reach other servers. An operation queues one in its own transaction; the
//! federation worker turns it into activities and one delivery per remote inbox.

use crate::jobs::{self, Job, JobKind};
use agora_db::{DbConn, error::DbResult};
use serde::{Deserialize, Serialize};

/// Reading the recent announces of a remote group just followed (its outbox), so its followers
/// here see more than what comes after. Running it twice takes in nothing twice: announces are
/// deduplicated by id.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Backfill {
    /// The remote group's actor row.
    pub group_id: i64,
}

impl Job for Backfill {
    const KIND: JobKind = JobKind::Backfill;
    const MAX_ATTEMPTS: i32 = 10;
}

/// Queues the backfill of a remote group.
pub fn queue_backfill(conn: &mut DbConn, group_id: i64) -> DbResult<()> {
    jobs::enqueue(conn, &[Backfill { group_id }])
}

/// A [`FederationEvent`] waiting for the fan-out, with the id its activities' ids derive from:
/// a fan-out that runs twice produces the same activities, which receivers deduplicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Federate {
    /// Unique to the event, chosen when it is queued.
    pub event_id: String,
    /// What happened.
    #[serde(flatten)]
    pub event: FederationEvent,
}

impl Job for Federate {
    const KIND: JobKind = JobKind::Federate;
    const MAX_ATTEMPTS: i32 = 10;
}

/// Something other servers must hear about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum FederationEvent {
    /// A local post was published: `Create{Note}` to the author's followers.
    PostCreated {
        /// Post row id.
        post_id: i64,
    },
    /// A local post was edited: `Update{Note}`.
    PostUpdated {
        /// Post row id.
        post_id: i64,
    },
    /// A local post was deleted: `Delete{Tombstone}`.
    PostDeleted {
        /// Post row id (the row stays as a tombstone).
        post_id: i64,
    },
    /// A group of this node passes on an activity of its thread to its followers (FEP-1b12):
    /// `Announce{activity}`, plus `Announce{object}` for servers that only understand that form
    /// (Mastodon) when `with_object` is set.
    GroupAnnounced {
        /// The local group actor.
        group_id: i64,
        /// The activity announced (`Create`, `Update` or `Delete`), as received.
        activity: serde_json::Value,
        /// Whether to announce the activity's object too (new posts).
        with_object: bool,
    },
    /// A local actor changed its profile: `Update{Person}` to its followers.
    ActorUpdated {
        /// Actor row id.
        actor_id: i64,
    },
    /// A local actor asked to follow a remote one: `Follow`.
    FollowRequested {
        /// Follow row id.
        follow_id: i64,
    },
    /// A local actor accepted a remote follower: `Accept{Follow}`.
    FollowAccepted {
        /// Follow row id.
        follow_id: i64,
    },
    /// A local actor refused a remote follower: `Reject{Follow}`.
    FollowRejected {
        /// Id of the refused `Follow`.
        follow_ap_id: String,
        /// The remote follower.
        follower_id: i64,
        /// The local actor.
        target_id: i64,
    },
    /// A local petition was published: `Create{Question}` to its author's followers.
    PetitionPublished {
        /// Petition row id.
        petition_id: i64,
    },
    /// A local petition's count or status moved: `Update{Question}` with the count and status
    /// at fan-out time (`closed` once closed), its `updated` untouched.
    PetitionUpdated {
        /// Petition row id.
        petition_id: i64,
    },
    /// A local user signed another server's petition: the vote, `Create{Note}` with the
    /// option's name, to the inbox of the petition's author.
    VoteCast {
        /// Signature row id.
        signature_id: i64,
    },
    /// A local user withdrew that signature: `Undo{Create{Note}}`.
    VoteWithdrawn {
        /// Signature row id.
        signature_id: i64,
    },
    /// A report on another server's content is forwarded to it: `Flag` from the moderation
    /// actor, naming no reporter.
    ReportForwarded {
        /// Report row id.
        report_id: i64,
    },
    /// A report another server sent was decided: `Resolve{Flag}` back to it, with the
    /// decision and its reason.
    ReportResolved {
        /// Report row id.
        report_id: i64,
    },
    /// A local account blocked another server's account: `Block` to it, as Mastodon sends it.
    Blocked {
        /// The blocking actor's row id.
        actor_id: i64,
        /// The blocked actor's row id.
        target_id: i64,
    },
    /// A local account lifted its block of another server's account: `Undo{Block}` to it.
    BlockLifted {
        /// The actor's row id.
        actor_id: i64,
        /// The actor once blocked.
        target_id: i64,
    },
    /// A local actor moved to the address in its `moved_to`: `Move` to its followers and to
    /// the accounts of other servers that block it.
    ActorMoved {
        /// Actor row id.
        actor_id: i64,
    },
    /// A local account was deleted: `Delete{Person}` to every server that may hold a copy.
    /// The actor's row is gone, so what the fan-out needs travels here.
    AccountDeleted {
        /// The deleted actor's id.
        actor: String,
        /// Its private key (PKCS#8 PEM), to sign the deliveries.
        key_pem: String,
        /// Every inbox to tell.
        inboxes: Vec<String>,
    },
    /// A local actor stopped following a remote one: `Undo{Follow}`.
    FollowUndone {
        /// Id of the undone `Follow`.
        follow_ap_id: String,
        /// The local follower.
        follower_id: i64,
        /// The remote actor.
        target_id: i64,
    },
}

/// How long changes of a petition's count gather before its followers get one
/// `Update{Question}`: a burst of signatures makes a few updates, not one per signature.
pub const COUNT_UPDATE_DELAY_SECS: i64 = 3;

/// A local petition's count moved: its followers get the new count soon, once for all the
/// changes until then. Called inside the transaction that changed the count.
pub fn petition_counted(
    conn: &mut DbConn,
    petition: &agora_db::petitions::Petition,
) -> DbResult<()> {
    // Read in this transaction after the petition's lock: already owed, nothing to write.
    if petition.update_due_at.is_some() {
        return Ok(());
    }
    let petition_id = petition.id;
    let now = agora_db::now();
    if agora_db::petitions::mark_update_due(conn, petition_id, now)? {
        let at = now + chrono::Duration::seconds(COUNT_UPDATE_DELAY_SECS);
        jobs::enqueue_at(
            conn,
            &[federate(FederationEvent::PetitionUpdated { petition_id })],
            at,
        )?;
    }
    Ok(())
}

/// A local actor changed (profile, kind, pictures, pins): its followers' servers will receive
/// `Update` with the whole document. Called inside the transaction that made the change.
pub fn actor_changed(conn: &mut DbConn, actor_id: i64) -> DbResult<()> {
    queue(conn, &FederationEvent::ActorUpdated { actor_id })
}

/// Queues an event for the federation worker.
pub fn queue(conn: &mut DbConn, event: &FederationEvent) -> DbResult<()> {
    jobs::enqueue(conn, &[federate(event.clone())])
}

fn federate(event: FederationEvent) -> Federate {
    Federate {
        event_id: uuid::Uuid::new_v4().simple().to_string(),
        event,
    }
}
