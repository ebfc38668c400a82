//! Reports: anyone files one; the reporter follows it; moderators work through the queue.

use super::{
    json_body,
    views::{ErrorBody, names_schema, rfc3339},
};
use crate::{
    auth::{api_user, api_viewer},
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::report::{Category, ReportStatus};
use agora_service::{
    model::{QueueFilter, Report},
    reports::{self, DecisionRequest, NewReport, Reporter},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A report category, as the API names it (the schema lists `Category::ALL`).
pub struct CategoryName;

impl utoipa::PartialSchema for CategoryName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        names_schema(
            Category::ALL.iter().map(|c| c.as_str()),
            "A DSA statement-of-reasons category, lower case without its prefix.",
        )
    }
}

impl utoipa::ToSchema for CategoryName {}

/// A moderator action this node carries out (the schema lists `reports::AVAILABLE_ACTIONS`).
pub struct ActionName;

impl utoipa::PartialSchema for ActionName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        names_schema(
            reports::AVAILABLE_ACTIONS.iter().map(|a| a.as_str()),
            "What the moderator does about the report.",
        )
    }
}

impl utoipa::ToSchema for ActionName {}

/// Where a report stands (the schema lists `ReportStatus::ALL`).
pub struct ReportStatusName;

impl utoipa::PartialSchema for ReportStatusName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        names_schema(
            ReportStatus::ALL.iter().map(|s| s.as_str()),
            "Where a report stands.",
        )
    }
}

impl utoipa::ToSchema for ReportStatusName {}

/// A new report.
#[derive(Deserialize, ToSchema)]
pub struct ReportRequest {
    /// What is reported: the URL of an account, a post, an initiative or a petition, or
    /// `@name@host` for an account.
    #[schema(
        min_length = 1,
        max_length = 2048,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub target: String,
    /// A DSA statement-of-reasons category, lower case without its prefix
    /// (`illegal_or_harmful_speech`, `scams_and_fraud`, …).
    #[schema(value_type = CategoryName)]
    pub category: String,
    /// Optional comment, up to 1 000 characters.
    #[schema(
        max_length = 1000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub comment: Option<String>,
    /// Also tell the server the content comes from (remote content only; the reporter is
    /// never named to it).
    #[serde(default)]
    pub forward: bool,
}

/// A report as its reporter sees it.
#[derive(Serialize, ToSchema)]
pub struct ReportView {
    /// Row id.
    pub id: i64,
    /// `open` or `decided`.
    pub status: String,
    /// The category.
    pub category: String,
    /// What was reported.
    pub target: String,
    /// `account`, `post`, `initiative` or `petition`.
    pub target_kind: String,
    /// The comment.
    pub comment: String,
    /// Whether the content's server is to be told.
    pub forward: bool,
    /// When it was filed (RFC 3339).
    pub created_at: String,
    /// The decision, once there is one.
    pub decision: Option<DecisionView>,
    /// What the content's server decided, for a forwarded report, once it said.
    pub remote_decision: Option<DecisionView>,
}

/// A decision on a report.
#[derive(Serialize, ToSchema)]
pub struct DecisionView {
    /// `dismiss`, `label`, `hide`, `delete`, `limit`, `suspend`, `block_actor`, `block_domain`.
    pub action: String,
    /// Why.
    pub reason: String,
    /// The legal or terms ground, when given.
    pub ground: Option<String>,
    /// When (RFC 3339).
    pub decided_at: Option<String>,
}

impl From<&Report> for ReportView {
    fn from(r: &Report) -> ReportView {
        let decision = match (&r.action, &r.reason) {
            (Some(action), Some(reason)) => Some(DecisionView {
                action: action.clone(),
                reason: reason.clone(),
                ground: r.ground.clone(),
                decided_at: r.decided_at.map(rfc3339),
            }),
            _ => None,
        };
        let remote_decision = r.remote_action.as_ref().map(|action| DecisionView {
            action: action.clone(),
            reason: r.remote_reason.clone().unwrap_or_default(),
            ground: None,
            decided_at: r.remote_decided_at.map(rfc3339),
        });
        ReportView {
            id: r.id,
            status: r.status.clone(),
            category: r.category.clone(),
            target: r.target_ap_id.clone(),
            target_kind: r.target_kind.clone(),
            comment: r.comment.clone(),
            forward: r.forward,
            created_at: rfc3339(r.created_at),
            decision,
            remote_decision,
        }
    }
}

