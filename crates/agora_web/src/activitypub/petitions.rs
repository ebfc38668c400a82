//! A petition as ActivityPub (`Question`) and its transparency log: the signed checkpoint,
//! inclusion and consistency proofs, and the leaves.

use crate::{
    error::{HttpError, HttpResult},
    negotiate::{activity_json, wants_activity_json},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::ErrorKind;
use agora_federation::{objects::question::question_of, protocol::context::with_context};
use agora_service::{initiative_moves, petition_log, petitions};
use serde::{Deserialize, Serialize};

/// `GET /petitions/{id}`: the `Question` to servers, the petition's page to browsers.
#[get("/petitions/{id}")]
pub async fn get_petition(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let id = id.into_inner();
    let address = state.ctx.urls.petition(id);
    if !wants_activity_json(&req) {
        return match crate::pages::petitions::petition_page(req, state.clone(), id).await {
            Err(e) => Err(super::gone_or(&state, &address, e).await),
            page => page,
        };
    }
    // Servers see published petitions only: no viewer, so drafts are 404.
    let view = match petitions::public_view(&state.ctx, id, None).await {
        Err(e) if e.kind == ErrorKind::NotFound => {
            return match super::tombstone(&state, &address).await? {
                Some(gone) => Ok(gone),
                None => Err(e.into()),
            };
        }
        found => found?,
    };
    let details = &view.details;
    if !details.petition.local {
        return Err(HttpError::json(ErrorKind::NotFound, "no such petition"));
    }
    if let Some(to) = crate::pages::petitions::moved_away(&details.petition, &details.author) {
        return Ok(super::moved(&to));
    }
    let log = petitions::log_url(&state.ctx, &details.petition);
    let doc = question_of(details, &log)
        .and_then(|q| Ok(serde_json::to_value(q)?))
        .map_err(HttpError::from)?;
    Ok(activity_json(&with_context(doc)))
}

/// A published local petition's row id, or 404 (drafts have no public log).
async fn published(state: &WebState, id: i64) -> HttpResult<i64> {
    Ok(petitions::published_local(&state.ctx, id).await?)
}

/// What the log's own URL describes.
#[derive(Serialize)]
struct LogIndex {
    checkpoint: String,
    proof: String,
    consistency: String,
    leaves: String,
    size: i64,
    /// The key that signs checkpoints (signed-note verifier key).
    key: String,
    /// For a petition that moved here with its initiative: where its log began, and the last
    /// checkpoint its old node signed, which this log extends (its first leaves are those).
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<PreviousLog>,
}

/// Where a moved petition's log began.
#[derive(Serialize)]
struct PreviousLog {
    /// The petition's id on its old node.
    petition: String,
    /// Its log there.
    log: String,
    /// The old node's checkpoint key.
    key: String,
    /// The old node's last checkpoint (C2SP signed note).
    checkpoint: String,
    /// Its size: the leaves this log began with.
    size: i64,
}

/// `GET /petitions/{id}/log`: where the log's parts are, its size and the checkpoint key.
#[get("/petitions/{id}/log")]
pub async fn log_index(state: web::Data<WebState>, id: web::Path<i64>) -> HttpResult<HttpResponse> {
    let id = published(&state, id.into_inner()).await?;
    let base = state.ctx.urls.petition_log(id);
    let size = petition_log::size(&state.ctx, id).await?;
    let key = petition_log::key(&state.ctx).await?;
    let previous = initiative_moves::provenance(&state.ctx, id)
        .await?
        .map(|m| PreviousLog {
            petition: m.former_ap_id,
            log: m.former_log,
            key: m.log_key,
            checkpoint: m.checkpoint,
            size: m.size,
        });
    Ok(HttpResponse::Ok().json(LogIndex {
        previous,
        checkpoint: format!("{base}/checkpoint"),
        proof: format!("{base}/proof?index={{index}}"),
        consistency: format!("{base}/consistency?from={{size}}"),
        leaves: format!("{base}/leaves?start=0"),
        size,
        key: key.public,
    }))
}

/// `GET /petitions/{id}/log/checkpoint`: the latest checkpoint, a C2SP signed note.
#[get("/petitions/{id}/log/checkpoint")]
pub async fn log_checkpoint(
    state: web::Data<WebState>,
    id: web::Path<i64>,
) -> HttpResult<HttpResponse> {
    let id = published(&state, id.into_inner()).await?;
    let checkpoint = petition_log::checkpoint(&state.ctx, id).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .body(checkpoint.note))
}

