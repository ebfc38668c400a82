//! ActivityPub endpoints of initiatives (`Group` actors): the actor, its inbox and collections.

use crate::{
    error::{HttpError, HttpResult},
    negotiate::{activity_json, wants_activity_json},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::ErrorKind;
use agora_service::model::Actor;

async fn group(state: &WebState, handle: &str) -> HttpResult<Actor> {
    let actor = super::local_actor(state, handle).await?;
    if !actor.is_group() {
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
    let doc = agora_federation::documents::group(&state.ctx, actor)
        .await
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
    super::collections::follow_collection(
        &state,
        actor,
        &query,
        agora_service::follows::Side::Followers,
    )
    .await
}

/// `GET /initiatives/{handle}/following`.
#[get("/initiatives/{handle}/following")]
pub async fn group_following(
    state: web::Data<WebState>,
    handle: web::Path<String>,
    query: web::Query<super::collections::PageQuery>,
) -> HttpResult<HttpResponse> {
    let actor = group(&state, &handle).await?;
    super::collections::follow_collection(
        &state,
        actor,
        &query,
        agora_service::follows::Side::Following,
    )
    .await
}

/// `GET /initiatives/{handle}/featured`: the pinned updates, as `Note`s (Mastodon shows them
/// on the group's profile).
#[get("/initiatives/{handle}/featured")]
pub async fn group_featured(
    state: web::Data<WebState>,
    handle: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let actor = group(&state, &handle).await?;
    let id = format!("{}/featured", actor.ap_id);
    let items = agora_federation::documents::featured(&state.ctx, &actor)
        .await
        .map_err(HttpError::from)?;
    Ok(activity_json(&ordered_collection(&id, items)))
}

/// `GET /initiatives/{handle}/moderators`: its organizers and moderators (the group's
/// `attributedTo`, as Lemmy publishes a community's moderators).
#[get("/initiatives/{handle}/moderators")]
pub async fn group_moderators(
    state: web::Data<WebState>,
    handle: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let actor = group(&state, &handle).await?;
    let id = format!("{}/moderators", actor.ap_id);
    let details = agora_service::initiatives::details_of_actor(&state.ctx, actor.id).await?;
    let items = details
        .members
        .iter()
        .map(|(_, member)| serde_json::Value::String(member.ap_id.clone()))
        .collect();
    Ok(activity_json(&ordered_collection(&id, items)))
}

/// A small collection given whole (no pages): a few pinned posts, a few organizers.
fn ordered_collection(id: &str, items: Vec<serde_json::Value>) -> serde_json::Value {
    agora_federation::protocol::context::with_context(serde_json::json!({
        "id": id,
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    }))
}
