//! Signage: labels on posts, initiatives and petitions, each saying who set it and why —
//! `disputed` and `commercial` by moderators, `commercial` for every post of a `business`
//! account, `artificial_virality` by the detector, which moderators confirm or remove — and
//! the detector itself, fed by the boosts, likes and replies other servers send.

use crate::{Context, ServiceError, ServiceResult, accounts::SignedIn, reports::require_moderator};
use agora_core::{
    ErrorKind,
    report::TargetKind,
    signage::{Burst, InteractionKind, Label, LabelSource},
};
use agora_db::{
    DbConn,
    actors::Actor,
    interactions::{self, NewInteraction},
    labels::{self, LabelRow, NewLabel},
};
use std::collections::{HashMap, HashSet};

/// Longest fact-check link.
const LINK_MAX: usize = 2048;

/// A label a moderator chooses with a `label` decision.
#[derive(Debug, Clone)]
pub struct LabelChoice {
    /// `disputed` or `commercial`.
    pub label: Label,
    /// The fact-check (required for `disputed`).
    pub link: Option<String>,
}

/// Reads a moderator's label choice: `disputed` with an http(s) fact-check link, or
/// `commercial`; the detector's label is the detector's.
pub fn label_choice(label: Option<&str>, link: Option<&str>) -> ServiceResult<LabelChoice> {
    let label = match label.map(str::trim).and_then(Label::parse) {
        Some(l @ (Label::Disputed | Label::Commercial)) => l,
        _ => return Err(ServiceError::invalid("label", "disputed or commercial")),
    };
    let link = link
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string);
    if let Some(l) = &link {
        let ok = l.len() <= LINK_MAX
            && url::Url::parse(l).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !ok {
            return Err(ServiceError::invalid("link", "an http(s) address"));
        }
    }
    if label == Label::Disputed && link.is_none() {
        return Err(ServiceError::invalid(
            "link",
            "a disputed label links a fact-check",
        ));
    }
    Ok(LabelChoice { label, link })
}

/// Sets a moderator's label by a report's decision, in its transaction.
pub(crate) fn set_for_report(
    conn: &mut DbConn,
    kind: TargetKind,
    target: &str,
    choice: &LabelChoice,
    reason: &str,
    by: Option<i64>,
    report_id: i64,
) -> ServiceResult<()> {
    labels::set(
        conn,
        &NewLabel {
            target_kind: kind.as_str().into(),
            target_ap_id: target.into(),
            label: choice.label.as_str().into(),
            source: LabelSource::Moderator.as_str().into(),
            reason: reason.into(),
            link: choice.link.clone(),
            set_by: by,
            report_id: Some(report_id),
            created_at: agora_db::now(),
        },
    )?;
    Ok(())
}

/// A label as pages show it.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The label.
    pub label: Label,
    /// Who set it.
    pub source: LabelSource,
    /// Why.
    pub reason: String,
    /// A fact-check.
    pub link: Option<String>,
    /// A moderator confirmed the detector's label.
    pub confirmed: bool,
}

impl Shown {
    fn of(row: &LabelRow) -> Option<Shown> {
        Some(Shown {
            label: Label::parse(&row.label)?,
            source: LabelSource::parse(&row.source)?,
            reason: row.reason.clone(),
            link: row.link.clone(),
            confirmed: row.confirmed_at.is_some(),
        })
    }
}

/// The labels in force on these things (their ids, with their author's account kind), and
/// `commercial` on what `business` accounts wrote.
pub async fn labels_on(
    ctx: &Context,
    things: &[(String, String)],
) -> ServiceResult<HashMap<String, Vec<Shown>>> {
    let ids: Vec<String> = things.iter().map(|(id, _)| id.clone()).collect();
    let rows = ctx.db.run(move |conn| labels::live_on(conn, &ids)).await?;
    let mut shown: HashMap<String, Vec<Shown>> = HashMap::new();
    for row in &rows {
        if let Some(s) = Shown::of(row) {
            shown.entry(row.target_ap_id.clone()).or_default().push(s);
        }
    }
    for (id, author_kind) in things {
        let labels = shown.entry(id.clone()).or_default();
        if author_kind == "business" && !labels.iter().any(|l| l.label == Label::Commercial) {
            labels.push(Shown {
                label: Label::Commercial,
                source: LabelSource::AccountKind,
                reason: String::new(),
                link: None,
                confirmed: true,
            });
        }
    }
    Ok(shown)
}

