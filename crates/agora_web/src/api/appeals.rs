//! Decisions about one's own content and their appeal: the reported account reads what the
//! moderators decided and why, and appeals once; another moderator decides the appeal.

use super::{
    json_body,
    reports::ModerationView,
    views::{ErrorBody, names_schema, rfc3339},
};
use crate::{
    auth::{api_user, api_viewer},
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::ErrorKind;
use agora_service::{
    model::Appeal,
    reports::{self, AppealRequest, DecisionOnMe},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An appeal and, once there is one, its outcome.
#[derive(Serialize, ToSchema)]
pub struct AppealView {
    /// What the account wrote.
    pub text: String,
    /// When (RFC 3339).
    pub appealed_at: String,
    /// `upheld` or `reversed`, once decided.
    pub outcome: Option<String>,
    /// Why, once decided.
    pub reason: Option<String>,
    /// When it was decided (RFC 3339).
    pub decided_at: Option<String>,
}

impl AppealView {
    /// The view of an appeal that was made; `None` while the account has not appealed.
    pub fn of(a: &Appeal) -> Option<AppealView> {
        Some(AppealView {
            text: a.text.clone()?,
            appealed_at: rfc3339(a.appealed_at?),
            outcome: a.outcome.clone(),
            reason: a.reason.clone(),
            decided_at: a.decided_at.map(rfc3339),
        })
    }
}

/// A decision about the caller's content, as the reported account reads it (never who
/// reported).
#[derive(Serialize, ToSchema)]
pub struct DecisionOnMeView {
    /// The report's id (what the appeal names).
    pub id: i64,
    /// What was decided about.
    pub target: String,
    /// `account`, `post`, `initiative` or `petition`.
    pub target_kind: String,
    /// The category it was reported under.
    pub category: String,
    /// What was decided.
    pub action: String,
    /// Why.
    pub reason: String,
    /// The legal or terms ground.
    pub ground: Option<String>,
    /// When (RFC 3339).
    pub decided_at: Option<String>,
    /// Whether it can still be appealed.
    pub can_appeal: bool,
    /// The appeal, once made.
    pub appeal: Option<AppealView>,
}

impl From<&DecisionOnMe> for DecisionOnMeView {
    fn from(d: &DecisionOnMe) -> DecisionOnMeView {
        let r = &d.report;
        DecisionOnMeView {
            id: r.id,
            target: r.target_ap_id.clone(),
            target_kind: r.target_kind.clone(),
            category: r.category.clone(),
            action: r.action.clone().unwrap_or_default(),
            reason: r.reason.clone().unwrap_or_default(),
            ground: r.ground.clone(),
            decided_at: r.decided_at.map(rfc3339),
            can_appeal: d.appeal.as_ref().is_some_and(|a| a.appealed_at.is_none()),
            appeal: d.appeal.as_ref().and_then(AppealView::of),
        }
    }
}

/// The decisions that did something to the caller's content, newest first.
#[utoipa::path(get, path = "/api/v1/moderation/decisions",
    responses((status = 200, body = [DecisionOnMeView]), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
#[get("/api/v1/moderation/decisions")]
pub async fn my_decisions(
    req: HttpRequest,
    state: web::Data<WebState>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let found = reports::decisions_about_me(&state.ctx, &who).await?;
    let views: Vec<DecisionOnMeView> = found.iter().map(DecisionOnMeView::from).collect();
    Ok(HttpResponse::Ok().json(views))
}

/// An appeal.
#[derive(Deserialize, ToSchema)]
pub struct AppealBody {
    /// Why the decision should change, 1–2 000 characters.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub text: String,
    /// The token of the link in the statement of reasons, for an account that cannot sign in
    /// (suspended); not needed when signed in.
    #[schema(max_length = 128)]
    pub token: Option<String>,
}

/// Appeals a decision about the caller's content, once.
#[utoipa::path(post, path = "/api/v1/moderation/decisions/{id}/appeal", request_body = AppealBody,
    params(("id" = i64, Path, description = "The report's id.")),
    responses((status = 200, body = DecisionOnMeView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)),
    security((), ("bearer" = [])))]
#[post("/api/v1/moderation/decisions/{id}/appeal")]
pub async fn appeal(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let viewer = api_viewer(&req, &state).await?;
    let body: AppealBody = json_body(payload).await?;
    let by = match (&viewer, body.token.as_deref()) {
        (_, Some(token)) => AppealRequest::Token(token),
        (Some(who), None) => AppealRequest::Account(who),
        (None, None) => return Err(HttpError::json(ErrorKind::Unauthorized, "")),
    };
    let done = reports::appeal(&state.ctx, by, id.into_inner(), &body.text).await?;
    Ok(HttpResponse::Ok().json(DecisionOnMeView::from(&done)))
}

/// Another moderator's decision on an appeal.
#[derive(Deserialize, ToSchema)]
pub struct AppealDecisionBody {
    /// `upheld` (the decision stands) or `reversed` (it is undone).
    #[schema(value_type = OutcomeName)]
    pub outcome: String,
    /// Why, 1–2 000 characters: the account reads it.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub reason: String,
}

/// What came of an appeal (the schema lists `AppealOutcome::ALL`).
pub struct OutcomeName;

impl utoipa::PartialSchema for OutcomeName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        names_schema(
            agora_core::report::AppealOutcome::ALL
                .iter()
                .map(|o| o.as_str()),
            "What came of an appeal.",
        )
    }
}

impl utoipa::ToSchema for OutcomeName {}

/// Decides an appeal (a moderator other than the one who decided the report).
#[utoipa::path(post, path = "/api/v1/admin/reports/{id}/appeal/decision", request_body = AppealDecisionBody,
    params(("id" = i64, Path, description = "The report's id.")),
    responses((status = 200, body = ModerationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/admin/reports/{id}/appeal/decision")]
pub async fn decide_appeal(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: AppealDecisionBody = json_body(payload).await?;
    let done = reports::decide_appeal(
        &state.ctx,
        &who,
        id.into_inner(),
        &body.outcome,
        &body.reason,
    )
    .await?;
    Ok(HttpResponse::Ok().json(ModerationView::from(&done.report)))
}
