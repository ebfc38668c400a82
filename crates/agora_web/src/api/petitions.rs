//! Petitions: start one, read its counts, sign and withdraw.

use super::{
    json_body,
    views::{AccountView, ErrorBody},
};
use crate::{
    auth::{api_user, api_viewer},
    error::HttpResult,
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use agora_core::petition::{PetitionStatus, SignaturePolicy};
use agora_service::petitions::{self, NewPetition, PetitionDetails, Receipt};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Whose signatures a petition counts.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyName {
    /// Accounts of this node whose e-mail is confirmed.
    LocalVerified,
    /// Those, and any fediverse actor whose HTTP signature verified.
    Fediverse,
    /// Those, and actors of the servers listed in `trusted_instances`.
    TrustedInstances,
}

impl From<PolicyName> for SignaturePolicy {
    fn from(p: PolicyName) -> SignaturePolicy {
        match p {
            PolicyName::LocalVerified => SignaturePolicy::LocalVerified,
            PolicyName::Fediverse => SignaturePolicy::Fediverse,
            PolicyName::TrustedInstances => SignaturePolicy::TrustedInstances,
        }
    }
}

/// Where a petition stands.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum PetitionStatusName {
    /// Not yet published.
    Draft,
    /// Taking signatures.
    Open,
    /// The count is final.
    Closed,
    /// Its target answered.
    Answered,
    /// Its initiative moved to another node, where it goes on.
    Moved,
}

/// A new petition.
#[derive(Deserialize, ToSchema)]
pub struct PetitionRequest {
    /// Title, 1–200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// Text, plain (paragraphs kept), 1–20 000 characters.
    #[schema(min_length = 1, max_length = 20000)]
    pub text: String,
    /// Whom it addresses: an institution in words, or a public body's `@name@host`.
    #[schema(min_length = 1, max_length = 500)]
    pub target: String,
    /// When it closes (RFC 3339), between an hour and two years from now.
    pub deadline: DateTime<Utc>,
    /// Counts to celebrate (up to 10, each 1–1 000 000 000).
    #[serde(default)]
    #[schema(max_items = 10)]
    pub milestones: Vec<i64>,
    /// Whose signatures count; `local_verified` when absent.
    pub signature_policy: Option<PolicyName>,
    /// With `trusted_instances`: the servers whose members may sign (host names).
    #[serde(default)]
    #[schema(max_items = 100)]
    pub trusted_instances: Vec<String>,
    /// The handle of an initiative the caller organizes: the petition is then the initiative's.
    pub initiative: Option<String>,
    /// Keep it as a draft (not shown, not signable).
    #[serde(default)]
    pub draft: bool,
    /// Whether signers may show their pseudonym (yes when absent). The list of signers is
    /// private either way; only those who choose to are shown.
    pub public_names: Option<bool>,
}

/// Counts from one server.
#[derive(Serialize, ToSchema)]
pub struct OriginView {
    /// The signers' server (this node's host for local signers).
    pub origin: String,
    /// Counted signatures.
    pub verified: i64,
    /// Signatures waiting for their signer's e-mail confirmation.
    pub unverified: i64,
}

/// The counts of a petition.
#[derive(Serialize, ToSchema)]
pub struct SignatureCounts {
    /// Counted signatures: what the transparency log proves.
    pub verified: i64,
    /// Local signatures waiting for their signer's e-mail confirmation, shown apart.
    pub unverified: i64,
    /// The same by server.
    pub by_origin: Vec<OriginView>,
}

