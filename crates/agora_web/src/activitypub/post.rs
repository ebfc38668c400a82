//! A local post as a `Note` (or a `Tombstone` once deleted).

use crate::{
    error::{HttpError, HttpResult},
    negotiate::{activity_json, wants_activity_json},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_core::ErrorKind;
use agora_federation::{objects::note::note_of, protocol::context::with_context};

/// `GET /posts/{id}`: the `Note` to servers, the post page to browsers.
#[get("/posts/{id}")]
pub async fn get_post(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let id = id.into_inner();
    if !wants_activity_json(&req) {
        return crate::pages::post::post_page(req, state, id).await;
    }
    let found = state
        .ctx
        .db
        .run(move |conn| {
            let Some((post, author)) = agora_db::posts::by_id(conn, id)?.filter(|(p, _)| p.local)
            else {
                return Ok(None);
            };
            let note = note_of(conn, &post, &author)?;
            Ok::<_, agora_federation::error::FederationError>(Some((post, note)))
        })
        .await
        .map_err(HttpError::from)?;
    let Some((post, note)) = found else {
        return Err(HttpError::json(ErrorKind::NotFound, "no such post"));
    };
    if post.deleted_at.is_some() {
        let doc = with_context(serde_json::json!({ "id": post.ap_id, "type": "Tombstone" }));
        return Ok(HttpResponse::Gone()
            .content_type(crate::negotiate::ACTIVITY_JSON)
            .body(doc.to_string()));
    }
    let doc = serde_json::to_value(note)
        .map_err(|e| HttpError::json(ErrorKind::Internal, e.to_string()))?;
    Ok(activity_json(&with_context(doc)))
}