/// A report as moderators see it: where it came from, and earlier reports on the same
/// account (never who filed it, beyond whether it came from here).
#[derive(Serialize, ToSchema)]
pub struct ModerationView {
    /// The report.
    #[serde(flatten)]
    pub report: ReportView,
    /// The reporting server's host (ours for reports filed here).
    pub origin: String,
    /// The content as it was when reported.
    #[schema(value_type = Object)]
    pub snapshot: serde_json::Value,
    /// Whether a visitor without an account filed it.
    pub by_visitor: bool,
    /// Whether a moderator took it.
    pub assigned: bool,
}

impl From<&Report> for ModerationView {
    fn from(r: &Report) -> ModerationView {
        ModerationView {
            report: ReportView::from(r),
            origin: r.origin.clone(),
            snapshot: serde_json::from_str(&r.snapshot).unwrap_or(serde_json::Value::Null),
            by_visitor: r.reporter_id.is_none() && r.sender_id.is_none(),
            assigned: r.assigned_to.is_some(),
        }
    }
}

/// One report for moderators, with earlier ones on the same account.
#[derive(Serialize, ToSchema)]
pub struct ModerationDetail {
    /// The report.
    #[serde(flatten)]
    pub report: ModerationView,
    /// Earlier reports on the same account, newest first.
    pub earlier: Vec<ModerationView>,
    /// The appeal of its decision, once the reported account appealed.
    pub appeal: Option<super::appeals::AppealView>,
}

