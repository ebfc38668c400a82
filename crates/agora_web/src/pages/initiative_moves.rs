//! `/initiatives/{handle}/move`: an initiative's organizers move it to another node, without
//! JavaScript. On the new initiative: list the old one among its aliases, then import its
//! archive. On the old one: move it, then download its archive (updates, members, petitions
//! with their logs), built in the background while the page reloads itself.

use super::{PageCtx, export::ExportLine, home::form_user, page_ctx, redirect, render};
use crate::{
    api::{
        imports::{read_form, start},
        moves::{fresh_target, resolve_aliases},
    },
    auth,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::ErrorKind;
use agora_service::{imports::ImportKind, initiative_moves, initiatives, moves};
use askama::Template;
use serde::Deserialize;

/// The page.
#[derive(Template)]
#[template(path = "initiative_move.html")]
pub struct InitiativeMovePage {
    p: PageCtx,
    /// The initiative's handle.
    handle: String,
    /// Its name.
    name: String,
    /// Its aliases, one per line.
    aliases: String,
    /// Where it moved, if it did.
    moved_to: Option<String>,
    /// Its archives asked for by this organizer.
    exports: Vec<ExportLine>,
    /// One is being built: the page reloads itself.
    building: bool,
}

fn to_page(handle: &str) -> HttpResponse {
    redirect(&format!("/initiatives/{handle}/move"))
}

/// `GET /initiatives/{handle}/move` (organizers).
#[get("/initiatives/{handle}/move")]
pub async fn page(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let who = super::signed_in(user, lang)?;
    let in_lang = |e: agora_service::ServiceError| HttpError::from(e).in_lang(lang);
    let details = initiatives::by_handle(&state.ctx, &handle)
        .await
        .map_err(in_lang)?;
    let list = initiative_moves::archives(&state.ctx, &who, &details)
        .await
        .map_err(in_lang)?;
    let (exports, building) = super::export::lines(&list);
    let page = InitiativeMovePage {
        handle: details.actor.username.clone(),
        name: details.actor.shown_name().to_string(),
        aliases: details.actor.aliases().join("\n"),
        moved_to: details.actor.moved_to.clone(),
        exports,
        building,
        p,
    };
    render(&page, cookie, lang)
}

/// The aliases form.
#[derive(Deserialize)]
pub struct AliasesForm {
    csrf: String,
    /// One `@name@host` or id per line.
    aliases: String,
}

/// `POST /initiatives/{handle}/aliases`.
#[post("/initiatives/{handle}/aliases")]
pub async fn set_aliases(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
    form: web::Form<AliasesForm>,
) -> HttpResult<HttpResponse> {
    let who = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&who));
    let aliases = resolve_aliases(&state, &super::moves::alias_lines(&form.aliases))
        .await
        .map_err(|e| e.in_lang(lang))?;
    moves::set_initiative_aliases(&state.ctx, &who, &handle, &aliases)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(to_page(&handle))
}

/// The move form.
#[derive(Deserialize)]
pub struct MoveForm {
    csrf: String,
    target: String,
}

/// `POST /initiatives/{handle}/move`.
#[post("/initiatives/{handle}/move")]
pub async fn move_initiative(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
    form: web::Form<MoveForm>,
) -> HttpResult<HttpResponse> {
    let who = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&who));
    let target = fresh_target(&state, &form.target)
        .await
        .map_err(|e| e.in_lang(lang))?;
    moves::move_initiative(&state.ctx, &who, &handle, &target)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(to_page(&handle))
}

/// The archive form.
#[derive(Deserialize)]
pub struct ArchiveForm {
    csrf: String,
}

/// `POST /initiatives/{handle}/archive`: asks for the initiative's archive.
#[post("/initiatives/{handle}/archive")]
pub async fn request_archive(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
    form: web::Form<ArchiveForm>,
) -> HttpResult<HttpResponse> {
    let who = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&who));
    initiative_moves::request_archive(&state.ctx, &who, &handle)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(to_page(&handle))
}

/// `POST /initiatives/{handle}/import` (`multipart/form-data`: `csrf`, `data`): imports the
/// archive of the initiative that moved to this one; its progress is on `/settings/import`.
#[post("/initiatives/{handle}/import")]
pub async fn import(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
    payload: actix_multipart::Multipart,
) -> HttpResult<HttpResponse> {
    let user = auth::web_user(&req, &state).await?;
    let lang = auth::lang(&req, &state, user.as_ref());
    let user = user.ok_or_else(|| HttpError::json(ErrorKind::Unauthorized, "").in_lang(lang))?;
    let mut fields = read_form(payload).await.map_err(|e| e.in_lang(lang))?;
    let csrf = fields
        .get("csrf")
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .unwrap_or_default();
    auth::check_csrf(&req, Some(&user), &csrf, lang)?;
    fields.insert("initiative".into(), handle.as_bytes().to_vec());
    start(&state, &user, ImportKind::Initiative, &fields)
        .await
        .map_err(|e| e.in_lang(lang))?;
    Ok(redirect("/settings/import"))
}
