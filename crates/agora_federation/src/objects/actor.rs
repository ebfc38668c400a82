//! Actors: our `actors` rows as `Person`/`Group`/`Application` documents, and back.

use crate::{
    config::FederationData,
    error::{FederationError, Reason},
    protocol::{
        actor::{ActorDocument, Endpoints, PublicKey},
        context::with_context,
    },
};
use activitypub_federation::{
    protocol::verification::verify_domains_match,
    traits::{Actor, Object},
};
use agora_core::{actor_type::ActorType, kinds::AccountKind, text, urls::authority};
use agora_db::actors::{self, ActorForm};
use agora_service::Context;
use chrono::{DateTime, Utc};
use url::Url;

/// An actor row wrapped for the ActivityPub traits, with its id parsed.
#[derive(Debug, Clone)]
pub struct DbActor {
    /// The row.
    pub row: actors::Actor,
    url: Url,
}

impl DbActor {
    /// Wraps a row; fails only on a corrupted id.
    pub fn new(row: actors::Actor) -> Result<DbActor, FederationError> {
        let url = Url::parse(&row.ap_id)?;
        Ok(DbActor { row, url })
    }

    /// The full document with `@context`, as served at the actor's id.
    pub fn to_document(&self) -> Result<serde_json::Value, FederationError> {
        Ok(with_context(serde_json::to_value(document(&self.row)?)?))
    }
}

/// The actor document of a row with, for this node's initiatives, their civic fields: tags as
/// `Hashtag`s, the place as a `Place`, goals and status.
pub fn document_of(
    conn: &mut agora_db::DbConn,
    a: &actors::Actor,
) -> Result<ActorDocument, FederationError> {
    let mut doc = document(a)?;
    if !(a.local && a.is_group()) {
        return Ok(doc);
    }
    let Some(initiative) = agora_db::initiatives::by_actor(conn, a.id)? else {
        return Ok(doc);
    };
    let base = a.ap_id.split("/initiatives/").next().unwrap_or_default();
    doc.tag = agora_db::initiatives::tags(conn, initiative.id)?
        .into_iter()
        .map(|t| {
            serde_json::json!({
                "type": "Hashtag",
                "name": format!("#{t}"),
                "href": format!("{base}/initiatives?tag={t}"),
            })
        })
        .collect();
    doc.location = initiative.place_name.as_ref().map(|name| {
        let mut place = serde_json::json!({ "type": "Place", "name": name });
        if let (Some(lat), Some(lon)) = (initiative.latitude, initiative.longitude) {
            place["latitude"] = lat.into();
            place["longitude"] = lon.into();
        }
        place
    });
    doc.goals = Some(initiative.goals).filter(|g| !g.is_empty());
    doc.status = Some(initiative.status);
    Ok(doc)
}

/// What a remote `Group` says of itself as an initiative (another Agora node publishes it all;
/// Lemmy and Mobilizon only some tags, if any).
fn remote_initiative(json: &ActorDocument) -> agora_service::initiatives::RemoteInitiative {
    let place = json.location.as_ref().and_then(|l| {
        let name = l.get("name")?.as_str()?.to_string();
        Some(agora_service::initiatives::Place {
            name,
            latitude: l.get("latitude").and_then(serde_json::Value::as_f64),
            longitude: l.get("longitude").and_then(serde_json::Value::as_f64),
        })
    });
    agora_service::initiatives::RemoteInitiative {
        goals: json.goals.clone(),
        status: json.status.clone(),
        place,
        tags: json
            .tag
            .iter()
            .filter(|t| t.get("type").and_then(serde_json::Value::as_str) == Some("Hashtag"))
            .filter_map(|t| t.get("name").and_then(serde_json::Value::as_str))
            .map(str::to_string)
            .collect(),
    }
}