/// Which leaf, in which tree.
#[derive(Deserialize)]
pub struct ProofQuery {
    index: i64,
    size: Option<i64>,
}

/// An inclusion proof as served.
#[derive(Serialize)]
struct InclusionView {
    index: i64,
    size: i64,
    leaf: String,
    root: String,
    proof: Vec<String>,
}

/// `GET /petitions/{id}/log/proof?index=N[&size=M]`: the proof that leaf N (a receipt's
/// `leaf_index`) is in the tree of M leaves (the latest when absent).
#[get("/petitions/{id}/log/proof")]
pub async fn log_proof(
    state: web::Data<WebState>,
    id: web::Path<i64>,
    query: web::Query<ProofQuery>,
) -> HttpResult<HttpResponse> {
    let id = published(&state, id.into_inner()).await?;
    let p = petition_log::inclusion(&state.ctx, id, query.index, query.size).await?;
    Ok(HttpResponse::Ok().json(InclusionView {
        index: query.index,
        size: p.size,
        leaf: p.leaf,
        root: p.root,
        proof: p.proof,
    }))
}

/// Between which sizes.
#[derive(Deserialize)]
pub struct ConsistencyQuery {
    from: i64,
    to: Option<i64>,
}

/// A consistency proof as served.
#[derive(Serialize)]
struct ConsistencyView {
    from: i64,
    to: i64,
    from_root: String,
    to_root: String,
    proof: Vec<String>,
}

/// `GET /petitions/{id}/log/consistency?from=M[&to=N]`: the proof that the log of M leaves
/// is a prefix of the log of N (the latest when absent).
#[get("/petitions/{id}/log/consistency")]
pub async fn log_consistency(
    state: web::Data<WebState>,
    id: web::Path<i64>,
    query: web::Query<ConsistencyQuery>,
) -> HttpResult<HttpResponse> {
    let id = published(&state, id.into_inner()).await?;
    let (to, from_root, to_root, proof) =
        petition_log::consistency(&state.ctx, id, query.from, query.to).await?;
    Ok(HttpResponse::Ok().json(ConsistencyView {
        from: query.from,
        to,
        from_root,
        to_root,
        proof,
    }))
}

/// Which leaves.
#[derive(Deserialize)]
pub struct LeavesQuery {
    start: Option<i64>,
    limit: Option<i64>,
}

/// Leaves as served: each one's exact bytes (a line of text).
#[derive(Serialize)]
struct LeavesView {
    start: i64,
    leaves: Vec<String>,
}

/// `GET /petitions/{id}/log/leaves?start=N[&limit=M]`: up to 1 000 leaves from N.
#[get("/petitions/{id}/log/leaves")]
pub async fn log_leaves(
    state: web::Data<WebState>,
    id: web::Path<i64>,
    query: web::Query<LeavesQuery>,
) -> HttpResult<HttpResponse> {
    let id = published(&state, id.into_inner()).await?;
    let start = query.start.unwrap_or(0).max(0);
    let rows = petition_log::leaves(&state.ctx, id, start, query.limit.unwrap_or(1000)).await?;
    Ok(HttpResponse::Ok().json(LeavesView {
        start,
        leaves: rows.into_iter().map(|(_, l)| l).collect(),
    }))
}

/// `POST /petitions/{id}/log/cosignatures`: a witness's cosignature of one of the log's
/// checkpoints, `{"checkpoint", "cosignature"}`; kept when it verifies.
#[post("/petitions/{id}/log/cosignatures")]
pub async fn log_cosignatures(
    state: web::Data<WebState>,
    id: web::Path<i64>,
    payload: web::Payload,
) -> HttpResult<HttpResponse> {
    let id = published(&state, id.into_inner()).await?;
    let body: serde_json::Value = crate::api::json_body(payload).await?;
    agora_federation::witness::receive_cosignature(id, &body, &state.data())
        .await
        .map_err(HttpError::from)?;
    Ok(HttpResponse::Accepted().finish())
}
