//! A local post as a `Note` (or a `Tombstone` once deleted).

use crate::{
    error::{HttpError, HttpResult},
    negotiate::{activity_json, wants_activity_json},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_core::ErrorKind;
use agora_federation::{objects::note::to_note, protocol::context::with_context};

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
        .run(move |conn| agora_db::posts::by_id(conn, id))
        .await?;
    let Some((post, author)) = found.filter(|(p, _)| p.local) else {
        return Err(HttpError::json(ErrorKind::NotFound, "no such post"));
    };
    if post.deleted_at.is_some() {
        let doc = with_context(serde_json::json!({ "id": post.ap_id, "type": "Tombstone" }));
        return Ok(HttpResponse::Gone()
            .content_type(crate::negotiate::ACTIVITY_JSON)
            .body(doc.to_string()));
    }
    let note = to_note(&post, &author).map_err(HttpError::from)?;
    let doc = serde_json::to_value(note)
        .map_err(|e| HttpError::json(ErrorKind::Internal, e.to_string()))?;
    Ok(activity_json(&with_context(doc)))
}
