//! `/about/moderation`: the public moderation log — what was done, to what, and why, and every
//! change of the federation policy — as HTML, or JSON to `Accept: application/json`. Never who
//! reported, nor which moderator.

use super::{
    PageCtx, page_ctx, render,
    reports::{action_key, category_key},
};
use crate::{
    error::{Format, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_service::moderation_log::{self, Entry};
use askama::Template;
use chrono::SecondsFormat;
use serde_json::json;

/// A line of the log as the page shows it.
pub struct LogLine {
    /// When.
    pub at: String,
    /// Label key of what was done.
    pub what_key: String,
    /// Label key of the kind of thing, for decisions.
    pub kind_key: Option<String>,
    /// To what: an address, or a domain.
    pub target: String,
    /// Label key of the category, for decisions.
    pub category_key: Option<String>,
    /// Why.
    pub reason: String,
    /// On what ground.
    pub ground: Option<String>,
    /// Label key of an appeal's outcome.
    pub appeal_key: Option<String>,
}

impl LogLine {
    fn new(e: &Entry) -> LogLine {
        let at = super::when(e.at());
        match e {
            Entry::Decision {
                action,
                target_kind,
                target,
                category,
                reason,
                ground,
                appeal,
                ..
            } => LogLine {
                at,
                what_key: action_key(action),
                kind_key: Some(format!("report-kind-{target_kind}")),
                target: target.clone(),
                category_key: Some(category_key(category)),
                reason: reason.clone(),
                ground: ground.clone(),
                appeal_key: appeal.as_deref().map(|o| format!("appeal-{o}")),
            },
            Entry::Federation {
                change,
                domain,
                policy,
                reason,
                ..
            } => LogLine {
                at,
                what_key: if change == "mode" {
                    format!("federation-mode-{policy}")
                } else {
                    format!("federation-{change}-{}", policy.replace('_', "-"))
                },
                kind_key: None,
                target: domain.clone().unwrap_or_default(),
                category_key: None,
                reason: reason.clone(),
                ground: None,
                appeal_key: None,
            },
        }
    }
}

/// The page.
#[derive(Template)]
#[template(path = "moderation_log.html")]
pub struct ModerationLogPage {
    p: PageCtx,
    lines: Vec<LogLine>,
}

fn entry_json(e: &Entry) -> serde_json::Value {
    let at = e.at().and_utc().to_rfc3339_opts(SecondsFormat::Secs, true);
    match e {
        Entry::Decision {
            action,
            target_kind,
            target,
            category,
            reason,
            ground,
            appeal,
            ..
        } => json!({
            "type": "decision", "at": at, "action": action, "target_kind": target_kind,
            "target": target, "category": category, "reason": reason, "ground": ground,
            "appeal": appeal,
        }),
        Entry::Federation {
            change,
            domain,
            policy,
            reason,
            ..
        } => json!({
            "type": "federation", "at": at, "change": change, "domain": domain,
            "policy": policy, "reason": reason,
        }),
    }
}

/// `GET /about/moderation`.
#[get("/about/moderation")]
pub async fn log_page(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let entries = moderation_log::public(&state.ctx).await?;
    if Format::of(&req) == Format::Json {
        let list: Vec<serde_json::Value> = entries.iter().map(entry_json).collect();
        return Ok(HttpResponse::Ok().json(list));
    }
    let (p, _, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let page = ModerationLogPage {
        p,
        lines: entries.iter().map(LogLine::new).collect(),
    };
    render(&page, cookie, lang)
}
