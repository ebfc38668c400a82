//! Paged collections of local actors: outbox, followers, following.

use super::local_actor;
use crate::{error::HttpResult, negotiate::activity_json, state::WebState};
use actix_web::{HttpResponse, get, web};
use agora_db::{
    follows,
    posts::{self, Page},
};
use agora_federation::{
    FederationError,
    activities::{announce::announce_of_create, create::create_activity},
    objects::note::{note_of, to_note},
    protocol::{
        collection::{OrderedCollection, OrderedCollectionPage},
        context::with_context,
    },
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
        serde_json::to_value(doc).map_err(|e| {
            crate::error::HttpError::json(agora_core::ErrorKind::Internal, e.to_string())
        })?,
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
    actor: agora_db::actors::Actor,
    query: &PageQuery,
) -> HttpResult<HttpResponse> {
    let id = actor.outbox.clone().unwrap_or_default();
    let actor_id = actor.id;
    // A group's outbox lists its announces of the updates it published.
    let is_group = actor.is_group();
    if query.page.is_none() {
        let total = state
            .ctx
            .db
            .run(move |conn| {
                if is_group {
                    posts::count_by_group(conn, actor_id)
                } else {
                    posts::count_by_author(conn, actor_id)
                }
            })
            .await?;
        return collection(id, total);
    }
    let page_wanted = Page {
        max_id: query.cursor,
        limit: PAGE_SIZE,
    };
    let (items, next) = state
        .ctx
        .db
        .run(move |conn| -> Result<_, FederationError> {
            let rows = if is_group {
                posts::by_group(conn, actor_id, true, page_wanted)?
            } else {
                posts::by_author(conn, actor_id, page_wanted)?
                    .into_iter()
                    .map(|p| (p, actor.clone()))
                    .collect()
            };
            let next = (rows.len() as i64 == PAGE_SIZE)
                .then(|| rows.last().map(|(p, _)| p.id))
                .flatten();
            let mut items = Vec::with_capacity(rows.len());
            for (post, author) in &rows {
                // A group's posts are in its own thread: no lookup of the group per post.
                let note = if is_group {
                    to_note(post, author, Some(&actor.ap_id))?
                } else {
                    note_of(conn, post, author)?
                };
                let create = create_activity(post, author, serde_json::to_value(note)?)?;
                let item = if is_group {
                    announce_of_create(&actor, post, create.to_value()?)?
                } else {
                    create
                };
                items.push(serde_json::to_value(item)?);
            }
            Ok((items, next))
        })
        .await
        .map_err(crate::error::HttpError::from)?;
    Ok(page(&id, query.cursor, next, items))
}

/// The followers or following collection (or one of its pages) of a local actor.
pub async fn follow_collection(
    state: &WebState,
    actor: agora_db::actors::Actor,
    query: &PageQuery,
    want_followers: bool,
) -> HttpResult<HttpResponse> {
    let id = if want_followers {
        actor.followers_url.clone()
    } else {
        actor.following_url.clone()
    }
    .unwrap_or_default();
    let actor_id = actor.id;
    if query.page.is_none() {
        let total = state
            .ctx
            .db
            .run(move |conn| {
                if want_followers {
                    follows::count_followers(conn, actor_id)
                } else {
                    follows::count_following(conn, actor_id)
                }
            })
            .await?;
        return collection(id, total);
    }
    let after = query.cursor.unwrap_or(0);
    let rows = state
        .ctx
        .db
        .run(move |conn| {
            if want_followers {
                follows::followers(conn, actor_id, after, PAGE_SIZE)
            } else {
                follows::following(conn, actor_id, after, PAGE_SIZE)
            }
        })
        .await?;
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
    follow_collection(&state, local_actor(&state, &name).await?, &query, true).await
}

/// `GET /users/{name}/following`.
#[get("/users/{name}/following")]
pub async fn following(
    state: web::Data<WebState>,
    name: web::Path<String>,
    query: web::Query<PageQuery>,
) -> HttpResult<HttpResponse> {
    follow_collection(&state, local_actor(&state, &name).await?, &query, false).await
}
