//! The federation policy, changed live by moderators: rules on domains (block, allow, silence,
//! reject media, reject reports) and the mode, on top of the configuration's. Every change is
//! in the public moderation log. This process takes a change at once; the others (several
//! processes on one PostgreSQL) within [`RELOAD_EVERY`].

use crate::{Context, ServiceError, ServiceResult, accounts::SignedIn, reports::require_moderator};
use agora_core::{
    ErrorKind,
    federation_policy::{DomainPolicy, FederationMode, FederationPolicy},
};
use agora_db::{
    DbConn,
    federation_policy::{self as rules, Change, LogEntry, Rule, change},
};
use std::{sync::Arc, time::Duration};

/// How often a process re-reads the live rules (changes made by another process).
pub const RELOAD_EVERY: Duration = Duration::from_secs(10);

/// Reads the live rules and mode and puts the policy in effect.
pub async fn reload(ctx: &Context) -> ServiceResult<Arc<FederationPolicy>> {
    let (mode, live) = ctx
        .db
        .run(|conn| -> ServiceResult<_> {
            let mode = rules::live_mode(conn)?.and_then(|m| FederationMode::parse(&m));
            let live: Vec<(String, DomainPolicy)> = rules::rules(conn)?
                .into_iter()
                .filter_map(|r| Some((r.domain, DomainPolicy::parse(&r.policy)?)))
                .collect();
            Ok((mode, live))
        })
        .await?;
    let policy = Arc::new(FederationPolicy::new(&ctx.config.federation, mode, live));
    match ctx.federation_policy.write() {
        Ok(mut current) => *current = policy.clone(),
        Err(poisoned) => *poisoned.into_inner() = policy.clone(),
    }
    Ok(policy)
}

/// Re-reads the policy every [`RELOAD_EVERY`], for as long as the node runs.
pub async fn keep_fresh(ctx: Context) {
    let mut tick = tokio::time::interval(RELOAD_EVERY);
    loop {
        tick.tick().await;
        if let Err(e) = reload(&ctx).await {
            tracing::warn!(error = %e, "federation policy not reloaded");
        }
    }
}

/// A domain as a rule names it: lower case, host or host:port.
pub fn domain_field(ctx: &Context, domain: &str) -> ServiceResult<String> {
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let valid = !domain.is_empty()
        && domain.len() <= 253
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
        && !domain.starts_with(['.', '-', ':']);
    if !valid {
        return Err(ServiceError::invalid("domain", "a host name, or host:port"));
    }
    if domain == ctx.config.instance.domain.to_ascii_lowercase() {
        return Err(ServiceError::invalid("domain", "this node itself"));
    }
    Ok(domain)
}

fn policy_field(policy: &str) -> ServiceResult<DomainPolicy> {
    DomainPolicy::parse(policy.trim()).ok_or_else(|| {
        ServiceError::invalid(
            "policy",
            crate::reports::one_of(DomainPolicy::ALL.iter().map(|p| p.as_str())),
        )
    })
}

/// Sets (`set`) or lifts a rule on a domain, from the desk.
pub async fn change_rule(
    ctx: &Context,
    who: &SignedIn,
    domain: &str,
    policy: &str,
    reason: &str,
    set: bool,
) -> ServiceResult<Arc<FederationPolicy>> {
    require_moderator(who)?;
    let domain = domain_field(ctx, domain)?;
    let policy = policy_field(policy)?;
    let reason = crate::reports::text_field("reason", reason, 1, crate::reports::REASON_MAX)?;
    let by = who.actor.id;
    let changed = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<bool> {
                let c = Change {
                    change: if set { change::SET } else { change::LIFTED },
                    domain: Some(&domain),
                    policy: policy.as_str(),
                    reason: &reason,
                    by: Some(by),
                    report_id: None,
                };
                Ok(if set {
                    rules::set(conn, &c)?
                } else {
                    rules::lift(conn, &c)?
                })
            })
        })
        .await?;
    if !changed {
        return Err(ServiceError::new(
            ErrorKind::Conflict,
            if set {
                "this rule is set already"
            } else {
                "there is no such rule to lift (rules of the configuration file stay)"
            },
        ));
    }
    reload(ctx).await
}

/// Changes the mode, from the desk.
pub async fn change_mode(
    ctx: &Context,
    who: &SignedIn,
    mode: &str,
    reason: &str,
) -> ServiceResult<Arc<FederationPolicy>> {
    require_moderator(who)?;
    let mode = FederationMode::parse(mode.trim())
        .ok_or_else(|| ServiceError::invalid("mode", "blocklist or allowlist"))?;
    let reason = crate::reports::text_field("reason", reason, 1, crate::reports::REASON_MAX)?;
    let by = who.actor.id;
    ctx.db
        .run(move |conn| {
            rules::log(
                conn,
                &Change {
                    change: change::MODE,
                    domain: None,
                    policy: mode.as_str(),
                    reason: &reason,
                    by: Some(by),
                    report_id: None,
                },
            )
        })
        .await?;
    reload(ctx).await
}

/// Blocks (or, `lift`, unblocks) a domain by a report's decision, in its transaction.
pub(crate) fn block_for_report(
    conn: &mut DbConn,
    domain: &str,
    reason: &str,
    by: Option<i64>,
    report_id: i64,
    lift: bool,
) -> ServiceResult<()> {
    let c = Change {
        change: if lift { change::LIFTED } else { change::SET },
        domain: Some(domain),
        policy: DomainPolicy::Block.as_str(),
        reason,
        by,
        report_id: Some(report_id),
    };
    if lift {
        rules::lift(conn, &c)?;
    } else {
        rules::set(conn, &c)?;
    }
    Ok(())
}

/// The policy as the desk shows it: the mode and every rule, with the live rules' reasons.
pub async fn for_desk(
    ctx: &Context,
    who: &SignedIn,
) -> ServiceResult<(Arc<FederationPolicy>, Vec<Rule>)> {
    require_moderator(who)?;
    let live = ctx.db.run(rules::rules).await?;
    Ok((ctx.federation_policy(), live))
}

/// The changes of the policy, newest first, for the public moderation log.
pub async fn log(ctx: &Context, before: Option<i64>, limit: i64) -> ServiceResult<Vec<LogEntry>> {
    Ok(ctx
        .db
        .run(move |conn| rules::entries(conn, before, limit))
        .await?)
}
