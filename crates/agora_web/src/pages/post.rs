//! One post's page, and deleting it from the web.

use super::{PageCtx, PostItem, home::form_user, page_ctx, redirect, render};
use crate::{
    auth,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, post, web};
use askama::Template;
use serde::Deserialize;

/// A post page.
#[derive(Template)]
#[template(path = "post.html")]
pub struct PostPage {
    p: PageCtx,
    item: PostItem,
    can_delete: bool,
    /// ActivityPub id, answered by the reply form.
    uri: String,
    /// The page of the post answered, when known here.
    parent: Option<String>,
    replies: Vec<PostItem>,
}

/// The HTML side of `GET /posts/{id}`.
pub async fn post_page(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: i64,
) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let (post, author) = agora_service::posts::get(&state.ctx, id)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let can_delete = user.is_some_and(|u| u.actor.id == author.id && post.local);
    let replies = agora_service::posts::replies(&state.ctx, &post.ap_id)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let parent = match post.in_reply_to.clone() {
        Some(parent) => agora_service::posts::by_ap_id(&state.ctx, &parent)
            .await?
            .map(|(p, _)| format!("/posts/{}", p.id)),
        None => None,
    };
    let mut items = vec![PostItem::new(&post, &author)];
    items.extend(replies.iter().map(|(p, a)| PostItem::new(p, a)));
    super::annotate(&state, &mut items).await?;
    let item = items.remove(0);
    render(
        &PostPage {
            item,
            can_delete,
            uri: post.ap_id.clone(),
            parent,
            replies: items,
            p,
        },
        cookie,
        lang,
    )
}

/// The delete form.
#[derive(Deserialize)]
pub struct DeleteForm {
    csrf: String,
}

/// `POST /posts/{id}/delete`.
#[post("/posts/{id}/delete")]
pub async fn delete_post(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
    form: web::Form<DeleteForm>,
) -> HttpResult<HttpResponse> {
    let user = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&user));
    agora_service::posts::delete(&state.ctx, &user.actor, id.into_inner())
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect("/?notice=deleted"))
}
