//! The report button's form, the same for every account, post, update, initiative and
//! petition, local or remote, signed in or not; and the reporter's view of a report.

use super::{MessagePage, PageCtx, page_ctx, redirect, render, when};
use crate::{
    auth,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use agora_core::{ErrorKind, report::Category};
use agora_service::reports::{self, NewReport, Reporter};
use askama::Template;
use serde::Deserialize;

/// The message key of a report category's label (one place for every page).
pub fn category_key(category: &str) -> String {
    format!("category-{}", category.replace('_', "-"))
}

/// The message key of a moderator action's label.
pub fn action_key(action: &str) -> String {
    format!("action-{}", action.replace('_', "-"))
}

/// A category in a form: its identifier and label key.
pub struct CategoryOption {
    /// Identifier (`scams_and_fraud`).
    pub id: &'static str,
    /// Label key.
    pub key: String,
}

/// Every category, in the DSA list's order.
pub fn category_options() -> Vec<CategoryOption> {
    Category::ALL
        .iter()
        .map(|c| CategoryOption {
            id: c.as_str(),
            key: category_key(c.as_str()),
        })
        .collect()
}

/// The report form.
#[derive(Template)]
#[template(path = "report_new.html")]
pub struct ReportFormPage {
    p: PageCtx,
    /// What is reported (its id), sent back with the form.
    target: String,
    /// Message key of its kind.
    kind_key: String,
    /// The account answerable for it.
    answerable: String,
    /// The server it comes from, when another one.
    remote_host: Option<String>,
    categories: Vec<CategoryOption>,
    /// What was typed, when the form comes back with an error.
    category: String,
    comment: String,
    forward: bool,
    error: Option<String>,
    comment_max: usize,
}

/// `?target=`.
#[derive(Deserialize)]
pub struct TargetQuery {
    target: Option<String>,
}

/// `GET /report?target=…`: the form for what `target` names.
#[get("/report")]
pub async fn report_form(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<TargetQuery>,
) -> HttpResult<HttpResponse> {
    let (p, _, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let target = query.into_inner().target.unwrap_or_default();
    let page = form_page(&state, p, &target, "", "", true, None).await?;
    render(&page, cookie, lang)
}

async fn form_page(
    state: &WebState,
    p: PageCtx,
    target: &str,
    category: &str,
    comment: &str,
    forward: bool,
    error: Option<String>,
) -> HttpResult<ReportFormPage> {
    let lang = p.lang;
    let preview = reports::preview(&state.ctx, target)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(ReportFormPage {
        p,
        target: preview.ap_id,
        kind_key: format!("report-kind-{}", preview.kind.as_str()),
        answerable: preview.answerable,
        remote_host: preview.remote_host,
        categories: category_options(),
        category: category.to_string(),
        comment: comment.to_string(),
        forward,
        error,
        comment_max: reports::COMMENT_MAX,
    })
}

/// The report form as sent.
#[derive(Deserialize)]
pub struct ReportForm {
    csrf: String,
    target: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    comment: String,
    /// A checkbox: present when ticked.
    forward: Option<String>,
}

/// `POST /report`. A refused field shows the form again with what was typed.
#[post("/report")]
pub async fn file_report(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<ReportForm>,
) -> HttpResult<HttpResponse> {
    let form = form.into_inner();
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    auth::check_csrf(&req, user.as_ref(), &form.csrf, lang)?;
    let client = auth::client_key(&req, &state);
    let reporter = match &user {
        Some(who) => Reporter::Account(who),
        None => Reporter::Visitor(&client),
    };
    let new = NewReport {
        target: form.target.clone(),
        category: form.category.clone(),
        comment: Some(form.comment.clone()),
        forward: form.forward.is_some(),
    };
    match reports::file(&state.ctx, reporter, new).await {
        Ok(report) if user.is_some() => {
            Ok(redirect(&format!("/reports/{}?notice=reported", report.id)))
        }
        Ok(_) => {
            let page = MessagePage {
                title: lang.t("report-filed-title"),
                message: lang.t("report-filed-visitor"),
                p,
            };
            render(&page, cookie, lang)
        }
        Err(e) if e.kind == ErrorKind::InvalidField => {
            let error = Some(HttpError::from(e).in_lang(lang).message());
            let page = form_page(
                &state,
                p,
                &form.target,
                &form.category,
                &form.comment,
                form.forward.is_some(),
                error,
            )
            .await?;
            let mut response = render(&page, cookie, lang)?;
            *response.status_mut() = StatusCode::BAD_REQUEST;
            Ok(response)
        }
        Err(e) => Err(HttpError::from(e).in_lang(lang)),
    }
}

/// A decision as a page shows it.
pub struct DecisionItem {
    /// Label key of the action.
    pub action_key: String,
    /// Why.
    pub reason: String,
    /// The legal or terms ground.
    pub ground: Option<String>,
    /// When.
    pub at: String,
}

/// The reporter's view of a report.
#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage {
    p: PageCtx,
    id: i64,
    target: String,
    kind_key: String,
    category_key: String,
    comment: String,
    status_key: String,
    filed: String,
    forwarded_to: Option<String>,
    decision: Option<DecisionItem>,
    remote_decision: Option<DecisionItem>,
}

/// `GET /reports/{id}`: one of the signed-in user's reports, with the decisions on it.
#[get("/reports/{id}")]
pub async fn report_page(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let user = super::signed_in(user, lang)?;
    let r = reports::mine(&state.ctx, &user, id.into_inner())
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let decision = match (&r.action, &r.reason) {
        (Some(action), Some(reason)) => Some(DecisionItem {
            action_key: action_key(action),
            reason: reason.clone(),
            ground: r.ground.clone(),
            at: r.decided_at.map(when).unwrap_or_default(),
        }),
        _ => None,
    };
    let remote_decision = r.remote_action.as_ref().map(|action| DecisionItem {
        action_key: action_key(action),
        reason: r.remote_reason.clone().unwrap_or_default(),
        ground: None,
        at: r.remote_decided_at.map(when).unwrap_or_default(),
    });
    let forwarded_to = r
        .forward
        .then(|| url::Url::parse(&r.target_ap_id).ok())
        .flatten()
        .and_then(|u| agora_core::urls::authority(&u));
    let page = ReportPage {
        id: r.id,
        target: r.target_ap_id.clone(),
        kind_key: format!("report-kind-{}", r.target_kind),
        category_key: category_key(&r.category),
        comment: r.comment.clone(),
        status_key: format!("report-status-{}", r.status),
        filed: when(r.created_at),
        forwarded_to,
        decision,
        remote_decision,
        p,
    };
    render(&page, cookie, lang)
}
