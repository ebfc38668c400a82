//! A local post as a `Note` (or a `Tombstone` once deleted).

use crate::{
    error::{HttpError, HttpResult},
    negotiate::{activity_json, wants_activity_json},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_core::ErrorKind;
use agora_federation::{documents::LocalPost, protocol::context::with_context};

/// `GET /posts/{id}`: the `Note` to servers, the post page to browsers.
#[get("/posts/{id}")]
pub async fn get_post(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let id = id.into_inner();
    let address = state.ctx.urls.post(id);
    if let Some(to) = agora_service::initiative_moves::update_moved_away(&state.ctx, id).await? {
        return Ok(super::moved(&to));
    }
    if !wants_activity_json(&req) {
        return match crate::pages::post::post_page(req, state.clone(), id).await {
            Err(e) => Err(super::gone_or(&state, &address, e).await),
            page => page,
        };
    }
    let found = agora_federation::documents::post(&state.ctx, id)
        .await
        .map_err(HttpError::from)?;
    let note = match found {
        None => {
            return match super::tombstone(&state, &address).await? {
                Some(gone) => Ok(gone),
                None => Err(HttpError::json(ErrorKind::NotFound, "no such post")),
            };
        }
        Some(LocalPost::Gone(ap_id)) => {
            let doc = with_context(serde_json::json!({ "id": ap_id, "type": "Tombstone" }));
            return Ok(HttpResponse::Gone()
                .content_type(crate::negotiate::ACTIVITY_JSON)
                .body(doc.to_string()));
        }
        Some(LocalPost::Live(note)) => note,
    };
    let doc = serde_json::to_value(note)
        .map_err(|e| HttpError::json(ErrorKind::Internal, e.to_string()))?;
    Ok(activity_json(&with_context(doc)))
}
