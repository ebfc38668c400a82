//! Actor documents of local accounts and of the instance actor.

use super::local_actor;
use crate::{
    error::{HttpError, HttpResult},
    negotiate::{activity_json, wants_activity_json},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_core::ErrorKind;
use agora_federation::objects::actor::DbActor;

/// `GET /users/{name}`: the actor as JSON to servers, the profile page to browsers.
#[get("/users/{name}")]
pub async fn get_user(
    req: HttpRequest,
    state: web::Data<WebState>,
    name: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let address = state.ctx.urls.user(&name);
    if !wants_activity_json(&req) {
        return match crate::pages::profile::local_profile(req, state.clone(), name.into_inner())
            .await
        {
            Err(e) => Err(super::gone_or(&state, &address, e).await),
            page => page,
        };
    }
    let actor = match local_actor(&state, &name).await {
        Err(e) if e.kind == ErrorKind::NotFound => {
            return match super::tombstone(&state, &address).await? {
                Some(gone) => Ok(gone),
                None => Err(e),
            };
        }
        found => found?,
    };
    // Initiatives live at /initiatives/{handle}; only people are served here.
    if actor.is_node_actor() || actor.is_group() {
        return Err(HttpError::json(ErrorKind::NotFound, "no such actor"));
    }
    let doc = DbActor::new(actor)
        .and_then(|a| a.to_document())
        .map_err(HttpError::from)?;
    Ok(activity_json(&doc))
}

/// `GET /actor`: the instance actor (`Application`), which signs fetches.
#[get("/actor")]
pub async fn get_instance_actor(state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    server_actor(agora_service::accounts::instance_actor(&state.ctx).await?)
}

/// `GET /actor/moderation`: the moderation actor (`Service`), which sends forwarded reports
/// and decisions.
#[get("/actor/moderation")]
pub async fn get_moderation_actor(state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    server_actor(agora_service::accounts::moderation_actor(&state.ctx).await?)
}

fn server_actor(actor: agora_service::model::Actor) -> HttpResult<HttpResponse> {
    let doc = DbActor::new(actor)
        .and_then(|a| a.to_document())
        .map_err(HttpError::from)?;
    Ok(activity_json(&doc))
}
