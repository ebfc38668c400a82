//! ActivityPub endpoints: actors, collections, objects and inboxes.

pub mod actor;
pub mod collections;
pub mod inbox;
pub mod initiatives;
pub mod moved;
pub mod petitions;
pub mod post;

use crate::{
    error::{HttpError, HttpResult},
    state::WebState,
};
use agora_core::ErrorKind;
use agora_service::model::Actor;

/// The local actor with this username, or 404.
pub async fn local_actor(state: &WebState, name: &str) -> HttpResult<Actor> {
    agora_service::actors::local_by_username(&state.ctx, name)
        .await?
        .ok_or_else(|| HttpError::json(ErrorKind::NotFound, "no such actor"))
}

/// What answers at an address of ours whose object was deleted: `410 Gone` with a `Tombstone`
/// (as Mastodon answers for a deleted account), or `None` when nothing was deleted there.
pub async fn tombstone(
    state: &WebState,
    address: &str,
) -> HttpResult<Option<actix_web::HttpResponse>> {
    let found = agora_service::tombstones::at(&state.ctx, address).await?;
    Ok(found.map(|t| {
        let doc = agora_federation::protocol::context::with_context(serde_json::json!({
            "id": address,
            "type": "Tombstone",
            "formerType": t.former_type,
            "deleted": crate::api::views::rfc3339(t.deleted_at),
        }));
        actix_web::HttpResponse::Gone()
            .content_type(crate::negotiate::ACTIVITY_JSON)
            .body(doc.to_string())
    }))
}

/// A permanent redirect to where an object of an initiative that moved is now (its new node's
/// `/moved?from=` finds it), for browsers and servers alike.
pub fn moved(to: &str) -> actix_web::HttpResponse {
    actix_web::HttpResponse::MovedPermanently()
        .insert_header((actix_web::http::header::LOCATION, to))
        .finish()
}

/// A page that was not found: `410 Gone` when what was at `address` was deleted, else the
/// error given.
pub async fn gone_or(state: &WebState, address: &str, not_found: HttpError) -> HttpError {
    if not_found.kind != ErrorKind::NotFound {
        return not_found;
    }
    match agora_service::tombstones::at(&state.ctx, address).await {
        Ok(Some(_)) => HttpError::json(ErrorKind::Gone, "").in_lang(not_found.lang()),
        Ok(None) => not_found,
        Err(e) => e.into(),
    }
}
