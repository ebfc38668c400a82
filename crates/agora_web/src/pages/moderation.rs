//! The moderation desk: the queue with its filters, one report with its context, and the
//! decision form (moderators and administrators).

use super::{
    PageCtx, page_ctx, redirect, render,
    reports::{CategoryOption, action_key, category_key, category_options},
};
use crate::{
    auth,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use agora_core::{
    ErrorKind,
    report::{AppealOutcome, ReportStatus},
};
use agora_service::{
    accounts::SignedIn,
    model::{QueueFilter, Report},
    reports::{self, DecisionRequest},
};
use askama::Template;
use serde::Deserialize;

/// A report as the desk lists it.
pub struct DeskItem {
    /// Row id.
    pub id: i64,
    /// When it came.
    pub created: String,
    /// The reporting server, or ours.
    pub origin: String,
    /// Label key of its category.
    pub category_key: String,
    /// Label key of its kind.
    pub kind_key: String,
    /// What is reported.
    pub target: String,
    /// Label key of its status.
    pub status_key: String,
    /// The comment.
    pub comment: String,
    /// Label key of the decision, once decided.
    pub action_key: Option<String>,
    /// Why, once decided.
    pub reason: Option<String>,
}

impl DeskItem {
    fn new(r: &Report) -> DeskItem {
        DeskItem {
            id: r.id,
            created: super::when(r.created_at),
            origin: r.origin.clone(),
            category_key: category_key(&r.category),
            kind_key: format!("report-kind-{}", r.target_kind),
            target: r.target_ap_id.clone(),
            status_key: format!("report-status-{}", r.status),
            comment: r.comment.clone(),
            action_key: r.action.as_deref().map(action_key),
            reason: r.reason.clone(),
        }
    }
}

/// The queue page.
#[derive(Template)]
#[template(path = "moderation_queue.html")]
pub struct QueuePage {
    p: PageCtx,
    items: Vec<DeskItem>,
    categories: Vec<CategoryOption>,
    statuses: Vec<&'static str>,
    status: String,
    category: String,
    origin: String,
    target: String,
    assigned: String,
}

/// The queue's filters, as the filter form sends them.
#[derive(Deserialize)]
pub struct QueueQuery {
    status: Option<String>,
    category: Option<String>,
    origin: Option<String>,
    target: Option<String>,
    /// `me`, `none`, or anything else for everyone's.
    assigned: Option<String>,
}

/// `GET /admin/reports`: the queue, open reports first by default.
#[get("/admin/reports")]
pub async fn queue_page(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<QueueQuery>,
) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let who = super::signed_in(user, lang)?;
    let q = query.into_inner();
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).unwrap_or_default();
    // No status chosen: the open ones. "all" shows every status.
    let status = q
        .status
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| ReportStatus::Open.as_str().to_string());
    let (category, origin, target) = (clean(q.category), clean(q.origin), clean(q.target));
    let assigned = clean(q.assigned);
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let filter = QueueFilter {
        status: (status != "all")
            .then(|| status.clone())
            .filter(|s| !s.is_empty()),
        category: some(&category),
        origin: some(&origin).map(|o| o.to_ascii_lowercase()),
        target: some(&target),
        assigned: match assigned.as_str() {
            "me" => Some(Some(who.actor.id)),
            "none" => Some(None),
            _ => None,
        },
    };
    let found = reports::queue(&state.ctx, &who, filter)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let page = QueuePage {
        p,
        items: found.iter().map(DeskItem::new).collect(),
        categories: category_options(),
        statuses: ReportStatus::ALL.iter().map(|s| s.as_str()).collect(),
        status,
        category,
        origin,
        target,
        assigned,
    };
    render(&page, cookie, lang)
}

/// An appeal as the desk and the account's pages show it.
pub struct AppealItem {
    /// What the account wrote.
    pub text: String,
    /// When.
    pub at: String,
    /// Label key of the outcome, once decided.
    pub outcome_key: Option<String>,
    /// Why, once decided.
    pub reason: Option<String>,
}

impl AppealItem {
    /// The appeal once made; `None` before.
    pub fn of(a: &agora_service::model::Appeal) -> Option<AppealItem> {
        Some(AppealItem {
            text: a.text.clone()?,
            at: super::when(a.appealed_at?),
            outcome_key: a.outcome.as_deref().map(|o| format!("appeal-{o}")),
            reason: a.reason.clone(),
        })
    }
}