/// Records a boost, like or reply another server's account made of one of our posts or
/// petitions, and labels the object when the detector says the burst is artificial.
pub async fn interaction(
    ctx: &Context,
    actor: &Actor,
    object_ap_id: &str,
    kind: InteractionKind,
    activity_ap_id: &str,
) -> ServiceResult<()> {
    if actor.local || !ctx.urls.is_local(object_ap_id) {
        return Ok(());
    }
    let config = ctx.config.signage.clone();
    let (object, activity) = (object_ap_id.to_string(), activity_ap_id.to_string());
    let actor = actor.clone();
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                let Some(target_kind) = ours(conn, &object)? else {
                    return Ok(());
                };
                let now = agora_db::now();
                let new = NewInteraction {
                    object_ap_id: object.clone(),
                    kind: kind.as_str().into(),
                    actor_id: actor.id,
                    actor_domain: actor.domain.to_ascii_lowercase(),
                    actor_published: actor.published_at,
                    activity_ap_id: activity,
                    created_at: now,
                };
                if !interactions::record(conn, &new)? {
                    return Ok(());
                }
                let since = now - chrono::Duration::minutes(config.window_minutes);
                let seen = interactions::since(conn, &object, since)?;
                let young_before = now - chrono::Duration::days(config.young_account_days);
                let accounts: HashSet<i64> = seen.iter().map(|s| s.0).collect();
                let young: HashSet<i64> = seen
                    .iter()
                    .filter(|s| s.2.is_some_and(|p| p > young_before))
                    .map(|s| s.0)
                    .collect();
                let servers: HashSet<&str> = seen.iter().map(|s| s.1.as_str()).collect();
                let burst = Burst {
                    interactions: seen.len() as i64,
                    accounts: accounts.len() as i64,
                    young_accounts: young.len() as i64,
                    servers: servers.len() as i64,
                };
                // Once in force, the label is not set twice (a partial unique index).
                if let Some(reason) = config.judge(&burst) {
                    labels::set(
                        conn,
                        &NewLabel {
                            target_kind: target_kind.as_str().into(),
                            target_ap_id: object.clone(),
                            label: Label::ArtificialVirality.as_str().into(),
                            source: LabelSource::Detector.as_str().into(),
                            reason,
                            link: None,
                            set_by: None,
                            report_id: None,
                            created_at: now,
                        },
                    )?;
                }
                Ok(())
            })
        })
        .await
}

/// What kind of thing of ours an id names, if it is a post or a petition here.
fn ours(conn: &mut DbConn, ap_id: &str) -> ServiceResult<Option<TargetKind>> {
    if agora_db::posts::by_ap_id(conn, ap_id)?.is_some() {
        return Ok(Some(TargetKind::Post));
    }
    if agora_db::petitions::by_ap_id(conn, ap_id)?.is_some() {
        return Ok(Some(TargetKind::Petition));
    }
    Ok(None)
}

/// Labels at most listed on the desk.
const DESK_MAX: i64 = 200;

/// The labels in force, for the desk: the detector's unconfirmed ones, or all.
pub async fn for_desk(
    ctx: &Context,
    who: &SignedIn,
    pending_only: bool,
) -> ServiceResult<Vec<LabelRow>> {
    require_moderator(who)?;
    Ok(ctx
        .db
        .run(move |conn| labels::live(conn, pending_only, DESK_MAX))
        .await?)
}

/// A moderator confirms (`confirm`) or removes a label.
pub async fn review(
    ctx: &Context,
    who: &SignedIn,
    id: i64,
    confirm: bool,
) -> ServiceResult<LabelRow> {
    require_moderator(who)?;
    let by = who.actor.id;
    ctx.db
        .run(move |conn| -> ServiceResult<LabelRow> {
            let row = labels::by_id(conn, id).map_err(|e| match e {
                agora_db::DbError::NotFound => ServiceError::not_found("label"),
                other => other.into(),
            })?;
            let changed = if confirm {
                labels::confirm(conn, row.id, by)?
            } else {
                labels::remove(conn, row.id, Some(by))?
            };
            if !changed {
                return Err(ServiceError::new(
                    ErrorKind::Conflict,
                    "this label was reviewed or removed already",
                ));
            }
            Ok(labels::by_id(conn, id)?)
        })
        .await
}
