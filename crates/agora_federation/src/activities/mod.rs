//! One handler per accepted activity type. Each reads its object, checks who may do what, and
//! calls the service operation that the web and API call for the same change.

pub mod accept;
pub mod announce;
pub mod block;
pub mod create;
pub mod delete;
pub mod flag;
pub mod follow;
pub mod like;
pub mod move_actor;
pub mod question;
pub mod resolve;
pub mod undo;
pub mod update;
pub mod vote;

use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    objects::actor::DbActor,
    protocol::activities::{Activity, ActivityKind},
};

/// Routes a verified activity to the handler of its kind.
pub async fn dispatch(
    activity: Activity,
    actor: DbActor,
    data: &FederationData,
) -> Result<(), FederationError> {
    match activity.kind {
        ActivityKind::Follow => follow::receive(activity, actor, data).await,
        ActivityKind::Accept => accept::receive(activity, actor, data, true).await,
        ActivityKind::Reject => accept::receive(activity, actor, data, false).await,
        ActivityKind::Undo => undo::receive(activity, actor, data).await,
        ActivityKind::Create => create::receive(activity, actor, data).await,
        ActivityKind::Update => update::receive(activity, actor, data).await,
        ActivityKind::Delete => delete::receive(activity, actor, data).await,
        ActivityKind::Announce => announce::receive(activity, actor, data).await,
        ActivityKind::Flag => flag::receive(activity, actor, data).await,
        ActivityKind::Like => like::receive(activity, actor, data).await,
        ActivityKind::Resolve => resolve::receive(activity, actor, data).await,
        ActivityKind::Move => move_actor::receive(activity, actor, data).await,
        ActivityKind::Block => block::receive(activity, actor, data).await,
        // Acknowledged: see `ActivityKind::Other`.
        ActivityKind::Other => Ok(()),
    }
}

/// Finds a local actor by id, or refuses the activity as addressed to nobody here.
pub(crate) async fn local_actor(
    data: &FederationData,
    id: &url::Url,
) -> Result<DbActor, FederationError> {
    match agora_service::actors::local_by_ap_id(data.app_data(), id.as_str()).await {
        Ok(row) => DbActor::new(row),
        Err(e) if e.kind == agora_core::ErrorKind::NotFound => Err(FederationError::refused(
            Reason::UnknownTarget,
            format!("{id} is not an actor of this node"),
        )),
        Err(e) => Err(e.into()),
    }
}
