//! Organizers publish and pin an initiative's updates from its page.

use super::{home::form_user, redirect};
use crate::{
    auth,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, post, web};
use agora_service::{initiative_updates, posts::Draft};
use serde::Deserialize;

/// The update form.
#[derive(Deserialize)]
pub struct UpdateForm {
    csrf: String,
    content: String,
    spoiler_text: Option<String>,
}

/// `POST /initiatives/{handle}/updates`: an organizer publishes an update.
#[post("/initiatives/{handle}/updates")]
pub async fn publish(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
    form: web::Form<UpdateForm>,
) -> HttpResult<HttpResponse> {
    let form = form.into_inner();
    let user = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&user));
    let draft = Draft {
        content: form.content,
        spoiler_text: form.spoiler_text.filter(|s| !s.trim().is_empty()),
        in_reply_to: None,
    };
    initiative_updates::publish(&state.ctx, &user, &handle, draft)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect(&format!("/initiatives/{handle}")))
}

/// The pin button.
#[derive(Deserialize)]
pub struct PinForm {
    csrf: String,
    pinned: bool,
}

/// `POST /initiatives/{handle}/updates/{id}/pin`: pins or unpins an update.
#[post("/initiatives/{handle}/updates/{id}/pin")]
pub async fn pin(
    req: HttpRequest,
    state: web::Data<WebState>,
    path: web::Path<(String, i64)>,
    form: web::Form<PinForm>,
) -> HttpResult<HttpResponse> {
    let user = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&user));
    let (handle, id) = path.into_inner();
    initiative_updates::pin(&state.ctx, &user, &handle, id, form.pinned)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect(&format!("/initiatives/{handle}")))
}
