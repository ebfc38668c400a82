//! Initiatives: start one, read one, search the directory.

use super::{
    json_body,
    views::{AccountView, ErrorBody},
};
use crate::{auth::api_user, error::HttpResult, state::WebState};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_db::initiatives::Search;
use agora_service::initiatives::{self, InitiativeDetails, NewInitiative, Place};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Where an initiative happens.
#[derive(Deserialize, Serialize, ToSchema)]
pub struct PlaceBody {
    /// In words.
    pub name: String,
    /// Latitude in degrees (with `longitude`).
    pub latitude: Option<f64>,
    /// Longitude in degrees (with `latitude`).
    pub longitude: Option<f64>,
}

/// A place as a client sends it: its name alone (`"Lyon 7e"`), or a name with coordinates.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PlaceInput {
    /// Just the name.
    Name(String),
    /// The name and, optionally, coordinates.
    Located(PlaceBody),
}

impl From<PlaceInput> for Place {
    fn from(input: PlaceInput) -> Place {
        match input {
            PlaceInput::Name(name) => Place {
                name,
                latitude: None,
                longitude: None,
            },
            PlaceInput::Located(p) => Place {
                name: p.name,
                latitude: p.latitude,
                longitude: p.longitude,
            },
        }
    }
}

/// A new initiative.
#[derive(Deserialize, ToSchema)]
pub struct InitiativeRequest {
    /// Handle: a–z, 0–9, `_`; shared namespace with people (`@handle@host`).
    pub handle: String,
    /// Name, 1–100 characters.
    pub name: String,
    /// Description; HTML is sanitised.
    pub description: String,
    /// Goals, plain text.
    pub goals: Option<String>,
    /// Up to 10 tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Optional place: a name, or `{"name", "latitude", "longitude"}`.
    pub place: Option<PlaceInput>,
}

/// An initiative.
#[derive(Serialize, ToSchema)]
pub struct InitiativeView {
    /// Row id.
    pub id: i64,
    /// Handle.
    pub handle: String,
    /// `@handle@host`.
    pub acct: String,
    /// ActivityPub id of its `Group` actor (also its page).
    pub uri: String,
    /// Name.
    pub name: String,
    /// Description (sanitised HTML).
    pub description: String,
    /// Goals.
    pub goals: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Place.
    pub place: Option<PlaceBody>,
    /// `open`, `achieved` or `closed`.
    pub status: String,
    /// Accepted followers.
    pub followers_count: i64,
    /// Organizers.
    pub organizers: Vec<AccountView>,
    /// Moderators.
    pub moderators: Vec<AccountView>,
    /// Creation time.
    pub created_at: String,
    /// Last activity.
    pub updated_at: String,
    /// Whether it lives on this node (organizers of other nodes' initiatives are not known).
    pub local: bool,
    /// Avatar address.
    pub avatar: Option<String>,
    /// Banner address.
    pub banner: Option<String>,
}

impl From<&InitiativeDetails> for InitiativeView {
    fn from(d: &InitiativeDetails) -> Self {
        let i = &d.initiative;
        InitiativeView {
            id: i.id,
            handle: d.actor.username.clone(),
            acct: d.actor.acct(),
            uri: d.actor.ap_id.clone(),
            name: d.actor.shown_name().to_string(),
            description: d.actor.summary.clone(),
            goals: i.goals.clone(),
            tags: d.tags.clone(),
            place: i.place_name.clone().map(|name| PlaceBody {
                name,
                latitude: i.latitude,
                longitude: i.longitude,
            }),
            status: i.status.clone(),
            followers_count: d.followers,
            organizers: d
                .members
                .iter()
                .filter(|(role, _)| role == "organizer")
                .map(|(_, a)| AccountView::from(a))
                .collect(),
            moderators: d
                .members
                .iter()
                .filter(|(role, _)| role == "moderator")
                .map(|(_, a)| AccountView::from(a))
                .collect(),
            created_at: i.created_at.and_utc().to_rfc3339(),
            updated_at: i.updated_at.and_utc().to_rfc3339(),
            local: d.actor.local,
            avatar: d.actor.icon_url.clone(),
            banner: d.actor.image_url.clone(),
        }
    }
}

