//! ActivityPub endpoints of initiatives (`Group` actors): the actor, its inbox and collections.

use crate::{
    error::{HttpError, HttpResult},
    negotiate::{activity_json, wants_activity_json},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::ErrorKind;
use agora_federation::objects::actor::DbActor;

async fn group(state: &WebState, handle: &str) -> HttpResult<agora_db::actors::Actor> {
    let actor = super::local_actor(state, handle).await?;
    if actor.actor_type != "Group" {
        return Err(HttpError::json(ErrorKind::NotFound, "no such initiative"));
    }
    Ok(actor)
}

/// `GET /initiatives/{handle}`: the `Group` to servers, the initiative's page to browsers.
#[get("/initiatives/{handle}")]
pub async fn get_group(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let actor = group(&state, &handle).await?;
    if !wants_activity_json(&req) {
        return crate::pages::initiatives::initiative_page(&req, &state, actor).await;
    }
    let doc = DbActor::new(actor)
        .and_then(|a| a.to_document())
        .map_err(HttpError::from)?;
    Ok(activity_json(&doc))
}

/// `POST /initiatives/{handle}/inbox`.
#[post("/initiatives/{handle}/inbox")]
pub async fn group_inbox(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    group(&state, &handle).await?;
    super::inbox::receive(req, state, payload).await
}

/// `GET /initiatives/{handle}/outbox`.
#[get("/initiatives/{handle}/outbox")]
pub async fn group_outbox(
    state: web::Data<WebState>,
    handle: web::Path<String>,
    query: web::Query<super::collections::PageQuery>,
) -> HttpResult<HttpResponse> {
    let actor = group(&state, &handle).await?;
    super::collections::outbox_of(&state, actor, &query).await
}

/// `GET /initiatives/{handle}/followers`.
#[get("/initiatives/{handle}/followers")]
pub async fn group_followers(
    state: web::Data<WebState>,
    handle: web::Path<String>,
    query: web::Query<super::collections::PageQuery>,
) -> HttpResult<HttpResponse> {
    let actor = group(&state, &handle).await?;
    super::collections::follow_collection(&state, actor, &query, true).await
}

/// `GET /initiatives/{handle}/following`.
#[get("/initiatives/{handle}/following")]
pub async fn group_following(
    state: web::Data<WebState>,
    handle: web::Path<String>,
    query: web::Query<super::collections::PageQuery>,
) -> HttpResult<HttpResponse> {
    let actor = group(&state, &handle).await?;
    super::collections::follow_collection(&state, actor, &query, false).await
}
