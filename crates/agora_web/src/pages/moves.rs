//! `/settings/move`: the account lists its other accounts (aliases, so they can move here) and
//! moves to a new one, as Mastodon's "Moving from / to another account" pages do.

use super::{PageCtx, home::form_user, page_ctx, redirect, render};
use crate::{
    api::{
        moves::{fresh_target, resolve_aliases},
        views::ActorAddress,
    },
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_service::moves;
use askama::Template;
use serde::Deserialize;

/// The page.
#[derive(Template)]
#[template(path = "move.html")]
pub struct MovePage {
    p: PageCtx,
    /// The aliases, one per line.
    aliases: String,
    /// Where the account moved, if it did.
    moved_to: Option<String>,
}

/// `GET /settings/move`.
#[get("/settings/move")]
pub async fn page(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let who = super::signed_in(user, lang)?;
    let page = MovePage {
        aliases: who.actor.aliases().join("\n"),
        moved_to: who.actor.moved_to.clone(),
        p,
    };
    render(&page, cookie, lang)
}

/// The addresses of an aliases field, one per line.
pub fn alias_lines(text: &str) -> Vec<ActorAddress> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| ActorAddress(l.to_string()))
        .collect()
}

/// The aliases form.
#[derive(Deserialize)]
pub struct AliasesForm {
    csrf: String,
    /// One `@name@host` or id per line.
    aliases: String,
}

/// `POST /settings/aliases`.
#[post("/settings/aliases")]
pub async fn set_aliases(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<AliasesForm>,
) -> HttpResult<HttpResponse> {
    let who = form_user(&req, &state, &form.csrf).await?;
    let lang = crate::auth::lang(&req, &state, Some(&who));
    let aliases = resolve_aliases(&state, &alias_lines(&form.aliases))
        .await
        .map_err(|e| e.in_lang(lang))?;
    moves::set_aliases(&state.ctx, &who, &aliases)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect("/settings/move"))
}

/// The move form.
#[derive(Deserialize)]
pub struct MoveForm {
    csrf: String,
    target: String,
}

/// `POST /settings/move`.
#[post("/settings/move")]
pub async fn move_account(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<MoveForm>,
) -> HttpResult<HttpResponse> {
    let who = form_user(&req, &state, &form.csrf).await?;
    let lang = crate::auth::lang(&req, &state, Some(&who));
    let target = fresh_target(&state, &form.target)
        .await
        .map_err(|e| e.in_lang(lang))?;
    moves::move_account(&state.ctx, &who, &target)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect("/settings/move"))
}
