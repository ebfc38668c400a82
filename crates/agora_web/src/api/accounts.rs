//! Accounts: sign-up, the signed-in account, password change, and looking actors up.

use super::{
    json_body,
    views::{AccountView, ErrorBody},
};
use crate::{
    auth::{api_user, client_key},
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::{
    ErrorKind,
    kinds::{AccountKind, KindSetter},
};
use agora_service::accounts::{self, SignUp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A sign-up. No field asks for a legal name.
#[derive(Deserialize, ToSchema)]
pub struct SignUpRequest {
    /// The pseudonym: a–z, 0–9, `_`, 1–30 characters; a few names (`admin`, `api`…) are reserved.
    #[schema(pattern = "^[a-z0-9_]{1,30}$")]
    pub handle: String,
    /// Used only to log in and confirm; never shown or federated.
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// 8 to 256 characters.
    #[schema(min_length = 8, max_length = 256)]
    pub password: String,
    /// Optional display name: at most 100 characters once trimmed, no control characters.
    #[schema(
        pattern = r"^[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\x00-\x1F\x7F-\x9F]{0,100}[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub display_name: Option<String>,
}

/// The state of a new account.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum SignUpState {
    /// It can log in.
    Active,
    /// An administrator must approve it first.
    PendingApproval,
}

/// The result of a sign-up.
#[derive(Serialize, ToSchema)]
pub struct SignUpResponse {
    /// The new account.
    pub account: AccountView,
    /// `active`, or `pending_approval` when an administrator must approve.
    #[schema(value_type = SignUpState)]
    pub state: &'static str,
}

/// Creates an account, as the node's registration mode allows. A confirmation link is e-mailed.
#[utoipa::path(post, path = "/api/v1/accounts", request_body = SignUpRequest,
    responses((status = 201, body = SignUpResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[post("/api/v1/accounts")]
pub async fn sign_up(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let body: SignUpRequest = json_body(payload).await?;
    let signup = SignUp {
        handle: body.handle,
        email: Some(body.email),
        password: body.password,
        display_name: body.display_name,
    };
    let (user, actor) = accounts::register(&state.ctx, signup, &client_key(&req, &state)).await?;
    let state = if user.approved {
        "active"
    } else {
        "pending_approval"
    };
    Ok(HttpResponse::Created().json(SignUpResponse {
        account: AccountView::from(&actor),
        state,
    }))
}

/// The role of an account on this node.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum AccountRole {
    /// An ordinary member.
    User,
    /// Handles reports.
    Moderator,
    /// Runs the node.
    Admin,
}

/// The signed-in account, with what only its owner sees.
#[derive(Serialize, ToSchema)]
pub struct MeView {
    /// Public view.
    pub account: AccountView,
    /// The address on file (shown to the owner only).
    pub email: Option<String>,
    /// Whether it is confirmed.
    pub email_confirmed: bool,
    /// `user`, `moderator` or `admin`.
    #[schema(value_type = AccountRole)]
    pub role: String,
    /// Interface language, if chosen.
    pub locale: Option<String>,
}

impl MeView {
    /// The owner's view of an account and its actor.
    pub fn new(user: &agora_service::model::User, actor: &agora_service::model::Actor) -> MeView {
        MeView {
            account: AccountView::from(actor),
            email: user
                .email
                .clone()
                .or_else(|| user.unconfirmed_email.clone()),
            email_confirmed: user.email_confirmed_at.is_some(),
            role: user.role.clone(),
            locale: user.locale.clone(),
        }
    }
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/accounts/me", responses((status = 200, body = MeView), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
#[get("/api/v1/accounts/me")]
pub async fn me(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    Ok(HttpResponse::Ok().json(MeView::new(&who.user, &who.actor)))
}

/// A password change.
#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    /// The current password.
    pub current_password: String,
    /// The new one (8 to 256 characters).
    #[schema(min_length = 8, max_length = 256)]
    pub new_password: String,
}

/// Changes the password; every other session and token ends.
#[utoipa::path(post, path = "/api/v1/accounts/me/password", request_body = PasswordChange,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody), (status = 429, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/accounts/me/password")]
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: PasswordChange = json_body(payload).await?;
    accounts::change_password(&state.ctx, &who, &body.current_password, &body.new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Reads a kind name from a request.
pub fn parse_kind(name: &str) -> HttpResult<AccountKind> {
    AccountKind::parse(name).ok_or_else(|| {
        HttpError::json(
            ErrorKind::InvalidField,
            "account_kind: citizen, association, public_body, media or business",
        )
    })
}

/// A kind a local account can have (`unknown` is only for remote actors).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum LocalAccountKindName {
    /// A person speaking for themselves.
    Citizen,
    /// A non-profit association; granted by an administrator.
    Association,
    /// A public body; granted by an administrator.
    PublicBody,
    /// A media outlet; granted by an administrator.
    Media,
    /// A business; self-declared or set by a moderator.
    Business,
}

/// A kind to set on an account.
#[derive(Deserialize, ToSchema)]
pub struct KindRequest {
    /// `citizen`, `association`, `public_body`, `media` or `business`.
    #[schema(value_type = LocalAccountKindName)]
    pub kind: String,
}

/// Sets an account's kind. Administrators grant association, public body and media (the date
/// and the administrator are recorded); moderators and administrators may set business.
#[utoipa::path(post, path = "/api/v1/admin/accounts/{handle}/kind", request_body = KindRequest,
    params(("handle" = String, Path, description = "Handle of a local account (`name` or `@name`).", min_length = 1)),
    responses((status = 200, body = AccountView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)), security(("bearer" = [])))]
