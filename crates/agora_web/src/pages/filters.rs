//! `/settings/blocks`: the accounts and servers the account blocks, the accounts it mutes, each
//! with a button that lifts it, and the forms that add them, as Mastodon's "Blocked accounts",
//! "Muted accounts" and "Blocked domains" pages do.

use super::{PageCtx, home::form_user, page_ctx, redirect, render};
use crate::{
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::ErrorKind;
use agora_service::filters::{self, FilterKind};
use askama::Template;
use serde::Deserialize;

/// A block or mute as the page lists it.
pub struct FilterLine {
    /// Row id.
    pub id: i64,
    /// The account's address, or the server.
    pub name: String,
    /// Where the account's profile is (none for a server).
    pub url: Option<String>,
    /// A mute that hides notifications too.
    pub hide_notifications: bool,
}

/// One list of the page.
pub struct FilterSection {
    /// `block`, `mute` or `domain_block`.
    pub kind: &'static str,
    /// Message key of its heading.
    pub title: &'static str,
    /// What it holds.
    pub lines: Vec<FilterLine>,
}

/// The page.
#[derive(Template)]
#[template(path = "blocks.html")]
pub struct BlocksPage {
    p: PageCtx,
    sections: Vec<FilterSection>,
}

fn kind_named(name: &str) -> Option<FilterKind> {
    [FilterKind::Block, FilterKind::Mute, FilterKind::DomainBlock]
        .into_iter()
        .find(|k| k.as_str() == name)
}

/// `GET /settings/blocks`.
#[get("/settings/blocks")]
pub async fn page(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let who = super::signed_in(user, lang)?;
    let mut sections = Vec::with_capacity(3);
    for (kind, title) in [
        (FilterKind::Block, "blocks-blocked"),
        (FilterKind::Mute, "blocks-muted"),
        (FilterKind::DomainBlock, "blocks-domains"),
    ] {
        let list = filters::list(&state.ctx, &who.actor, kind)
            .await
            .map_err(|e| HttpError::from(e).in_lang(lang))?;
        sections.push(FilterSection {
            kind: kind.as_str(),
            title,
            lines: list
                .into_iter()
                .map(|(f, a)| FilterLine {
                    id: f.id,
                    name: a
                        .as_ref()
                        .map(|a| a.acct())
                        .or(f.domain.clone())
                        .unwrap_or_default(),
                    url: a.map(|a| a.url.unwrap_or(a.ap_id)),
                    hide_notifications: f.hide_notifications,
                })
                .collect(),
        });
    }
    let page = BlocksPage { sections, p };
    render(&page, cookie, lang)
}

/// The form that adds a block or mute.
#[derive(Deserialize)]
pub struct AddForm {
    csrf: String,
    /// `block`, `mute` or `domain_block`.
    kind: String,
    /// `@name@server`, an account's id, or a server.
    target: String,
    /// For a mute: its notifications hidden too.
    #[serde(default)]
    hide_notifications: Option<String>,
}

/// `POST /settings/blocks`.
#[post("/settings/blocks")]
pub async fn add(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<AddForm>,
) -> HttpResult<HttpResponse> {
    let who = form_user(&req, &state, &form.csrf).await?;
    let lang = crate::auth::lang(&req, &state, Some(&who));
    let in_lang = |e: agora_service::ServiceError| HttpError::from(e).in_lang(lang);
    let target = form.target.trim();
    if target.is_empty() || target.len() > 2048 {
        return Err(HttpError::json(
            ErrorKind::InvalidField,
            "target: @name@server, or a server, at most 2048 characters",
        )
        .in_lang(lang));
    }
    match kind_named(&form.kind) {
        Some(FilterKind::DomainBlock) => {
            filters::block_domain(&state.ctx, &who.actor, target)
                .await
                .map_err(in_lang)?;
        }
        Some(kind) => {
            let account = agora_federation::resolve::actor(target, &state.data())
                .await
                .map_err(|e| HttpError::from(e).in_lang(lang))?
                .row;
            if kind == FilterKind::Mute {
                let hide = form.hide_notifications.is_some();
                filters::mute(&state.ctx, &who.actor, &account, hide)
                    .await
                    .map_err(in_lang)?;
            } else {
                filters::block(&state.ctx, &who.actor, &account)
                    .await
                    .map_err(in_lang)?;
            }
        }
        None => {
            return Err(HttpError::json(
                ErrorKind::InvalidField,
                "kind: block, mute or domain_block",
            )
            .in_lang(lang));
        }
    }
    Ok(redirect("/settings/blocks"))
}

/// The form that lifts one.
#[derive(Deserialize)]
pub struct LiftForm {
    csrf: String,
}

/// `POST /settings/blocks/{kind}/{id}/lift`.
#[post("/settings/blocks/{kind}/{id}/lift")]
pub async fn lift(
    req: HttpRequest,
    state: web::Data<WebState>,
    path: web::Path<(String, i64)>,
    form: web::Form<LiftForm>,
) -> HttpResult<HttpResponse> {
    let who = form_user(&req, &state, &form.csrf).await?;
    let lang = crate::auth::lang(&req, &state, Some(&who));
    let (kind, id) = path.into_inner();
    let kind =
        kind_named(&kind).ok_or_else(|| HttpError::json(ErrorKind::NotFound, "").in_lang(lang))?;
    filters::lift(&state.ctx, &who.actor, kind, id)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect("/settings/blocks"))
}
