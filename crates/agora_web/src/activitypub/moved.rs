//! `GET /moved?from=URL`: where an object that moved here with its initiative is now. The old
//! node sends readers of its old addresses here, since only this node knows the new ones.

use crate::{
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpResponse, get, web};
use agora_core::ErrorKind;
use serde::Deserialize;

/// The old address.
#[derive(Deserialize)]
pub struct MovedQuery {
    from: String,
}

/// `GET /moved?from=URL`: a permanent redirect to the petition, update or initiative here that
/// was at `URL`, or 404.
#[get("/moved")]
pub async fn moved_here(
    state: web::Data<WebState>,
    query: web::Query<MovedQuery>,
) -> HttpResult<HttpResponse> {
    let from = query.into_inner().from;
    if from.len() > 2048 || url::Url::parse(&from).is_err() {
        return Err(HttpError::json(
            ErrorKind::InvalidField,
            "from: the old address, a URL of at most 2048 characters",
        ));
    }
    let to = agora_service::initiative_moves::moved_here(&state.ctx, &from).await?;
    Ok(super::moved(&to))
}