#[post("/api/v1/admin/accounts/{handle}/kind")]
pub async fn set_account_kind(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let setter = who.kind_setter().ok_or_else(|| {
        HttpError::json(ErrorKind::Forbidden, "moderators and administrators only")
    })?;
    let body: KindRequest = json_body(payload).await?;
    let kind = parse_kind(&body.kind)?;
    let actor = accounts::set_kind_of(&state.ctx, &handle, kind, setter, Some(who.user.id)).await?;
    Ok(HttpResponse::Ok().json(AccountView::from(&actor)))
}

/// Query of a look-up.
#[derive(Deserialize, ToSchema)]
pub struct LookupQuery {
    /// `@name@host` or an actor URL.
    pub acct: String,
}

/// Finds an actor by handle or URL, fetching it from its server when unknown here.
#[utoipa::path(get, path = "/api/v1/accounts/lookup",
    params(("acct" = String, Query, description = "@name@host or an http(s) URL",
        pattern = r"^(https?://([A-Za-z0-9!$&'()*+,;=_~-]+\.)*[A-Za-z][A-Za-z0-9!$&'()*+,;=_~-]*([/?#\\][\s\S]*)?|@?[^@\s\x85]+@[^@/\s\x85]+)$")),
    responses((status = 200, body = AccountView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 502, body = ErrorBody)), security(("bearer" = [])))]
#[get("/api/v1/accounts/lookup")]
pub async fn lookup(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<LookupQuery>,
) -> HttpResult<HttpResponse> {
    api_user(&req, &state).await?;
    let actor = agora_federation::resolve::actor(&query.acct, &state.data())
        .await
        .map_err(HttpError::from)?;
    Ok(HttpResponse::Ok().json(AccountView::from(&actor.row)))
}

/// Profile changes; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
pub struct ProfileRequest {
    /// Display name: at most 100 characters once trimmed, no control characters.
    #[schema(
        pattern = r"^[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\x00-\x1F\x7F-\x9F]{0,100}[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub display_name: Option<String>,
    /// Biography, plain text (at most 2000 characters).
    #[schema(max_length = 2000)]
    pub summary: Option<String>,
    /// Whether follows wait for approval (`GET /api/v1/follow_requests`).
    pub manually_approves_followers: Option<bool>,
    /// `business` (self-declared) or back to `citizen`; other kinds are granted by an admin
    /// (asking for one answers 403).
    #[schema(value_type = Option<LocalAccountKindName>)]
    pub account_kind: Option<String>,
    /// The accounts this one was elsewhere (`@name@host` or ids), which may then move here;
    /// replaces the list (at most 10; `[]` clears it).
    #[schema(max_items = 10)]
    pub also_known_as: Option<Vec<super::views::ActorAddress>>,
}

/// Changes the signed-in account's profile; followers on other servers receive an `Update`.
#[utoipa::path(patch, path = "/api/v1/accounts/me", request_body = ProfileRequest,
    responses((status = 200, body = MeView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 502, body = ErrorBody)), security(("bearer" = [])))]
#[actix_web::patch("/api/v1/accounts/me")]
pub async fn update_me(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let mut who = api_user(&req, &state).await?;
    let body: ProfileRequest = json_body(payload).await?;
    if let Some(kind) = &body.account_kind {
        let kind = parse_kind(kind)?;
        who.actor = accounts::set_kind(
            &state.ctx,
            &who.actor,
            kind,
            KindSetter::Owner,
            Some(who.user.id),
        )
        .await?;
    }
    let edit = accounts::ProfileEdit {
        display_name: body.display_name,
        summary: body.summary,
        manually_approves_followers: body.manually_approves_followers,
    };
    let mut actor = accounts::update_profile(&state.ctx, &who, edit).await?;
    if let Some(aliases) = &body.also_known_as {
        let aliases = super::moves::resolve_aliases(&state, aliases).await?;
        actor = agora_service::moves::set_aliases(&state.ctx, &who, &aliases).await?;
    }
    Ok(HttpResponse::Ok().json(MeView::new(&who.user, &actor)))
}
