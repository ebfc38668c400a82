//! `/admin/labels`: the labels in force on the moderators' desk, the detector's unconfirmed
//! ones first; a moderator confirms or removes each.

use super::{PageCtx, page_ctx, redirect, render};
use crate::{
    auth,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_service::signage;
use askama::Template;
use serde::Deserialize;

/// A label on the desk.
pub struct DeskLabel {
    /// Row id.
    pub id: i64,
    /// Message key of the label.
    pub key: String,
    /// Message key of who set it.
    pub by_key: String,
    /// What it is on.
    pub target: String,
    /// Why.
    pub reason: String,
    /// When.
    pub at: String,
    /// Confirmed by a moderator (the detector's), or set by one.
    pub reviewed: bool,
}

/// The page.
#[derive(Template)]
#[template(path = "labels_desk.html")]
pub struct LabelsDeskPage {
    p: PageCtx,
    labels: Vec<DeskLabel>,
}

/// `GET /admin/labels`.
#[get("/admin/labels")]
pub async fn desk(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let who = super::signed_in(user, lang)?;
    let rows = signage::for_desk(&state.ctx, &who, false)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let mut labels: Vec<DeskLabel> = rows
        .iter()
        .map(|r| DeskLabel {
            id: r.id,
            key: format!("label-{}", r.label.replace('_', "-")),
            by_key: format!("label-by-{}", r.source.replace('_', "-")),
            target: r.target_ap_id.clone(),
            reason: r.reason.clone(),
            at: super::when(r.created_at),
            reviewed: r.source != agora_core::signage::LabelSource::Detector.as_str()
                || r.confirmed_at.is_some(),
        })
        .collect();
    // What waits for a moderator comes first.
    labels.sort_by_key(|l| l.reviewed);
    render(&LabelsDeskPage { p, labels }, cookie, lang)
}

/// The review form.
#[derive(Deserialize)]
pub struct ReviewForm {
    csrf: String,
    /// `confirm` or `remove`.
    #[serde(default)]
    what: String,
}

/// `POST /admin/labels/{id}`: confirm or remove.
#[post("/admin/labels/{id}")]
pub async fn review(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
    form: web::Form<ReviewForm>,
) -> HttpResult<HttpResponse> {
    let who = super::home::form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&who));
    signage::review(&state.ctx, &who, id.into_inner(), form.what == "confirm")
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect("/admin/labels?notice=decided"))
}
