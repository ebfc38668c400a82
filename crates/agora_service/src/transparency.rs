//! The yearly evaluation report of `/about/transparency`: reports by category, origin and
//! outcome, handling times, actions by type, appeals and reversals, federation blocks, detector
//! hits and confirmations, with the DSA Art. 15 and 24 figures where they apply. Every number
//! is counted from the database rows of the year each time, never from counters that drift.

use crate::{Context, ServiceError, ServiceResult};
use agora_core::{
    federation_policy::DomainPolicy,
    report::{Action, AppealOutcome, Category},
    signage::{Label, LabelSource},
};
use agora_db::{appeals, federation_policy as rules, labels, reports};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the report says of one year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct YearReport {
    /// The calendar year (UTC).
    pub year: i32,
    /// Reports received in the year.
    pub reports: i64,
    /// Of them, by category (the sixteen, zeros included).
    pub by_category: BTreeMap<String, i64>,
    /// Of them, by where they came from: `local` (filed here) or `remote` (another server).
    pub by_origin: BTreeMap<String, i64>,
    /// Of them, by what came of them: an action, or `open` while undecided.
    pub by_outcome: BTreeMap<String, i64>,
    /// Time from a report to its decision, for those decided: median, in hours.
    pub handling_median_hours: Option<f64>,
    /// And the 90th percentile.
    pub handling_p90_hours: Option<f64>,
    /// Decisions taken in the year, by action (the eight, zeros included).
    pub actions: BTreeMap<String, i64>,
    /// Appeals made in the year.
    pub appeals: i64,
    /// Of them, upheld.
    pub appeals_upheld: i64,
    /// Of them, reversed.
    pub appeals_reversed: i64,
    /// Time from an appeal to its decision, median, in hours.
    pub appeal_median_hours: Option<f64>,
    /// Servers blocked in the year (rules set).
    pub federation_blocks: i64,
    /// Blocks lifted in the year.
    pub federation_unblocks: i64,
    /// Other policy changes (silence, reject media or reports, allow, mode).
    pub federation_other_changes: i64,
    /// Labels the detector set.
    pub detector_hits: i64,
    /// Of them, confirmed by a moderator.
    pub detector_confirmed: i64,
    /// Of them, removed by a moderator.
    pub detector_removed: i64,
    /// Labels moderators set, by label.
    pub moderator_labels: BTreeMap<String, i64>,
}

/// The first and the last year with reports (the current year when there are none).
pub async fn years(ctx: &Context) -> ServiceResult<(i32, i32)> {
    let current = chrono::Utc::now().year();
    let first = ctx.db.run(reports::first_created).await?;
    Ok((first.map_or(current, |f| f.year()).min(current), current))
}

fn year_bounds(year: i32) -> ServiceResult<(NaiveDateTime, NaiveDateTime)> {
    let start = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .ok_or_else(|| ServiceError::invalid("year", "a year between 1970 and 9998"))
    };
    if !(1970..=9998).contains(&year) {
        return Err(ServiceError::invalid(
            "year",
            "a year between 1970 and 9998",
        ));
    }
    Ok((start(year)?, start(year + 1)?))
}

fn hours(d: chrono::TimeDelta) -> f64 {
    d.num_seconds() as f64 / 3600.0
}

/// The value at quantile `q` (0–1) of sorted values: the nearest rank.
fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    // Rounded to the minute: the report speaks in hours, and floats must compare equal in
    // the JSON, the CSV and the page.
    Some((sorted[rank - 1] * 60.0).round() / 60.0)
}

fn zeros<'a>(names: impl Iterator<Item = &'a str>) -> BTreeMap<String, i64> {
    names.map(|n| (n.to_string(), 0)).collect()
}