/// A petition.
#[derive(Serialize, ToSchema)]
pub struct PetitionView {
    /// Row id on this node.
    pub id: i64,
    /// ActivityPub id of its `Question` (also its page).
    pub uri: String,
    /// Title.
    pub title: String,
    /// Text (sanitised HTML).
    pub text: String,
    /// Whom it addresses.
    pub target: String,
    /// When it closes.
    pub deadline: String,
    /// Counts to celebrate.
    pub milestones: Vec<i64>,
    /// `local_verified`, `fediverse` or `trusted_instances`.
    pub signature_policy: String,
    /// Servers whose members may sign (with `trusted_instances`).
    pub trusted_instances: Vec<String>,
    /// `draft`, `open`, `closed`, `answered`, or `moved` (with its initiative, to another node).
    #[schema(value_type = PetitionStatusName)]
    pub status: String,
    /// Whether signers may show their pseudonym.
    pub public_names: bool,
    /// Who it is attributed to: a person, or an initiative's group.
    pub author: AccountView,
    /// The counts.
    pub signatures: SignatureCounts,
    /// Its transparency log; `{transparency_log}/checkpoint` is the signed checkpoint.
    pub transparency_log: String,
    /// Leaves in the log.
    pub log_size: i64,
    /// Whether it lives on this node.
    pub local: bool,
    /// Creation time.
    pub created_at: String,
    /// This node's petition: the other nodes that checked its log and cosigned a checkpoint.
    pub witnesses: Vec<WitnessView>,
    /// Another node's petition: what this node found when it checked that node's log.
    pub witnessed: Option<WitnessedView>,
    /// The target's official response (sanitised HTML), once given.
    pub response: Option<String>,
}

/// A witness of one of our petitions.
#[derive(Serialize, ToSchema)]
pub struct WitnessView {
    /// The witness (its host name).
    pub witness: String,
    /// The size of the checkpoint it cosigned.
    pub size: i64,
    /// When it cosigned.
    pub cosigned_at: String,
}

/// What this node found, as a witness, of another node's petition log.
#[derive(Serialize, ToSchema)]
pub struct WitnessedView {
    /// The size of the last checkpoint found consistent.
    pub size: i64,
    /// When.
    pub checked_at: String,
    /// Whether the node showed two different histories (the evidence is kept).
    pub fork: bool,
}

impl PetitionView {
    fn new(state: &WebState, d: &PetitionDetails) -> PetitionView {
        let p = &d.petition;
        PetitionView {
            id: p.id,
            uri: p.ap_id.clone(),
            title: p.title.clone(),
            text: p.text.clone(),
            target: p.target.clone(),
            deadline: super::views::rfc3339(p.deadline),
            milestones: d.milestones(),
            signature_policy: p.signature_policy.clone(),
            trusted_instances: d.trusted_instances(),
            status: p.status.clone(),
            public_names: p.public_names,
            author: AccountView::from(&d.author),
            signatures: SignatureCounts {
                verified: d.tally.verified,
                unverified: d.tally.unverified,
                by_origin: d
                    .tally
                    .by_origin
                    .iter()
                    .map(|o| OriginView {
                        origin: o.origin.clone(),
                        verified: o.verified,
                        unverified: o.unverified,
                    })
                    .collect(),
            },
            transparency_log: petitions::log_url(&state.ctx, p),
            log_size: d.log_size,
            local: p.local,
            created_at: super::views::rfc3339(p.created_at),
            witnesses: d
                .cosignatures
                .iter()
                .map(|c| WitnessView {
                    witness: c.witness.clone(),
                    size: c.size,
                    cosigned_at: super::views::rfc3339(c.cosigned_at),
                })
                .collect(),
            response: p.response.clone(),
            witnessed: d.witnessed.as_ref().map(|w| WitnessedView {
                size: w.size,
                checked_at: super::views::rfc3339(w.checked_at),
                fork: w.fork.is_some(),
            }),
        }
    }
}

/// When `id` is the URI of another server's petition, fetches it (fresh count, and stored so
/// that it can be signed from here).
async fn fetch_if_remote(state: &WebState, id: &str) -> HttpResult<()> {
    let id = id.trim();
    let is_url = id.starts_with("https://") || id.starts_with("http://");
    if is_url && !state.ctx.urls.is_local(id) {
        agora_federation::resolve::petition(id, &state.data())
            .await
            .map_err(crate::error::HttpError::from)?;
    }
    Ok(())
}

