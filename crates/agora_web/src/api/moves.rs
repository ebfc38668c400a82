//! Moving an account or an initiative to another address (`Move`, as Mastodon does it), and the
//! aliases that allow it.

use super::{
    json_body,
    views::{AccountView, ActorAddress, ErrorBody},
};
use crate::{
    auth::api_user,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, post, web};
use agora_core::ErrorKind;
use agora_service::{model::Actor, moves};
use serde::Deserialize;
use utoipa::ToSchema;

/// Where to move.
#[derive(Deserialize, ToSchema)]
pub struct MoveRequest {
    /// The new account. It must list this one among its aliases.
    pub target: ActorAddress,
}

/// Resolves the aliases a request lists (each at most 2 048 characters, at most
/// [`moves::MAX_ALIASES`]).
pub async fn resolve_aliases(state: &WebState, inputs: &[ActorAddress]) -> HttpResult<Vec<Actor>> {
    if inputs.len() > moves::MAX_ALIASES {
        return Err(HttpError::json(
            ErrorKind::InvalidField,
            format!("also_known_as: at most {} aliases", moves::MAX_ALIASES),
        ));
    }
    let mut found = Vec::with_capacity(inputs.len());
    for ActorAddress(input) in inputs {
        if input.trim().is_empty() {
            return Err(HttpError::json(
                ErrorKind::InvalidField,
                "also_known_as: each is @name@host or an id",
            ));
        }
        // No account has such an address; nothing is fetched for it.
        if input.len() > 2048 {
            return Err(HttpError::json(ErrorKind::NotFound, "no such account"));
        }
        let actor = agora_federation::resolve::actor(input, &state.data())
            .await
            .map_err(HttpError::from)?;
        found.push(actor.row);
    }
    Ok(found)
}

/// The account a move goes to, as its server describes it now.
pub async fn fresh_target(state: &WebState, input: &str) -> HttpResult<Actor> {
    if input.trim().is_empty() || input.len() > 2048 {
        return Err(HttpError::json(
            ErrorKind::InvalidField,
            "target: @name@host or an id, at most 2048 characters",
        ));
    }
    Ok(agora_federation::resolve::actor_fresh(input, &state.data())
        .await
        .map_err(HttpError::from)?
        .row)
}

/// Moves the signed-in account to `target`: its followers' servers receive `Move` and follow
/// the new account; its profile shows the new address. Once per 30 days (429).
#[utoipa::path(post, path = "/api/v1/accounts/me/move", request_body = MoveRequest,
    responses((status = 200, body = AccountView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 429, body = ErrorBody), (status = 502, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/accounts/me/move")]
pub async fn move_me(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: MoveRequest = json_body(payload).await?;
    let target = fresh_target(&state, &body.target.0).await?;
    let moved = moves::move_account(&state.ctx, &who, &target).await?;
    Ok(HttpResponse::Ok().json(AccountView::from(&moved)))
}

/// Moves an initiative's group to `target`, another group that lists it among its aliases
/// (organizers). Its followers follow the new group.
#[utoipa::path(post, path = "/api/v1/initiatives/{handle}/move", request_body = MoveRequest,
    params(("handle" = String, Path, description = "The initiative's handle.", min_length = 1)),
    responses((status = 200, body = AccountView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 429, body = ErrorBody), (status = 502, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/initiatives/{handle}/move")]
pub async fn move_initiative(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: MoveRequest = json_body(payload).await?;
    let target = fresh_target(&state, &body.target.0).await?;
    let moved = moves::move_initiative(&state.ctx, &who, &handle, &target).await?;
    Ok(HttpResponse::Ok().json(AccountView::from(&moved)))
}