/// The report of `year`, counted from the rows.
pub async fn yearly(ctx: &Context, year: i32) -> ServiceResult<YearReport> {
    let (from, to) = year_bounds(year)?;
    let domain = ctx.config.instance.domain.to_ascii_lowercase();
    ctx.db
        .run(move |conn| -> ServiceResult<YearReport> {
            let received = reports::received_between(conn, from, to)?;
            let mut by_category = zeros(Category::ALL.iter().map(|c| c.as_str()));
            let mut by_origin = zeros(["local", "remote"].into_iter());
            let mut by_outcome = zeros(Action::ALL.iter().map(|a| a.as_str()));
            by_outcome.insert("open".into(), 0);
            let mut handling = Vec::new();
            for r in &received {
                *by_category.entry(r.category.clone()).or_default() += 1;
                let origin = if r.origin == domain {
                    "local"
                } else {
                    "remote"
                };
                *by_origin.entry(origin.into()).or_default() += 1;
                let outcome = r.action.clone().unwrap_or_else(|| "open".into());
                *by_outcome.entry(outcome).or_default() += 1;
                if let Some(decided) = r.decided_at {
                    handling.push(hours(decided - r.created_at));
                }
            }
            handling.sort_by(f64::total_cmp);
            let mut actions = zeros(Action::ALL.iter().map(|a| a.as_str()));
            for a in reports::actions_between(conn, from, to)? {
                *actions.entry(a).or_default() += 1;
            }
            let made = appeals::made_between(conn, from, to)?;
            let outcome_is =
                |o: &Option<String>, want: AppealOutcome| o.as_deref() == Some(want.as_str());
            let mut appeal_hours: Vec<f64> = made
                .iter()
                .filter_map(|(_, at, decided)| decided.map(|d| hours(d - *at)))
                .collect();
            appeal_hours.sort_by(f64::total_cmp);
            let changes = rules::changes_between(conn, from, to)?;
            let block = DomainPolicy::Block.as_str();
            let count_changes = |change: &str| {
                changes
                    .iter()
                    .filter(|(c, p)| c == change && p == block)
                    .count() as i64
            };
            let federation_blocks = count_changes(rules::change::SET);
            let federation_unblocks = count_changes(rules::change::LIFTED);
            let set = labels::set_between(conn, from, to)?;
            let detector: Vec<_> = set
                .iter()
                .filter(|(_, source, _, _)| source == LabelSource::Detector.as_str())
                .collect();
            let mut moderator_labels = zeros(
                [Label::Disputed, Label::Commercial]
                    .iter()
                    .map(|l| l.as_str()),
            );
            for (label, source, _, _) in &set {
                if source == LabelSource::Moderator.as_str() {
                    *moderator_labels.entry(label.clone()).or_default() += 1;
                }
            }
            Ok(YearReport {
                year,
                reports: received.len() as i64,
                by_category,
                by_origin,
                by_outcome,
                handling_median_hours: quantile(&handling, 0.5),
                handling_p90_hours: quantile(&handling, 0.9),
                actions,
                appeals: made.len() as i64,
                appeals_upheld: made
                    .iter()
                    .filter(|m| outcome_is(&m.0, AppealOutcome::Upheld))
                    .count() as i64,
                appeals_reversed: made
                    .iter()
                    .filter(|m| outcome_is(&m.0, AppealOutcome::Reversed))
                    .count() as i64,
                appeal_median_hours: quantile(&appeal_hours, 0.5),
                federation_blocks,
                federation_unblocks,
                federation_other_changes: changes.len() as i64
                    - federation_blocks
                    - federation_unblocks,
                detector_hits: detector.len() as i64,
                detector_confirmed: detector.iter().filter(|d| d.2).count() as i64,
                detector_removed: detector.iter().filter(|d| d.3).count() as i64,
                moderator_labels,
            })
        })
        .await
}

impl YearReport {
    /// The DSA transparency figures this report gives (Art. 15(1)(b)–(e) and 24(1)): notices
    /// by category, actions by type, median handling time, complaints and their outcomes,
    /// suspensions, automated detection.
    pub fn dsa(&self) -> serde_json::Value {
        serde_json::json!({
            "authority_orders": 0,
            "notices_total": self.reports,
            "notices_by_category": self.by_category,
            "actions_by_type": self.actions,
            "median_time_to_action_hours": self.handling_median_hours,
            "complaints_received": self.appeals,
            "complaints_decisions_upheld": self.appeals_upheld,
            "complaints_decisions_reversed": self.appeals_reversed,
            "complaints_median_time_hours": self.appeal_median_hours,
            "suspensions": self.actions.get(Action::Suspend.as_str()).copied().unwrap_or(0),
            "automated_detections": self.detector_hits,
            "out_of_court_disputes": 0,
        })
    }

    /// The report as CSV: one `section,key,value` line per figure, in the page's order.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("section,key,value\n");
        let mut line = |section: &str, key: &str, value: String| {
            out.push_str(&format!("{section},{key},{value}\n"));
        };
        let opt = |v: Option<f64>| v.map(|h| format!("{h:.2}")).unwrap_or_default();
        line("summary", "year", self.year.to_string());
        line("summary", "reports", self.reports.to_string());
        for (section, map) in [
            ("by_category", &self.by_category),
            ("by_origin", &self.by_origin),
            ("by_outcome", &self.by_outcome),
            ("actions", &self.actions),
            ("moderator_labels", &self.moderator_labels),
        ] {
            for (k, v) in map {
                line(section, k, v.to_string());
            }
        }
        line("handling", "median_hours", opt(self.handling_median_hours));
        line("handling", "p90_hours", opt(self.handling_p90_hours));
        line("appeals", "made", self.appeals.to_string());
        line("appeals", "upheld", self.appeals_upheld.to_string());
        line("appeals", "reversed", self.appeals_reversed.to_string());
        line("appeals", "median_hours", opt(self.appeal_median_hours));
        line("federation", "blocks", self.federation_blocks.to_string());
        line(
            "federation",
            "unblocks",
            self.federation_unblocks.to_string(),
        );
        line(
            "federation",
            "other_changes",
            self.federation_other_changes.to_string(),
        );
        line("detector", "hits", self.detector_hits.to_string());
        line("detector", "confirmed", self.detector_confirmed.to_string());
        line("detector", "removed", self.detector_removed.to_string());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn quantiles_take_the_nearest_rank() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.5), Some(5.0));
        assert_eq!(quantile(&v, 0.9), Some(9.0));
        assert_eq!(quantile(&[3.0], 0.9), Some(3.0));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
