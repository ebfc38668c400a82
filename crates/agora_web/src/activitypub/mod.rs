//! ActivityPub endpoints: actors, collections, objects and inboxes.

pub mod actor;
pub mod collections;
pub mod inbox;
pub mod initiatives;
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
