//! The public moderation log: what moderators did, to what, and why, and every change of the
//! federation policy. Never who reported, nor which moderator.

use crate::{Context, ServiceResult};
use agora_core::report::Action;
use agora_db::{appeals, federation_policy as rules, reports};
use chrono::NaiveDateTime;

/// Entries of each kind the log shows at most.
pub const LOG_MAX: i64 = 200;

/// One line of the log.
#[derive(Debug, Clone)]
pub enum Entry {
    /// A decision on a report that did something.
    Decision {
        /// When.
        at: NaiveDateTime,
        /// What was done.
        action: String,
        /// To what kind of thing.
        target_kind: String,
        /// To what (its address).
        target: String,
        /// Under which category it was reported.
        category: String,
        /// Why.
        reason: String,
        /// On what ground.
        ground: Option<String>,
        /// What came of an appeal, if one was decided.
        appeal: Option<String>,
    },
    /// A change of the federation policy.
    Federation {
        /// When.
        at: NaiveDateTime,
        /// `set`, `lifted` or `mode`.
        change: String,
        /// The domain of a rule.
        domain: Option<String>,
        /// The rule's policy, or the new mode.
        policy: String,
        /// Why.
        reason: String,
    },
}

impl Entry {
    /// When it happened.
    pub fn at(&self) -> NaiveDateTime {
        match self {
            Entry::Decision { at, .. } | Entry::Federation { at, .. } => *at,
        }
    }
}

/// The latest entries, newest first.
pub async fn public(ctx: &Context) -> ServiceResult<Vec<Entry>> {
    let mut entries = ctx
        .db
        .run(|conn| -> ServiceResult<Vec<Entry>> {
            let acted = reports::acted(conn, Action::Dismiss.as_str(), LOG_MAX)?;
            let ids: Vec<i64> = acted.iter().map(|r| r.id).collect();
            let appeals = appeals::of_many(conn, &ids)?;
            let mut entries: Vec<Entry> = acted
                .into_iter()
                .map(|r| Entry::Decision {
                    at: r.decided_at.unwrap_or(r.created_at),
                    appeal: appeals
                        .iter()
                        .find(|a| a.report_id == r.id)
                        .and_then(|a| a.outcome.clone()),
                    action: r.action.unwrap_or_default(),
                    target_kind: r.target_kind,
                    target: r.target_ap_id,
                    category: r.category,
                    reason: r.reason.unwrap_or_default(),
                    ground: r.ground,
                })
                .collect();
            entries.extend(rules::entries(conn, None, LOG_MAX)?.into_iter().map(|e| {
                Entry::Federation {
                    at: e.created_at,
                    change: e.change,
                    domain: e.domain,
                    policy: e.policy,
                    reason: e.reason,
                }
            }));
            Ok(entries)
        })
        .await?;
    entries.sort_by_key(|e| std::cmp::Reverse(e.at()));
    Ok(entries)
}
