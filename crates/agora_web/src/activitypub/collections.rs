//! Paged collections of local actors: outbox, followers, following.

use super::local_actor;
use crate::{
    error::{HttpError, HttpResult},
    negotiate::activity_json,
    state::WebState,
};
use actix_web::{HttpResponse, get, web};
use agora_federation::{
    documents,
    protocol::{
        collection::{OrderedCollection, OrderedCollectionPage},
        context::with_context,
    },
};
use agora_service::{
    follows::{self, Side},
    model::Actor,
};
use serde::Deserialize;

/// Items per page.
const PAGE_SIZE: i64 = 20;

/// Paging query: `?page=true` for the first page, `&cursor=N` for the next ones.
#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
    cursor: Option<i64>,
}

fn collection(id: String, total: i64) -> HttpResult<HttpResponse> {
    let doc = OrderedCollection {
        first: Some(format!("{id}?page=true")),
        id,
        kind: "OrderedCollection",
        total_items: total,
    };
    Ok(activity_json(&with_context(
        serde_json::to_value(doc)
            .map_err(|e| HttpError::json(agora_core::ErrorKind::Internal, e.to_string()))?,
    )))
}

fn page(
    collection_id: &str,
    cursor: Option<i64>,
    next: Option<i64>,
    items: Vec<serde_json::Value>,
) -> HttpResponse {
    let id = match cursor {
        Some(c) => format!("{collection_id}?page=true&cursor={c}"),
        None => format!("{collection_id}?page=true"),
    };
    let doc = OrderedCollectionPage {
        id,
        kind: "OrderedCollectionPage",
        part_of: collection_id.to_string(),
        next: next.map(|n| format!("{collection_id}?page=true&cursor={n}")),
        ordered_items: items,
    };
    activity_json(&with_context(serde_json::to_value(doc).unwrap_or_default()))
}

/// `GET /users/{name}/outbox`: the actor's public posts as `Create` activities, newest first.
#[get("/users/{name}/outbox")]
pub async fn outbox(
    state: web::Data<WebState>,
    name: web::Path<String>,
    query: web::Query<PageQuery>,
) -> HttpResult<HttpResponse> {
    let actor = local_actor(&state, &name).await?;
    outbox_of(&state, actor, &query).await
}

/// The outbox collection (or one of its pages) of a local actor.
pub async fn outbox_of(
    state: &WebState,
    actor: Actor,
    query: &PageQuery,
) -> HttpResult<HttpResponse> {
    let id = actor.outbox.clone().unwrap_or_default();
    if query.page.is_none() {
        let total = documents::outbox_total(&state.ctx, &actor)
            .await
            .map_err(HttpError::from)?;
        return collection(id, total);
    }
    let (items, next) = documents::outbox_page(&state.ctx, actor, query.cursor, PAGE_SIZE)
        .await
        .map_err(HttpError::from)?;
    Ok(page(&id, query.cursor, next, items))
}

/// The followers or following collection (or one of its pages) of a local actor.
pub async fn follow_collection(
    state: &WebState,
    actor: Actor,
    query: &PageQuery,
    side: Side,
) -> HttpResult<HttpResponse> {
    let id = match side {
        Side::Followers => actor.followers_url.clone(),
        Side::Following => actor.following_url.clone(),
    }
    .unwrap_or_default();
    if query.page.is_none() {
        return collection(id, follows::count(&state.ctx, &actor, side).await?);
    }
    let after = query.cursor.unwrap_or(0);
    let rows = follows::page(&state.ctx, &actor, side, after, PAGE_SIZE).await?;
    let next = (rows.len() as i64 == PAGE_SIZE)
        .then(|| rows.last().map(|(f, _)| f.id))
        .flatten();
    let items = rows
        .into_iter()
        .map(|(_, a)| serde_json::Value::String(a.ap_id))
        .collect();
    Ok(page(&id, query.cursor, next, items))
}

/// `GET /users/{name}/followers`.
#[get("/users/{name}/followers")]
pub async fn followers(
    state: web::Data<WebState>,
    name: web::Path<String>,
    query: web::Query<PageQuery>,
) -> HttpResult<HttpResponse> {
    follow_collection(
        &state,
        local_actor(&state, &name).await?,
        &query,
        Side::Followers,
    )
    .await
}

/// `GET /users/{name}/following`.
#[get("/users/{name}/following")]
pub async fn following(
    state: web::Data<WebState>,
    name: web::Path<String>,
    query: web::Query<PageQuery>,
) -> HttpResult<HttpResponse> {
    follow_collection(
        &state,
        local_actor(&state, &name).await?,
        &query,
        Side::Following,
    )
    .await
}