/// The actor document of a row, without `@context`.
pub fn document(a: &actors::Actor) -> Result<ActorDocument, FederationError> {
    let id = Url::parse(&a.ap_id)?;
    let parse = |s: &Option<String>| s.as_deref().map(Url::parse).transpose();
    let local_group = a.local && a.is_group();
    Ok(ActorDocument {
        public_key: PublicKey {
            id: format!("{}#main-key", a.ap_id),
            owner: id.clone(),
            public_key_pem: a.public_key_pem.clone(),
        },
        id,
        kind: a.actor_type.clone(),
        preferred_username: a.username.clone(),
        name: Some(a.shown_name().to_string()),
        summary: Some(a.summary.clone()),
        url: a.url.clone().map(serde_json::Value::String),
        inbox: Url::parse(&a.inbox)?,
        outbox: parse(&a.outbox)?,
        followers: parse(&a.followers_url)?,
        following: parse(&a.following_url)?,
        endpoints: Some(Endpoints {
            shared_inbox: parse(&a.shared_inbox)?,
        }),
        manually_approves_followers: a.manually_approves_followers,
        discoverable: Some(!a.is_application() && !a.is_node_actor()),
        published: Some(a.created_at.and_utc()),
        also_known_as: serde_json::from_str::<Vec<Url>>(&a.also_known_as).unwrap_or_default(),
        moved_to: parse(&a.moved_to)?,
        icon: a.icon_url.as_deref().map(image_of),
        image: a.image_url.as_deref().map(image_of),
        tag: Vec::new(),
        location: None,
        goals: None,
        status: None,
        featured: local_group
            .then(|| Url::parse(&format!("{}/featured", a.ap_id)))
            .transpose()?,
        attributed_to: local_group
            .then(|| serde_json::Value::String(format!("{}/moderators", a.ap_id))),
        // Kinds belong to accounts; groups and the instance actor have none.
        account_kind: a.is_account().then(|| a.account_kind.clone()),
    })
}

#[async_trait::async_trait]
impl Object for DbActor {
    type DataType = Context;
    type Kind = ActorDocument;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.url
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        (!self.row.local).then(|| self.row.last_refreshed_at.and_utc())
    }

    async fn read_from_id(
        object_id: Url,
        data: &FederationData,
    ) -> Result<Option<Self>, Self::Error> {
        let id = object_id.to_string();
        let found = data
            .db
            .run_quick(move |conn| actors::by_ap_id(conn, &id))
            .await?;
        found
            .filter(|a| a.deleted_at.is_none())
            .map(DbActor::new)
            .transpose()
    }

    async fn into_json(self, data: &FederationData) -> Result<Self::Kind, Self::Error> {
        data.db.run(move |conn| document_of(conn, &self.row)).await
    }

    async fn verify(
        json: &Self::Kind,
        expected_domain: &Url,
        _data: &FederationData,
    ) -> Result<(), Self::Error> {
        verify_domains_match(&json.id, expected_domain)?;
        if ActorType::parse(&json.kind).is_none() {
            return Err(FederationError::refused(
                Reason::NotAnActor,
                format!("{} is a {}, not an actor", json.id, json.kind),
            ));
        }
        if json.public_key.owner != json.id {
            return Err(FederationError::refused(
                Reason::KeyOwnerMismatch,
                "public key owner differs from actor id",
            ));
        }
        // We POST to these and read from them: each must be on the actor's own server, or a
        // document could point our deliveries and backfills at any address.
        let endpoints = [
            Some(&json.inbox),
            json.outbox.as_ref(),
            json.followers.as_ref(),
        ]
        .into_iter()
        .chain([
            json.following.as_ref(),
            json.endpoints
                .as_ref()
                .and_then(|e| e.shared_inbox.as_ref()),
        ])
        .flatten();
        for endpoint in endpoints {
            if authority(endpoint) != authority(&json.id) {
                return Err(FederationError::refused(
                    Reason::EndpointHostMismatch,
                    format!("{} names {endpoint}, on another host", json.id),
                ));
            }
        }
        Ok(())
    }

    async fn from_json(json: Self::Kind, data: &FederationData) -> Result<Self, Self::Error> {
        if data.urls.is_local(json.id.as_str()) {
            return Err(FederationError::refused(
                Reason::LocalActor,
                "a remote document claims a local id",
            ));
        }
        let domain = authority(&json.id)
            .ok_or_else(|| FederationError::refused(Reason::BadUrl, "actor id has no host"))?;
        // A kind we do not know (or none: Mastodon, Lemmy…) reads as `unknown`.
        let kind = json
            .account_kind
            .as_deref()
            .and_then(AccountKind::parse)
            .unwrap_or(AccountKind::Unknown)
            .as_str();
        // A server whose media we reject: its accounts' pictures are not kept.
        let media = !data.federation_policy().has(
            &domain,
            agora_core::federation_policy::DomainPolicy::RejectMedia,
        );
        let form = ActorForm {
            ap_id: json.id.to_string(),
            actor_type: json.kind.clone(),
            // Fedify does not require it: the last part of the id stands in.
            username: Some(json.preferred_username.as_str())
                .filter(|u| !u.is_empty())
                .or_else(|| json.id.path_segments()?.rfind(|s| !s.is_empty()))
                .unwrap_or("unknown")
                .chars()
                .take(100)
                .collect(),
            domain,
            display_name: json
                .name
                .clone()
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect(),
            summary: text::sanitize_html(json.summary.as_deref().unwrap_or("")),
            url: json.url_string(),
            inbox: json.inbox.to_string(),
            shared_inbox: json
                .endpoints
                .as_ref()
                .and_then(|e| e.shared_inbox.as_ref())
                .map(Url::to_string),
            outbox: json.outbox.as_ref().map(Url::to_string),
            followers_url: json.followers.as_ref().map(Url::to_string),
            following_url: json.following.as_ref().map(Url::to_string),
            public_key_pem: json.public_key.public_key_pem.clone(),
            private_key_pem: None,
            local: false,
            account_kind: kind.to_string(),
            manually_approves_followers: json.manually_approves_followers,
            also_known_as: serde_json::to_string(&json.also_known_as)?,
            moved_to: json.moved_to.as_ref().map(Url::to_string),
            last_refreshed_at: agora_db::now(),
            icon_url: json.icon.as_ref().filter(|_| media).and_then(image_address),
            image_url: json
                .image
                .as_ref()
                .filter(|_| media)
                .and_then(image_address),
            published_at: json.published.map(|p| p.naive_utc()),
        };
        let initiative = (ActorType::parse(&json.kind) == Some(ActorType::Group))
            .then(|| remote_initiative(&json));
        let row = data
            .db
            .run(move |conn| -> Result<_, FederationError> {
                let row = actors::upsert(conn, &form)?;
                if let Some(initiative) = &initiative {
                    agora_service::initiatives::record_remote(conn, row.id, initiative)?;
                }
                Ok(row)
            })
            .await?;
        DbActor::new(row)
    }
}