/// Starts an initiative; the signed-in user becomes its first organizer. Anyone on the
/// fediverse can then follow `@handle@host`.
#[utoipa::path(post, path = "/api/v1/initiatives", request_body = InitiativeRequest,
    responses((status = 201, body = InitiativeView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/initiatives")]
pub async fn create_initiative(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: InitiativeRequest = json_body(payload).await?;
    let new = NewInitiative {
        handle: body.handle,
        name: body.name,
        description: body.description,
        goals: body.goals,
        tags: body.tags,
        place: body.place.map(Place::from),
    };
    let details = initiatives::create(&state.ctx, &who, new).await?;
    Ok(HttpResponse::Created().json(InitiativeView::from(&details)))
}

/// One initiative: `handle` for this node's, `handle@host` for another node's this node knows.
#[utoipa::path(get, path = "/api/v1/initiatives/{handle}", responses((status = 200, body = InitiativeView), (status = 404, body = ErrorBody)))]
#[get("/api/v1/initiatives/{handle}")]
pub async fn get_initiative(
    state: web::Data<WebState>,
    handle: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let details = initiatives::known(&state.ctx, &handle).await?;
    Ok(HttpResponse::Ok().json(InitiativeView::from(&details)))
}

/// Directory query.
#[derive(Deserialize, IntoParams)]
pub struct DirectoryQuery {
    /// Words in the name, handle, description or goals.
    pub q: Option<String>,
    /// One tag.
    pub tag: Option<String>,
    /// Words in the place.
    pub place: Option<String>,
    /// `open`, `achieved` or `closed`.
    pub status: Option<String>,
    /// Only initiatives with an organizer of this kind: `citizen`, `association`,
    /// `public_body`, `media`, `business`.
    pub kind: Option<String>,
    /// `local` (this node's) or `remote` (other nodes' this node knows); both by default.
    pub scope: Option<String>,
    /// 1–100 (default 40).
    pub limit: Option<i64>,
}

/// A directory entry.
#[derive(Serialize, ToSchema)]
pub struct DirectoryEntry {
    /// Handle.
    pub handle: String,
    /// `@handle@host`.
    pub acct: String,
    /// ActivityPub id.
    pub uri: String,
    /// Name.
    pub name: String,
    /// Status.
    pub status: String,
    /// Place name.
    pub place: Option<String>,
    /// Accepted followers (known here, for other nodes' initiatives).
    pub followers_count: i64,
    /// Organizers (none known for other nodes' initiatives).
    pub organizers: Vec<AccountView>,
    /// Whether it lives on this node.
    pub local: bool,
    /// Last activity: the directory is ordered by it, newest first. No other ranking.
    pub updated_at: String,
}

/// Searches the directory of initiatives, most recently active first (no other ranking).
#[utoipa::path(get, path = "/api/v1/initiatives", params(DirectoryQuery), responses((status = 200, body = Vec<DirectoryEntry>), (status = 400, body = ErrorBody)))]
#[get("/api/v1/initiatives")]
pub async fn search_initiatives(
    state: web::Data<WebState>,
    query: web::Query<DirectoryQuery>,
) -> HttpResult<HttpResponse> {
    let query = query.into_inner();
    let local = match query.scope.as_deref() {
        None | Some("") => None,
        Some("local") => Some(true),
        Some("remote") => Some(false),
        Some(_) => {
            return Err(crate::error::HttpError::json(
                agora_core::ErrorKind::InvalidField,
                "scope: local or remote",
            ));
        }
    };
    let search = Search {
        words: query.q,
        tag: query.tag,
        place: query.place,
        status: query.status,
        organizer_kind: query
            .kind
            .as_deref()
            .map(super::accounts::parse_kind)
            .transpose()?
            .map(agora_core::kinds::AccountKind::as_str),
        local,
        limit: query.limit.unwrap_or(40),
    };
    let rows = initiatives::search(&state.ctx, search).await?;
    let entries: Vec<DirectoryEntry> = rows
        .iter()
        .map(|row| DirectoryEntry {
            handle: row.actor.username.clone(),
            acct: row.actor.acct(),
            uri: row.actor.ap_id.clone(),
            name: row.actor.shown_name().to_string(),
            status: row.initiative.status.clone(),
            place: row.initiative.place_name.clone(),
            followers_count: row.followers,
            organizers: row.organizers.iter().map(AccountView::from).collect(),
            local: row.actor.local,
            updated_at: row.initiative.updated_at.and_utc().to_rfc3339(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(entries))
}

/// A member to add.
#[derive(Deserialize, ToSchema)]
pub struct MemberRequest {
    /// Handle of a local account (`name` or `@name@this-host`).
    pub account: String,
    /// `organizer` (manages, posts updates) or `moderator` (moderates replies).
    pub role: String,
}

/// Adds a co-organizer or moderator (organizers only); posting the same account again changes
/// its role.
#[utoipa::path(post, path = "/api/v1/initiatives/{handle}/organizers", request_body = MemberRequest,
    responses((status = 200, body = InitiativeView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/initiatives/{handle}/organizers")]
pub async fn add_organizer(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: MemberRequest = json_body(payload).await?;
    let details =
        initiatives::add_member(&state.ctx, &who, &handle, &body.account, &body.role).await?;
    Ok(HttpResponse::Ok().json(InitiativeView::from(&details)))
}

/// Removes a member (organizers only); the last organizer cannot be removed.
#[utoipa::path(delete, path = "/api/v1/initiatives/{handle}/organizers/{account}",
    responses((status = 200, body = InitiativeView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
#[actix_web::delete("/api/v1/initiatives/{handle}/organizers/{account}")]
pub async fn remove_organizer(
    req: HttpRequest,
    state: web::Data<WebState>,
    path: web::Path<(String, String)>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let (handle, account) = path.into_inner();
    let details = initiatives::remove_member(&state.ctx, &who, &handle, &account).await?;
    Ok(HttpResponse::Ok().json(InitiativeView::from(&details)))
}

/// Changes to an initiative; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
pub struct InitiativeEditRequest {
    /// Name.
    pub name: Option<String>,
    /// Description; HTML is sanitised.
    pub description: Option<String>,
    /// Goals.
    pub goals: Option<String>,
    /// Tags (replace all).
    pub tags: Option<Vec<String>>,
    /// Place (a name, or `{"name", "latitude", "longitude"}`); `null` removes it.
    #[serde(default, deserialize_with = "present")]
    pub place: Option<Option<PlaceInput>>,
    /// `open`, `achieved` or `closed`.
    pub status: Option<String>,
    /// Whether follows wait for an organizer's approval.
    pub manually_approves_followers: Option<bool>,
}

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<PlaceInput>>, D::Error> {
    Ok(Some(Option::<PlaceInput>::deserialize(d)?))
}

/// Edits an initiative (organizers only); followers' servers receive `Update{Group}`.
#[utoipa::path(patch, path = "/api/v1/initiatives/{handle}", request_body = InitiativeEditRequest,
    responses((status = 200, body = InitiativeView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
#[actix_web::patch("/api/v1/initiatives/{handle}")]
pub async fn edit_initiative(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: InitiativeEditRequest = json_body(payload).await?;
    let changes = initiatives::InitiativeChanges {
        name: body.name,
        description: body.description,
        goals: body.goals,
        tags: body.tags,
        place: body.place.map(|p| p.map(Place::from)),
        status: body.status,
        manually_approves_followers: body.manually_approves_followers,
    };
    let details = initiatives::edit(&state.ctx, &who, &handle, changes).await?;
    Ok(HttpResponse::Ok().json(InitiativeView::from(&details)))
}

/// Sets the initiative's `avatar` or `banner` (organizers only): the request body is the image
/// itself (PNG, JPEG, GIF or WebP, at most 2 MB).
#[utoipa::path(put, path = "/api/v1/initiatives/{handle}/{picture}",
    params(("picture" = String, Path, description = "`avatar` or `banner`")),
    request_body(content = Vec<u8>, content_type = "image/png"),
    responses((status = 200, body = InitiativeView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)), security(("bearer" = [])))]
#[actix_web::put("/api/v1/initiatives/{handle}/{picture}")]
pub async fn set_picture(
    req: HttpRequest,
    state: web::Data<WebState>,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let (handle, picture) = path.into_inner();
    let purpose = picture_slot(&picture)?;
    initiatives::may_set_picture(&state.ctx, &who, &handle).await?;
    let limit = agora_service::media::MAX_IMAGE_BYTES;
    let bytes = crate::body::read_limited(payload, limit, false).await?;
    let details =
        initiatives::set_picture(&state.ctx, &who, &handle, purpose, Some(bytes.to_vec())).await?;
    Ok(HttpResponse::Ok().json(InitiativeView::from(&details)))
}

/// Removes the initiative's `avatar` or `banner` (organizers only).
#[utoipa::path(delete, path = "/api/v1/initiatives/{handle}/{picture}",
    params(("picture" = String, Path, description = "`avatar` or `banner`")),
    responses((status = 200, body = InitiativeView), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
#[actix_web::delete("/api/v1/initiatives/{handle}/{picture}")]
pub async fn remove_picture(
    req: HttpRequest,
    state: web::Data<WebState>,
    path: web::Path<(String, String)>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let (handle, picture) = path.into_inner();
    let purpose = picture_slot(&picture)?;
    let details = initiatives::set_picture(&state.ctx, &who, &handle, purpose, None).await?;
    Ok(HttpResponse::Ok().json(InitiativeView::from(&details)))
}

fn picture_slot(picture: &str) -> HttpResult<agora_service::media::Purpose> {
    agora_service::media::Purpose::from_slot(picture).ok_or_else(|| {
        crate::error::HttpError::json(
            agora_core::ErrorKind::NotFound,
            "no such resource (avatar or banner)",
        )
    })
}

/// The follow requests waiting for the initiative's approval (organizers and moderators).
#[utoipa::path(get, path = "/api/v1/initiatives/{handle}/follow_requests",
    responses((status = 200, body = Vec<super::follows::FollowRequestView>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
#[get("/api/v1/initiatives/{handle}/follow_requests")]
pub async fn list_follow_requests(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let rows = initiatives::follow_requests(&state.ctx, &who, &handle).await?;
    let views: Vec<_> = rows
        .iter()
        .map(|(f, a)| super::follows::FollowRequestView {
            id: f.id,
            follower: AccountView::from(a),
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

/// Accepts (`accept`) or refuses (`reject`) a follow request of the initiative.
#[utoipa::path(post, path = "/api/v1/initiatives/{handle}/follow_requests/{id}/{answer}",
    params(("answer" = String, Path, description = "`accept` or `reject`")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/initiatives/{handle}/follow_requests/{id}/{answer}")]
pub async fn answer_follow_request(
    req: HttpRequest,
    state: web::Data<WebState>,
    path: web::Path<(String, i64, String)>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let (handle, id, answer) = path.into_inner();
    let accept = match answer.as_str() {
        "accept" => true,
        "reject" => false,
        _ => {
            return Err(crate::error::HttpError::json(
                agora_core::ErrorKind::NotFound,
                "accept or reject",
            ));
        }
    };
    initiatives::answer_follow_request(&state.ctx, &who, &handle, id, accept).await?;
    Ok(HttpResponse::NoContent().finish())
}