/// Starts a petition, open at once unless `draft`.
#[utoipa::path(post, path = "/api/v1/petitions", request_body = PetitionRequest,
    responses((status = 201, body = PetitionView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/petitions")]
pub async fn create_petition(
    req: HttpRequest,
    state: web::Data<WebState>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: PetitionRequest = json_body(payload).await?;
    let new = NewPetition {
        title: body.title,
        text: body.text,
        target: body.target,
        deadline: Some(body.deadline),
        milestones: body.milestones,
        signature_policy: body
            .signature_policy
            .map(|p| SignaturePolicy::from(p).as_str().to_string()),
        trusted_instances: body.trusted_instances,
        initiative: body.initiative,
        draft: body.draft,
        public_names: body.public_names,
    };
    let details = petitions::create(&state.ctx, &who, new).await?;
    Ok(HttpResponse::Created().json(PetitionView::new(&state, &details)))
}

/// One petition with its counts: its row id, or its URI (URL-encoded).
#[utoipa::path(get, path = "/api/v1/petitions/{id}",
    params(("id" = String, Path, description = "Row id, or the petition's URI, URL-encoded.", min_length = 1)),
    responses((status = 200, body = PetitionView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/api/v1/petitions/{id}")]
pub async fn get_petition(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let viewer = api_viewer(&req, &state).await?;
    fetch_if_remote(&state, &id).await?;
    let details = petitions::get(&state.ctx, &id, viewer.as_ref()).await?;
    Ok(HttpResponse::Ok().json(PetitionView::new(&state, &details)))
}

/// How to sign.
#[derive(Deserialize, ToSchema, Default)]
pub struct SignRequest {
    /// Show my pseudonym among the signers (no when absent; only if the petition allows it).
    #[serde(default)]
    pub show_name: bool,
}

/// What a signer keeps: with it, an inclusion proof shows their signature is in the log.
#[derive(Serialize, ToSchema)]
pub struct ReceiptView {
    /// The petition's URI.
    pub petition: String,
    /// Its transparency log.
    pub transparency_log: String,
    /// The secret that shows the commitment is yours: keep it, never share it.
    pub salt: String,
    /// The commitment in the log's leaves (SHA-256, hex).
    pub commitment: String,
    /// The sign leaf, once counted: `{transparency_log}/proof?index=…`.
    pub leaf_index: Option<i64>,
    /// When it was signed.
    pub signed_at: String,
    /// Whether it counts (your e-mail is confirmed).
    pub counted: bool,
    /// Whether your pseudonym is shown.
    pub show_name: bool,
}

/// A signature and its receipt.
#[derive(Serialize, ToSchema)]
pub struct SignatureView {
    /// The receipt.
    pub receipt: ReceiptView,
}

impl From<Receipt> for SignatureView {
    fn from(r: Receipt) -> Self {
        SignatureView {
            receipt: ReceiptView {
                petition: r.petition,
                transparency_log: r.log,
                salt: r.salt,
                commitment: r.commitment,
                leaf_index: r.leaf_index,
                signed_at: r.signed_at.to_rfc3339_opts(SecondsFormat::Secs, true),
                counted: r.counted,
                show_name: r.show_name,
            },
        }
    }
}

/// Signs the petition (once per account: signing again gives the same receipt).
#[utoipa::path(post, path = "/api/v1/petitions/{id}/signatures", request_body(content = Option<SignRequest>),
    params(("id" = String, Path, description = "Row id, or the petition's URI, URL-encoded.", min_length = 1)),
    responses((status = 200, body = SignatureView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/petitions/{id}/signatures")]
pub async fn sign_petition(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<String>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let bytes = crate::body::read_limited(payload, super::MAX_API_BODY, false).await?;
    // No body, `null` and `{}` all mean the defaults.
    let body: SignRequest = if bytes.iter().all(u8::is_ascii_whitespace) {
        SignRequest::default()
    } else {
        crate::body::parse_json::<Option<SignRequest>>(&bytes)?.unwrap_or_default()
    };
    fetch_if_remote(&state, &id).await?;
    let client = crate::auth::client_key(&req, &state);
    let receipt = petitions::sign(&state.ctx, &who, &id, body.show_name, &client).await?;
    Ok(HttpResponse::Ok().json(SignatureView::from(receipt)))
}

/// The caller's standing signature, with its receipt.
#[utoipa::path(get, path = "/api/v1/petitions/{id}/signatures",
    params(("id" = String, Path, description = "Row id, or the petition's URI, URL-encoded.", min_length = 1)),
    responses((status = 200, body = SignatureView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[get("/api/v1/petitions/{id}/signatures")]
pub async fn my_signature(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let receipt = petitions::my_signature(&state.ctx, &who, &id)
        .await?
        .ok_or_else(|| {
            crate::error::HttpError::json(
                agora_core::ErrorKind::NotFound,
                "you have not signed this petition",
            )
        })?;
    Ok(HttpResponse::Ok().json(SignatureView::from(receipt)))
}

/// Withdraws the caller's signature (until the petition closes).
#[utoipa::path(delete, path = "/api/v1/petitions/{id}/signatures",
    params(("id" = String, Path, description = "Row id, or the petition's URI, URL-encoded.", min_length = 1)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
#[delete("/api/v1/petitions/{id}/signatures")]
pub async fn withdraw_signature(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    petitions::withdraw(&state.ctx, &who, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Which signatures a moderator invalidates, and why.
#[derive(Deserialize, ToSchema)]
pub struct InvalidationRequest {
    /// From this server only (its host name; this node's for local signers).
    #[schema(max_length = 253)]
    pub origin: Option<String>,
    /// Signed at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Signed before this time.
    pub until: Option<DateTime<Utc>>,
    /// From addresses in this range (CIDR); local signers only.
    #[schema(max_length = 64)]
    pub address: Option<String>,
    /// Why: kept with the invalidation.
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}

/// How many signatures were invalidated.
#[derive(Serialize, ToSchema)]
pub struct InvalidationView {
    /// Signatures invalidated, each with an `invalidate` leaf in the log.
    pub invalidated: i64,
}

/// Invalidates fraudulent signatures in bulk, by origin, time window and address range
/// (moderators and administrators). Each is logged; none is deleted.
#[utoipa::path(post, path = "/api/v1/admin/petitions/{id}/invalidations", request_body = InvalidationRequest,
    params(("id" = String, Path, description = "Row id, or the petition's URI, URL-encoded.", min_length = 1)),
    responses((status = 200, body = InvalidationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/admin/petitions/{id}/invalidations")]
pub async fn invalidate_signatures(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<String>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: InvalidationRequest = json_body(payload).await?;
    let criteria = petitions::Invalidation {
        origin: body.origin,
        from: body.from,
        until: body.until,
        address: body.address,
        reason: body.reason,
    };
    let invalidated = petitions::invalidate(&state.ctx, &who, &id, criteria).await?;
    Ok(HttpResponse::Ok().json(InvalidationView { invalidated }))
}

/// Publishes a draft: it opens for signatures, and closes by itself at its deadline.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/publish",
    params(("id" = String, Path, description = "Row id, or the petition's URI, URL-encoded.", min_length = 1)),
    responses((status = 200, body = PetitionView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/petitions/{id}/publish")]
pub async fn publish_petition(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let details = petitions::set_status(&state.ctx, &who, &id, PetitionStatus::Open).await?;
    Ok(HttpResponse::Ok().json(PetitionView::new(&state, &details)))
}

/// Closes an open petition before its deadline: its count is final.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/close",
    params(("id" = String, Path, description = "Row id, or the petition's URI, URL-encoded.", min_length = 1)),
    responses((status = 200, body = PetitionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/petitions/{id}/close")]
pub async fn close_petition(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let details = petitions::set_status(&state.ctx, &who, &id, PetitionStatus::Closed).await?;
    Ok(HttpResponse::Ok().json(PetitionView::new(&state, &details)))
}

/// The export's format.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `json` (the default) or `csv`.
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

/// What organizers hand to the target.
#[derive(Serialize, ToSchema)]
pub struct ExportView {
    /// The petition with its counts by origin.
    pub petition: PetitionView,
    /// The signers who chose to show their pseudonym, `@name@host`.
    pub public_signers: Vec<String>,
    /// The latest checkpoint (the final one once closed), a C2SP signed note.
    pub checkpoint: String,
    /// The key that signs it (signed-note form), also in the node's NodeInfo.
    pub checkpoint_key: String,
    /// How anyone checks the count.
    pub verify: String,
}

/// The petition's export for its target: counts by origin, the signers who chose to be
/// shown, the checkpoint and how to verify it, as JSON or CSV (organizers only).
#[utoipa::path(get, path = "/api/v1/petitions/{id}/export",
    params(("id" = String, Path, description = "Row id, or the petition's URI, URL-encoded.", min_length = 1), ExportQuery),
    responses((status = 200, body = ExportView, description = "JSON, or CSV with `format=csv`"), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[get("/api/v1/petitions/{id}/export")]
pub async fn export_petition(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<String>,
    query: web::Query<ExportQuery>,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            return Err(crate::error::HttpError::json(
                agora_core::ErrorKind::InvalidField,
                "format: json or csv",
            ));
        }
    };
    let export = petitions::export(&state.ctx, &who, &id).await?;
    let view = ExportView {
        petition: PetitionView::new(&state, &export.details),
        verify: format!("agora petition verify {}", export.details.petition.ap_id),
        public_signers: export.public_signers,
        checkpoint: export.checkpoint,
        checkpoint_key: export.key,
    };
    if !csv {
        return Ok(HttpResponse::Ok().json(view));
    }
    let name = format!("petition-{}.csv", export.details.petition.id);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(export_csv(&view)?))
}

/// One table: `section,name,value` rows (the petition, the counts by origin, the signers
/// shown, the checkpoint), so a spreadsheet reads it whole.
fn export_csv(view: &ExportView) -> HttpResult<Vec<u8>> {
    let fail = |e: csv::Error| {
        crate::error::HttpError::json(agora_core::ErrorKind::Internal, e.to_string())
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let p = &view.petition;
    let total = p.signatures.verified.to_string();
    let mut rows: Vec<[&str; 3]> = vec![
        ["section", "name", "value"],
        ["petition", "uri", &p.uri],
        ["petition", "title", &p.title],
        ["petition", "target", &p.target],
        ["petition", "status", &p.status],
        ["count", "verified", &total],
    ];
    let origins: Vec<(String, String)> = p
        .signatures
        .by_origin
        .iter()
        .map(|o| (o.origin.clone(), o.verified.to_string()))
        .collect();
    rows.extend(
        origins
            .iter()
            .map(|(o, n)| ["origin", o.as_str(), n.as_str()]),
    );
    rows.extend(
        view.public_signers
            .iter()
            .map(|s| ["signer", s.as_str(), ""]),
    );
    rows.push(["checkpoint", "note", &view.checkpoint]);
    rows.push(["checkpoint", "key", &view.checkpoint_key]);
    rows.push(["checkpoint", "verify", &view.verify]);
    for row in rows {
        w.write_record(row).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| crate::error::HttpError::json(agora_core::ErrorKind::Internal, e.to_string()))
}

/// The target's official response.
#[derive(Deserialize, ToSchema)]
pub struct ResponseRequest {
    /// Plain text, 1–20 000 characters.
    #[schema(min_length = 1, max_length = 20000)]
    pub text: String,
}

/// The public body a petition addresses answers it officially, once: a reply to the petition
/// and the status `answered`.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/response", request_body = ResponseRequest,
    params(("id" = String, Path, description = "Row id, or the petition's URI, URL-encoded.", min_length = 1)),
    responses((status = 200, body = PetitionView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
#[post("/api/v1/petitions/{id}/response")]
pub async fn respond_to_petition(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<String>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let who = api_user(&req, &state).await?;
    let body: ResponseRequest = json_body(payload).await?;
    let details = petitions::respond(&state.ctx, &who, &id, &body.text).await?;
    Ok(HttpResponse::Ok().json(PetitionView::new(&state, &details)))
}