impl Actor for DbActor {
    fn public_key_pem(&self) -> &str {
        &self.row.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        self.row.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        Url::parse(&self.row.inbox).unwrap_or_else(|_| self.url.clone())
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.row
            .shared_inbox
            .as_deref()
            .and_then(|s| Url::parse(s).ok())
    }
}

/// The address of an `Image` as servers write it: an object with `url` (a string, a `Link`, or
/// a list of them), or a bare address. Only http(s) addresses are kept.
fn image_address(value: &serde_json::Value) -> Option<String> {
    let address = match value {
        serde_json::Value::String(s) => Some(s.as_str()),
        serde_json::Value::Object(o) => match o.get("url") {
            Some(serde_json::Value::String(s)) => Some(s.as_str()),
            Some(serde_json::Value::Object(link)) => link.get("href").and_then(|h| h.as_str()),
            Some(serde_json::Value::Array(list)) => list.iter().find_map(|l| match l {
                serde_json::Value::String(s) => Some(s.as_str()),
                serde_json::Value::Object(link) => link.get("href").and_then(|h| h.as_str()),
                _ => None,
            }),
            _ => None,
        },
        serde_json::Value::Array(list) => return list.iter().find_map(image_address),
        _ => None,
    }?;
    Url::parse(address)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(String::from)
}

/// An address as an `Image`, with its media type guessed from the file name.
fn image_of(address: &str) -> serde_json::Value {
    match address
        .rsplit('.')
        .next()
        .and_then(agora_service::media::media_type_of_extension)
    {
        Some(media_type) => {
            serde_json::json!({ "type": "Image", "mediaType": media_type, "url": address })
        }
        None => serde_json::json!({ "type": "Image", "url": address }),
    }
}
