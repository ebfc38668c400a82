//! `/about/terms` and `/about/data`: the terms of service and the data policy, each version
//! with its history and what changed between two versions (`?from=1&to=2`), as HTML or JSON
//! (`Accept: application/json`); and the acceptance of a new version of the terms.

use super::{PageCtx, page_ctx, redirect, render};
use crate::{
    auth,
    error::{Format, HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_service::policies::{self, DiffLine, PolicyKind};
use askama::Template;
use chrono::SecondsFormat;
use serde::Deserialize;

/// The page of one version, or of a diff.
#[derive(Template)]
#[template(path = "policy.html")]
pub struct PolicyPage {
    p: PageCtx,
    /// `terms` or `data`.
    kind: &'static str,
    /// Message key of the title.
    title_key: &'static str,
    version: i32,
    published: String,
    /// The text, as written (shown preformatted: no markup is interpreted).
    content: String,
    /// Every version: number and date.
    history: Vec<(i32, String)>,
    /// With `?from=&to=`: the lines that changed.
    diff: Option<(i32, i32, Vec<DiffLine>)>,
    /// The viewer has this version of the terms to accept.
    to_accept: Option<i32>,
}

/// `?version=`, or `?from=&to=`.
#[derive(Deserialize)]
pub struct PolicyQuery {
    version: Option<i32>,
    from: Option<i32>,
    to: Option<i32>,
}

async fn page(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: PolicyQuery,
    kind: PolicyKind,
) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let in_lang = |e: agora_service::ServiceError| HttpError::from(e).in_lang(lang);
    let (shown, history) = policies::read(&state.ctx, kind, query.version)
        .await
        .map_err(in_lang)?;
    let diff = match (query.from, query.to) {
        (Some(from), Some(to)) => Some((
            from,
            to,
            policies::diff(&state.ctx, kind, from, to)
                .await
                .map_err(in_lang)?,
        )),
        _ => None,
    };
    let time = |v: &agora_service::model::PolicyVersion| {
        v.published_at
            .and_utc()
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    };
    if Format::of(&req) == Format::Json {
        return Ok(HttpResponse::Ok().json(serde_json::json!({
            "kind": kind.as_str(),
            "version": shown.version,
            "published_at": time(&shown),
            "content": shown.content,
            "history": history.iter().map(|v| serde_json::json!({
                "version": v.version, "published_at": time(v),
            })).collect::<Vec<_>>(),
            "diff": diff.as_ref().map(|(_, _, lines)| lines.iter()
                .map(|l| format!("{}{}", l.sign, l.text)).collect::<Vec<_>>()),
        })));
    }
    let to_accept = match (&user, kind) {
        (Some(who), PolicyKind::Terms) => policies::terms_pending(&state.ctx, who),
        _ => None,
    };
    let page = PolicyPage {
        p,
        kind: kind.as_str(),
        title_key: match kind {
            PolicyKind::Terms => "policy-terms",
            PolicyKind::Data => "policy-data",
        },
        version: shown.version,
        published: super::when(shown.published_at),
        content: shown.content.clone(),
        history: history
            .iter()
            .map(|v| (v.version, v.published_at.format("%Y-%m-%d").to_string()))
            .collect(),
        diff,
        to_accept,
    };
    render(&page, cookie, lang)
}

/// `GET /about/terms`.
#[get("/about/terms")]
pub async fn terms(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<PolicyQuery>,
) -> HttpResult<HttpResponse> {
    page(req, state, query.into_inner(), PolicyKind::Terms).await
}

/// `GET /about/data`.
#[get("/about/data")]
pub async fn data(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<PolicyQuery>,
) -> HttpResult<HttpResponse> {
    page(req, state, query.into_inner(), PolicyKind::Data).await
}

/// The acceptance form.
#[derive(Deserialize)]
pub struct AcceptForm {
    csrf: String,
    version: i32,
}

/// `POST /about/terms/accept`: the signed-in account accepts the version it was shown.
#[post("/about/terms/accept")]
pub async fn accept(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<AcceptForm>,
) -> HttpResult<HttpResponse> {
    let who = super::home::form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&who));
    policies::accept_terms(&state.ctx, &who, form.version)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect("/?notice=terms-accepted"))
}
