//! What we know of other servers beyond their actors: which software they run, asked through
//! NodeInfo, because some need what we send in another form.

use crate::jobs::{self, Job, JobKind};
use agora_db::{DbConn, actors::Actor, error::DbResult, instances};
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// NodeInfo's name of Lemmy, which takes a group's update as a post only as a `Page`.
pub const LEMMY: &str = "lemmy";

/// How long an answer about a server's software holds.
pub fn software_max_age() -> Duration {
    Duration::days(7)
}

/// Asking a server which software it runs (`/.well-known/nodeinfo`). Running it twice asks
/// twice; the answer is the same.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProbeSoftware {
    /// The server's authority, as `instances.domain` keys it.
    pub domain: String,
    /// Scheme and authority to ask (`https://lemmy.example`).
    pub origin: String,
}

impl Job for ProbeSoftware {
    const KIND: JobKind = JobKind::ProbeSoftware;
    const MAX_ATTEMPTS: i32 = 3;

    fn target_domain(&self) -> Option<String> {
        Some(self.domain.clone())
    }
}

/// Queues the question to the server of a remote actor when we do not know the answer or it
/// is old; called in the transaction that records the actor's follow of one of our groups.
pub fn probe_if_unknown(conn: &mut DbConn, actor: &Actor) -> DbResult<()> {
    if actor.local {
        return Ok(());
    }
    let Ok(url) = url::Url::parse(&actor.ap_id) else {
        return Ok(());
    };
    let Some(domain) = agora_core::urls::authority(&url) else {
        return Ok(());
    };
    if !instances::software_stale(conn, &domain, software_max_age())? {
        return Ok(());
    }
    let origin = format!("{}://{domain}", url.scheme());
    jobs::enqueue(conn, &[ProbeSoftware { domain, origin }])
}
