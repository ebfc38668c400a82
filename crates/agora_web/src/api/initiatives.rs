//! Initiatives: start one, read one, search the directory.

use super::{
    json_body,
    views::{AccountView, ErrorBody},
};
use crate::{auth::api_user, error::HttpResult, state::WebState};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_service::initiatives::{self, InitiativeDetails, NewInitiative, Place};
use agora_service::model::Search;
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
#[derive(Deserialize)]
#[serde(untagged)]
pub enum PlaceInput {
    /// Just the name.
    Name(String),
    /// The name and, optionally, coordinates.
    Located(PlaceBody),
}

impl utoipa::PartialSchema for PlaceInput {
    /// A name (1–200 characters), `{"name"}`, or `{"name", "latitude", "longitude"}` with both
    /// coordinates: the rule "both or neither" is the one a derived schema cannot state.
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{
            KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type,
        };
        let name = || {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(200))
                .pattern(Some(
                    r"[^\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]",
                ))
        };
        let absent = || ObjectBuilder::new().schema_type(Type::Null);
        let degrees = |limit: f64| {
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Double)))
                .minimum(Some(-limit))
                .maximum(Some(limit))
        };
        OneOfBuilder::new()
            .item(name().description(Some("Just the name (1–200 characters).")))
            .item(
                ObjectBuilder::new()
                    .description(Some("The name, without coordinates."))
                    .property("name", name())
                    .required("name")
                    .property("latitude", absent())
                    .property("longitude", absent()),
            )
            .item(
                ObjectBuilder::new()
                    .description(Some("The name and both coordinates, in degrees."))
                    .property("name", name())
                    .required("name")
                    .property("latitude", degrees(90.0))
                    .required("latitude")
                    .property("longitude", degrees(180.0))
                    .required("longitude"),
            )
            .description(Some(
                "A place as a client sends it: its name alone (`\"Lyon 7e\"`), or a name with both coordinates or none.",
            ))
            .into()
    }
}

impl utoipa::ToSchema for PlaceInput {}

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
    /// Handle: a–z, 0–9, `_`, 1–30 characters; shared namespace with people (`@handle@host`).
    #[schema(pattern = "^[a-z0-9_]{1,30}$")]
    pub handle: String,
    /// Name: 1–100 characters once trimmed, no control characters.
    #[schema(
        pattern = r"^[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x1F\x7F-\x9F]{0,99}[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub name: String,
    /// Description (at most 10 000 characters); HTML is sanitised.
    #[schema(max_length = 10000)]
    pub description: String,
    /// Goals, plain text (at most 5 000 characters).
    #[schema(max_length = 5000)]
    pub goals: Option<String>,
    /// Up to 10 tags: letters, digits, `_` and `-`, 1–50 characters, an optional leading `#`.
    #[serde(default)]
    #[schema(
        max_items = 10,
        pattern = r"^(?![\s\S]*\u0130)[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*#*[\p{L}\p{N}_-]{1,50}[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub tags: Vec<String>,
    /// Optional place: a name, or `{"name", "latitude", "longitude"}`.
    pub place: Option<PlaceInput>,
}

/// The status of an initiative.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum InitiativeStatus {
    /// Under way.
    Open,
    /// Its goals are reached.
    Achieved,
    /// Stopped.
    Closed,
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
    #[schema(value_type = InitiativeStatus)]
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
    responses((status = 201, body = InitiativeView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)), security(("bearer" = [])))]
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
#[utoipa::path(get, path = "/api/v1/initiatives/{handle}",
    params(("handle" = String, Path, description = "`handle` for this node's initiative, `handle@host` for another node's.", min_length = 1)),
    responses((status = 200, body = InitiativeView), (status = 404, body = ErrorBody)))]
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
#[into_params(parameter_in = Query)]
pub struct DirectoryQuery {
    /// Words in the name, handle, description or goals (at most 200 characters).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// One tag: letters, digits, `_` and `-`, 1–50 characters, an optional leading `#`.
    #[param(
        pattern = r"^(?![\s\S]*\u0130)[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*#*[\p{L}\p{N}_-]{1,50}[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub tag: Option<String>,
    /// Words in the place (at most 200 characters).
    #[param(max_length = 200)]
    pub place: Option<String>,
    /// `open`, `achieved` or `closed`.
    #[param(inline, value_type = Option<InitiativeStatus>)]
    pub status: Option<String>,
    /// Only initiatives with an organizer of this kind: `citizen`, `association`,
    /// `public_body`, `media`, `business`.
    #[param(inline, value_type = Option<super::views::AccountKindName>)]
    pub kind: Option<String>,
    /// `local` (this node's) or `remote` (other nodes' this node knows); both when absent or empty.
    #[param(pattern = "^(local|remote)?$")]
    pub scope: Option<String>,
    /// 1–100 (default 40); other values are brought into that range.
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
    /// `open`, `achieved` or `closed`.
    #[schema(value_type = InitiativeStatus)]
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

/// A member's role in an initiative.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum MemberRole {
    /// Manages the initiative and posts its updates.
    Organizer,
    /// Moderates replies.
    Moderator,
}

