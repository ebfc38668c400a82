//! Delivery: one queued activity, signed by its actor and POSTed to one inbox.

use crate::{config::FederationData, error::FederationError, objects::actor::DbActor};
use activitypub_federation::{activity_sending::SendActivityTask, config::Data, traits::Activity};
use agora_service::Context;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// The payload of a `deliver` job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    /// The activity, with `@context`, exactly as it will be sent.
    pub activity: Value,
    /// Id of the local actor that signs it.
    pub actor: String,
    /// The inbox to POST to.
    pub inbox: String,
}

/// An already-built activity, so the library's signer can send JSON we stored. It is only ever
/// sent, never received: the receiving methods refuse.
#[derive(Debug, Serialize)]
#[serde(transparent)]
struct StoredActivity {
    json: Value,
    #[serde(skip)]
    id: Url,
    #[serde(skip)]
    actor: Url,
}

#[async_trait::async_trait]
impl Activity for StoredActivity {
    type DataType = Context;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<Context>) -> Result<(), FederationError> {
        Err(FederationError::Other(
            "a stored outgoing activity is never received".into(),
        ))
    }

    async fn receive(self, _data: &Data<Context>) -> Result<(), FederationError> {
        Err(FederationError::Other(
            "a stored outgoing activity is never received".into(),
        ))
    }
}

/// Signs and sends one delivery. `Ok` when the receiver took it or refused it for good (a 4xx
/// other than 408/429, as Mastodon does); `Err` when it should be retried.
pub async fn deliver(delivery: &Delivery, data: &FederationData) -> Result<(), FederationError> {
    let actor_id = delivery.actor.clone();
    let signer = data
        .db
        .run(move |conn| agora_db::actors::by_ap_id(conn, &actor_id))
        .await?
        .filter(|a| a.local)
        .ok_or_else(|| {
            FederationError::Other(format!("signer {} is not a local actor", delivery.actor))
        })?;
    let signer = DbActor::new(signer)?;
    let id = delivery
        .activity
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| FederationError::Other("stored activity has no id".into()))?;
    let activity = StoredActivity {
        json: delivery.activity.clone(),
        id: Url::parse(id)?,
        actor: Url::parse(&delivery.actor)?,
    };
    let inbox = Url::parse(&delivery.inbox)?;
    let tasks = SendActivityTask::prepare(&activity, &signer, vec![inbox], data).await?;
    for task in tasks {
        task.sign_and_send(data).await?;
    }
    Ok(())
}