/// One report on the desk.
#[derive(Template)]
#[template(path = "moderation_report.html")]
pub struct DeskReportPage {
    p: PageCtx,
    item: DeskItem,
    /// The content as it was when reported, pretty-printed.
    snapshot: String,
    /// Who reported, as moderators may know it: an account here, a visitor, or a server.
    by_key: String,
    ground: Option<String>,
    earlier: Vec<DeskItem>,
    open: bool,
    /// Taken by the viewer, by another moderator, or by nobody.
    assigned_to_me: bool,
    assigned_to_other: bool,
    /// The appeal, once made: what the account wrote, and the outcome once decided.
    appeal: Option<AppealItem>,
    /// The viewer may decide the appeal (an appeal waits, and they did not decide the report).
    can_decide_appeal: bool,
    outcomes: Vec<(&'static str, String)>,
    actions: Vec<(&'static str, String)>,
    /// What was typed, when the form comes back with an error.
    action: String,
    reason: String,
    ground_typed: String,
    error: Option<String>,
}

async fn desk_report(
    state: &WebState,
    p: PageCtx,
    who: &SignedIn,
    id: i64,
    typed: (&str, &str, &str),
    error: Option<String>,
) -> HttpResult<DeskReportPage> {
    let lang = p.lang;
    let desk = reports::for_moderator(&state.ctx, who, id)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let (report, earlier) = (&desk.report, &desk.earlier);
    let appeal = desk.appeal.as_ref().and_then(AppealItem::of);
    let waiting = report.status == ReportStatus::Appealed.as_str();
    let snapshot = serde_json::from_str::<serde_json::Value>(&report.snapshot)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_default();
    let by_key = if report.sender_id.is_some() {
        "report-by-server"
    } else if report.reporter_id.is_some() {
        "report-by-account"
    } else {
        "report-by-visitor"
    };
    Ok(DeskReportPage {
        item: DeskItem::new(report),
        assigned_to_me: report.assigned_to == Some(who.actor.id),
        assigned_to_other: report.assigned_to.is_some_and(|m| m != who.actor.id),
        can_decide_appeal: waiting && report.decided_by != Some(who.actor.id),
        appeal,
        outcomes: AppealOutcome::ALL
            .iter()
            .map(|o| (o.as_str(), format!("appeal-{}", o.as_str())))
            .collect(),
        snapshot,
        by_key: by_key.into(),
        ground: report.ground.clone(),
        earlier: earlier.iter().map(DeskItem::new).collect(),
        open: report.status == ReportStatus::Open.as_str(),
        actions: reports::AVAILABLE_ACTIONS
            .iter()
            .map(|a| (a.as_str(), action_key(a.as_str())))
            .collect(),
        action: typed.0.to_string(),
        reason: typed.1.to_string(),
        ground_typed: typed.2.to_string(),
        error,
        p,
    })
}

/// `GET /admin/reports/{id}`.
#[get("/admin/reports/{id}")]
pub async fn report_page(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let who = super::signed_in(user, lang)?;
    let page = desk_report(&state, p, &who, id.into_inner(), ("", "", ""), None).await?;
    render(&page, cookie, lang)
}

/// The decision form.
#[derive(Deserialize)]
pub struct DecisionForm {
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    ground: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    link: String,
}

/// `POST /admin/reports/{id}/decision`. A refused field shows the report again with what was
/// typed.
#[post("/admin/reports/{id}/decision")]
pub async fn decide(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
    form: web::Form<DecisionForm>,
) -> HttpResult<HttpResponse> {
    let form = form.into_inner();
    let id = id.into_inner();
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    auth::check_csrf(&req, user.as_ref(), &form.csrf, lang)?;
    let who = super::signed_in(user, lang)?;
    let request = DecisionRequest {
        action: form.action.clone(),
        reason: form.reason.clone(),
        ground: Some(form.ground.clone()),
        label: Some(form.label.clone()).filter(|l| !l.is_empty()),
        link: Some(form.link.clone()).filter(|l| !l.is_empty()),
    };
    match reports::decide(&state.ctx, &who, id, request).await {
        Ok(_) => Ok(redirect(&format!("/admin/reports/{id}?notice=decided"))),
        Err(e) if matches!(e.kind, ErrorKind::InvalidField | ErrorKind::Conflict) => {
            let error = Some(HttpError::from(e).in_lang(lang).message());
            let typed = (
                form.action.as_str(),
                form.reason.as_str(),
                form.ground.as_str(),
            );
            let page = desk_report(&state, p, &who, id, typed, error).await?;
            let mut response = render(&page, cookie, lang)?;
            *response.status_mut() = StatusCode::BAD_REQUEST;
            Ok(response)
        }
        Err(e) => Err(HttpError::from(e).in_lang(lang)),
    }
}

/// The take / let go form.
#[derive(Deserialize)]
pub struct AssignForm {
    csrf: String,
    /// `take` or `release`.
    #[serde(default)]
    what: String,
}

/// `POST /admin/reports/{id}/assign`: the moderator takes the report, or lets it go.
#[post("/admin/reports/{id}/assign")]
pub async fn assign(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
    form: web::Form<AssignForm>,
) -> HttpResult<HttpResponse> {
    let id = id.into_inner();
    let who = super::home::form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&who));
    reports::assign(&state.ctx, &who, id, form.what == "take")
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect(&format!("/admin/reports/{id}")))
}

/// The appeal decision form.
#[derive(Deserialize)]
pub struct AppealDecisionForm {
    csrf: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/reports/{id}/appeal`: another moderator upholds or reverses the decision.
#[post("/admin/reports/{id}/appeal")]
pub async fn decide_appeal(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
    form: web::Form<AppealDecisionForm>,
) -> HttpResult<HttpResponse> {
    let id = id.into_inner();
    let who = super::home::form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&who));
    reports::decide_appeal(&state.ctx, &who, id, &form.outcome, &form.reason)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect(&format!("/admin/reports/{id}?notice=decided")))
}