/// A member to add.
#[derive(Deserialize, ToSchema)]
pub struct MemberRequest {
    /// Handle of a local account: `name`, `@name` (or `@name@this-host`; another host answers 400).
    #[schema(pattern = "^@*[^@]+$")]
    pub account: String,
    /// `organizer` (manages, posts updates) or `moderator` (moderates replies).
    #[schema(value_type = MemberRole)]
    pub role: String,
}

/// Adds a co-organizer or moderator (organizers only); posting the same account again changes
/// its role.
#[utoipa::path(post, path = "/api/v1/initiatives/{handle}/organizers", request_body = MemberRequest, params(("handle" = String, Path, description = "Handle of an initiative of this node.", min_length = 1)),
    responses((status = 200, body = InitiativeView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)), security(("bearer" = [])))]
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
    params(("handle" = String, Path, description = "Handle of an initiative of this node.", min_length = 1),
        ("account" = String, Path, description = "Handle of the member (`name`, `@name` or `@name@this-host`).", min_length = 1)),
    responses((status = 200, body = InitiativeView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
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
    /// Name: 1–100 characters once trimmed, no control characters.
    #[schema(
        pattern = r"^[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x1F\x7F-\x9F]{0,99}[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub name: Option<String>,
    /// Description (at most 10 000 characters); HTML is sanitised.
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    /// Goals (at most 5 000 characters).
    #[schema(max_length = 5000)]
    pub goals: Option<String>,
    /// Tags (replace all): up to 10, as at creation.
    #[schema(
        max_items = 10,
        pattern = r"^(?![\s\S]*\u0130)[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*#*[\p{L}\p{N}_-]{1,50}[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub tags: Option<Vec<String>>,
    /// Place (a name, or `{"name", "latitude", "longitude"}`); `null` removes it.
    #[serde(default, deserialize_with = "present")]
    pub place: Option<Option<PlaceInput>>,
    /// `open`, `achieved` or `closed`.
    #[schema(value_type = Option<InitiativeStatus>)]
    pub status: Option<String>,
    /// Whether follows wait for an organizer's approval.
    pub manually_approves_followers: Option<bool>,
    /// The groups this initiative was elsewhere (`@name@host` or ids), which may then move
    /// here; replaces the list (at most 10).
    #[schema(max_items = 10)]
    pub also_known_as: Option<Vec<super::views::ActorAddress>>,
}

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<PlaceInput>>, D::Error> {
    Ok(Some(Option::<PlaceInput>::deserialize(d)?))
}

/// Edits an initiative (organizers only); followers' servers receive `Update{Group}`.
#[utoipa::path(patch, path = "/api/v1/initiatives/{handle}", request_body = InitiativeEditRequest, params(("handle" = String, Path, description = "Handle of an initiative of this node.", min_length = 1)),
    responses((status = 200, body = InitiativeView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 502, body = ErrorBody)), security(("bearer" = [])))]
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
    let mut details = initiatives::edit(&state.ctx, &who, &handle, changes).await?;
    if let Some(aliases) = &body.also_known_as {
        let aliases = super::moves::resolve_aliases(&state, aliases).await?;
        agora_service::moves::set_initiative_aliases(&state.ctx, &who, &handle, &aliases).await?;
        details = initiatives::by_handle(&state.ctx, &handle).await?;
    }
    Ok(HttpResponse::Ok().json(InitiativeView::from(&details)))
}

/// An image file (PNG, JPEG, GIF or WebP, at most 2 MB), sent as the whole request body.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct ImageUpload(pub Vec<u8>);

/// Sets the initiative's `avatar` or `banner` (organizers only): the request body is the image
/// itself (PNG, JPEG, GIF or WebP, at most 2 MB).
#[utoipa::path(put, path = "/api/v1/initiatives/{handle}/{picture}",
    params(("handle" = String, Path, description = "Handle of an initiative of this node.", min_length = 1), ("picture" = String, Path, description = "`avatar` or `banner`", pattern = "^(avatar|banner)$")),
    request_body(content = ImageUpload, content_type = "application/octet-stream"),
    responses((status = 200, body = InitiativeView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody)), security(("bearer" = [])))]
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
    params(("handle" = String, Path, description = "Handle of an initiative of this node.", min_length = 1), ("picture" = String, Path, description = "`avatar` or `banner`", pattern = "^(avatar|banner)$")),
    responses((status = 200, body = InitiativeView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
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
#[utoipa::path(get, path = "/api/v1/initiatives/{handle}/follow_requests", params(("handle" = String, Path, description = "Handle of an initiative of this node.", min_length = 1)),
    responses((status = 200, body = Vec<super::follows::FollowRequestView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
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
    params(("handle" = String, Path, description = "Handle of an initiative of this node.", min_length = 1), ("id" = i64, Path, description = "Row id of the follow request."),
        ("answer" = String, Path, description = "`accept` or `reject`", pattern = "^(accept|reject)$")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
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
