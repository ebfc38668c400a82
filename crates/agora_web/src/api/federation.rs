//! The federation policy for moderators: read it, set or lift a rule on a domain, change the
//! mode. Every change applies at once and is in the public moderation log.

use super::{
    json_body,
    views::{ErrorBody, names_schema},
};
use crate::{auth::api_user, error::HttpResult, state::WebState};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::federation_policy::{DomainPolicy, FederationMode, FederationPolicy};
use agora_service::federation_policy;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A rule on a domain.
#[derive(Serialize, ToSchema)]
pub struct RuleView {
    /// The domain (its subdomains too, unless it names a port).
    pub domain: String,
    /// `block`, `allow`, `silence`, `reject_media` or `reject_reports`.
    pub policy: String,
    /// Set in the configuration file (not lifted from the API).
    pub from_config: bool,
}

/// The policy in effect.
#[derive(Serialize, ToSchema)]
pub struct PolicyView {
    /// `blocklist` or `allowlist`.
    pub mode: String,
    /// Every rule.
    pub rules: Vec<RuleView>,
}

impl From<&FederationPolicy> for PolicyView {
    fn from(p: &FederationPolicy) -> PolicyView {
        PolicyView {
            mode: p.mode.as_str().into(),
            rules: p
                .rules
                .iter()
                .map(|r| RuleView {
                    domain: r.domain.clone(),
                    policy: r.policy.as_str().into(),
                    from_config: r.from_config,
                })
                .collect(),
        }
    }
}

/// The federation policy in effect (moderators).
#[utoipa::path(get, path = "/api/v1/admin/federation",
    responses((status = 200, body = PolicyView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
#[get("/api/v1/admin/federation")]
pub async fn current_policy(
    req: HttpRequest,
    state: web::Data<WebState>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let (policy, _) = federation_policy::for_desk(&state.ctx, &who).await?;
    Ok(HttpResponse::Ok().json(PolicyView::from(policy.as_ref())))
}

/// A rule to set or lift.
#[derive(Deserialize, ToSchema)]
pub struct RuleBody {
    /// A host name, or host:port.
    #[schema(
        min_length = 1,
        max_length = 253,
        pattern = r"^[A-Za-z0-9][A-Za-z0-9.:-]*$"
    )]
    pub domain: String,
    /// What the rule does.
    #[schema(value_type = PolicyName)]
    pub policy: String,
    /// Why, 1–2 000 characters: the public log shows it.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub reason: String,
}

/// A rule's policy (the schema lists `DomainPolicy::ALL`).
pub struct PolicyName;

impl utoipa::PartialSchema for PolicyName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        names_schema(
            DomainPolicy::ALL.iter().map(|p| p.as_str()),
            "What a rule does to a domain.",
        )
    }
}

impl utoipa::ToSchema for PolicyName {}

async fn change(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
    set: bool,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: RuleBody = json_body(payload).await?;
    let policy = federation_policy::change_rule(
        &state.ctx,
        &who,
        &body.domain,
        &body.policy,
        &body.reason,
        set,
    )
    .await?;
    Ok(HttpResponse::Ok().json(PolicyView::from(policy.as_ref())))
}

/// Sets a rule on a domain (moderators).
#[utoipa::path(post, path = "/api/v1/admin/federation/rules", request_body = RuleBody,
    responses((status = 200, body = PolicyView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/admin/federation/rules")]
pub async fn set_rule(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    change(req, state, payload, true).await
}

/// Lifts a rule moderators set (moderators).
#[utoipa::path(post, path = "/api/v1/admin/federation/rules/lift", request_body = RuleBody,
    responses((status = 200, body = PolicyView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/admin/federation/rules/lift")]
pub async fn lift_rule(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    change(req, state, payload, false).await
}

/// A new mode.
#[derive(Deserialize, ToSchema)]
pub struct ModeBody {
    /// `blocklist` or `allowlist`.
    #[schema(value_type = ModeName)]
    pub mode: String,
    /// Why, 1–2 000 characters: the public log shows it.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub reason: String,
}

/// A federation mode (the schema lists `FederationMode::ALL`).
pub struct ModeName;

impl utoipa::PartialSchema for ModeName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        names_schema(
            FederationMode::ALL.iter().map(|m| m.as_str()),
            "Whom the node federates with.",
        )
    }
}

impl utoipa::ToSchema for ModeName {}

/// Changes the mode (moderators).
#[utoipa::path(post, path = "/api/v1/admin/federation/mode", request_body = ModeBody,
    responses((status = 200, body = PolicyView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/admin/federation/mode")]
pub async fn set_mode(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: ModeBody = json_body(payload).await?;
    let policy = federation_policy::change_mode(&state.ctx, &who, &body.mode, &body.reason).await?;
    Ok(HttpResponse::Ok().json(PolicyView::from(policy.as_ref())))
}
