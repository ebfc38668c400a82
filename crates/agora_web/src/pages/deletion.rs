//! `/settings/delete`: the account asks for its deletion with its password, sees when it will
//! happen, and can cancel until then.

use super::{PageCtx, home::form_user, page_ctx, redirect, render};
use crate::{
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_service::deletion;
use askama::Template;
use serde::Deserialize;

/// The page.
#[derive(Template)]
#[template(path = "delete.html")]
pub struct DeletePage {
    p: PageCtx,
    /// When the pending deletion happens, if one is pending.
    due: Option<String>,
}

/// `GET /settings/delete`.
#[get("/settings/delete")]
pub async fn page(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let who = super::signed_in(user, lang)?;
    let due = who.user.deletion_due_at.map(super::when);
    render(&DeletePage { p, due }, cookie, lang)
}

/// The deletion form.
#[derive(Deserialize)]
pub struct DeleteForm {
    csrf: String,
    password: String,
}

/// `POST /settings/delete`: asks for the deletion.
#[post("/settings/delete")]
pub async fn request(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<DeleteForm>,
) -> HttpResult<HttpResponse> {
    let who = form_user(&req, &state, &form.csrf).await?;
    let lang = crate::auth::lang(&req, &state, Some(&who));
    deletion::request(&state.ctx, &who, &form.password)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect("/settings/delete"))
}

/// The cancel form.
#[derive(Deserialize)]
pub struct CancelForm {
    csrf: String,
}

/// `POST /settings/delete/cancel`: keeps the account.
#[post("/settings/delete/cancel")]
pub async fn cancel(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<CancelForm>,
) -> HttpResult<HttpResponse> {
    let who = form_user(&req, &state, &form.csrf).await?;
    let lang = crate::auth::lang(&req, &state, Some(&who));
    deletion::cancel(&state.ctx, &who)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect("/settings/delete"))
}