/// Files a report, signed in or not (visitors are limited per address).
#[utoipa::path(post, path = "/api/v1/reports", request_body = ReportRequest,
    responses((status = 201, body = ReportView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[post("/api/v1/reports")]
pub async fn file_report(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let viewer = api_viewer(&req, &state).await?;
    let body: ReportRequest = json_body(payload).await?;
    let client = crate::auth::client_key(&req, &state);
    let reporter = match &viewer {
        Some(who) => Reporter::Account(who),
        None => Reporter::Visitor(&client),
    };
    let new = NewReport {
        target: body.target,
        category: body.category,
        comment: body.comment,
        forward: body.forward,
    };
    let report = reports::file(&state.ctx, reporter, new).await?;
    Ok(HttpResponse::Created().json(ReportView::from(&report)))
}

/// One of the caller's reports, with the decision once there is one.
#[utoipa::path(get, path = "/api/v1/reports/{id}",
    params(("id" = i64, Path, description = "The report's id.")),
    responses((status = 200, body = ReportView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[get("/api/v1/reports/{id}")]
pub async fn get_report(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let report = reports::mine(&state.ctx, &who, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ReportView::from(&report)))
}

/// The queue's filters.
#[derive(Deserialize, IntoParams)]
pub struct QueueQuery {
    /// `open` or `decided`.
    #[param(value_type = Option<ReportStatusName>)]
    pub status: Option<String>,
    /// A category.
    #[param(value_type = Option<CategoryName>)]
    pub category: Option<String>,
    /// The reporting server's host.
    pub origin: Option<String>,
    /// The reported thing's id.
    pub target: Option<String>,
    /// `me` (taken by the caller) or `none` (taken by nobody).
    #[param(value_type = Option<AssignedName>)]
    pub assigned: Option<String>,
}

/// Whose reports the queue shows (`me` or `none`).
pub struct AssignedName;

impl utoipa::PartialSchema for AssignedName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        names_schema(
            ["me", "none"].into_iter(),
            "Reports taken by the caller, or by nobody.",
        )
    }
}

impl utoipa::ToSchema for AssignedName {}

/// The moderation queue, oldest first (moderators and administrators).
#[utoipa::path(get, path = "/api/v1/admin/reports", params(QueueQuery),
    responses((status = 200, body = [ModerationView]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
#[get("/api/v1/admin/reports")]
pub async fn report_queue(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<QueueQuery>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let q = query.into_inner();
    let nonempty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let filter = QueueFilter {
        status: nonempty(q.status),
        category: nonempty(q.category),
        origin: nonempty(q.origin).map(|o| o.to_ascii_lowercase()),
        target: nonempty(q.target),
        assigned: match nonempty(q.assigned).as_deref() {
            None => None,
            Some("me") => Some(Some(who.actor.id)),
            Some("none") => Some(None),
            Some(_) => {
                return Err(HttpError::json(
                    agora_core::ErrorKind::InvalidField,
                    "assigned: me or none",
                ));
            }
        },
    };
    let found = reports::queue(&state.ctx, &who, filter).await?;
    let views: Vec<ModerationView> = found.iter().map(ModerationView::from).collect();
    Ok(HttpResponse::Ok().json(views))
}

/// One report for moderators, with the earlier reports on the same account.
#[utoipa::path(get, path = "/api/v1/admin/reports/{id}",
    params(("id" = i64, Path, description = "The report's id.")),
    responses((status = 200, body = ModerationDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[get("/api/v1/admin/reports/{id}")]
pub async fn report_for_moderator(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let desk = reports::for_moderator(&state.ctx, &who, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ModerationDetail {
        report: ModerationView::from(&desk.report),
        earlier: desk.earlier.iter().map(ModerationView::from).collect(),
        appeal: desk
            .appeal
            .as_ref()
            .and_then(super::appeals::AppealView::of),
    }))
}

/// A moderator's decision.
#[derive(Deserialize, ToSchema)]
pub struct DecisionBody {
    /// What to do: `dismiss`, `hide` (a post or petition), `delete` (a post), `limit` or
    /// `suspend` (an account of this node), `block_actor` and `block_domain` (another
    /// server's account, or all of its server), `label` (a post, initiative or petition; with
    /// `label` and, for `disputed`, `link`).
    #[schema(value_type = ActionName)]
    pub action: String,
    /// Why, 1–2 000 characters: the reporter reads it.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub reason: String,
    /// The legal or terms ground, up to 300 characters.
    #[schema(
        max_length = 300,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub ground: Option<String>,
    /// With `label`: `disputed` (with `link`) or `commercial`.
    #[schema(value_type = Option<LabelName>)]
    pub label: Option<String>,
    /// With `disputed`: the http(s) address of a fact-check.
    #[schema(max_length = 2048, pattern = r"^https?://[^\x00-\x20]+$")]
    pub link: Option<String>,
}

/// A label a moderator sets (`disputed` or `commercial`).
pub struct LabelName;

impl utoipa::PartialSchema for LabelName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        names_schema(
            ["disputed", "commercial"].into_iter(),
            "A label a moderator sets.",
        )
    }
}

impl utoipa::ToSchema for LabelName {}

/// Decides an open report (moderators and administrators).
#[utoipa::path(post, path = "/api/v1/admin/reports/{id}/decision", request_body = DecisionBody,
    params(("id" = i64, Path, description = "The report's id.")),
    responses((status = 200, body = ModerationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/admin/reports/{id}/decision")]
pub async fn decide_report(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: DecisionBody = json_body(payload).await?;
    let request = DecisionRequest {
        action: body.action,
        reason: body.reason,
        ground: body.ground,
        label: body.label,
        link: body.link,
    };
    let report = reports::decide(&state.ctx, &who, id.into_inner(), request).await?;
    Ok(HttpResponse::Ok().json(ModerationView::from(&report)))
}

/// Takes a report: it is the caller's until they let it go.
#[utoipa::path(post, path = "/api/v1/admin/reports/{id}/assign_to_self",
    params(("id" = i64, Path, description = "The report's id.")),
    responses((status = 200, body = ModerationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/admin/reports/{id}/assign_to_self")]
pub async fn assign_to_self(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let report = reports::assign(&state.ctx, &who, id.into_inner(), true).await?;
    Ok(HttpResponse::Ok().json(ModerationView::from(&report)))
}

/// Lets a report go: it is nobody's.
#[utoipa::path(post, path = "/api/v1/admin/reports/{id}/unassign",
    params(("id" = i64, Path, description = "The report's id.")),
    responses((status = 200, body = ModerationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/admin/reports/{id}/unassign")]
pub async fn unassign(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let report = reports::assign(&state.ctx, &who, id.into_inner(), false).await?;
    Ok(HttpResponse::Ok().json(ModerationView::from(&report)))
}
