//! The home page (timeline and compose form) and the small forms it holds.

use super::{PageCtx, PostItem, page_ctx, redirect, render};
use crate::{
    auth,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::ErrorKind;
use agora_core::kinds::AccountKind;
use agora_service::model::{Page, TimelineFilter};
use agora_service::posts::Draft;
use askama::Template;
use serde::Deserialize;

/// The home page.
#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    p: PageCtx,
    description: String,
    posts: Vec<PostItem>,
    next_max_id: Option<i64>,
    /// The kind filter in effect (`""` for all), and the choices.
    kind: String,
    kinds: Vec<(&'static str, String)>,
}

/// Paging and filter of the home page.
#[derive(Deserialize)]
pub struct HomeQuery {
    max_id: Option<i64>,
    kind: Option<String>,
}

const PAGE: i64 = 20;

/// `GET /`: the timeline when signed in, an introduction otherwise.
#[get("/")]
pub async fn home(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<HomeQuery>,
) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let mut posts = Vec::new();
    let mut next_max_id = None;
    let kind = query.kind.as_deref().and_then(AccountKind::parse);
    if let Some(user) = &user {
        let filter = TimelineFilter {
            account_kind: kind.map(AccountKind::as_str),
        };
        let rows = agora_service::posts::home_timeline(
            &state.ctx,
            &user.actor,
            Page {
                max_id: query.max_id,
                limit: PAGE,
            },
            filter,
        )
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
        if rows.len() as i64 == PAGE {
            next_max_id = rows.last().map(|(p, _)| p.id);
        }
        let groups = agora_service::posts::groups_of(&state.ctx, &rows)
            .await
            .map_err(|e| HttpError::from(e).in_lang(lang))?;
        // Why each post is there, as the timeline's query chose it.
        let followed: std::collections::HashSet<i64> =
            agora_service::follows::outgoing(&state.ctx, &user.actor)
                .await
                .map_err(|e| HttpError::from(e).in_lang(lang))?
                .into_iter()
                .filter(|(f, _)| f.state == agora_service::model::ACCEPTED)
                .map(|(_, a)| a.id)
                .collect();
        posts = rows
            .iter()
            .map(|(p, a)| {
                let mut item = PostItem::new(p, a).in_group(p, &groups);
                item.why = Some(if a.id == user.actor.id {
                    ("why-yours".into(), String::new())
                } else if followed.contains(&a.id) {
                    ("why-following".into(), a.acct())
                } else {
                    let group = item.group.as_ref().map(|g| g.1.clone()).unwrap_or_default();
                    ("why-group".into(), group)
                });
                item
            })
            .collect();
        super::annotate(&state, &mut posts).await?;
    }
    render(
        &HomePage {
            p,
            description: state.ctx.config.instance.description.clone(),
            posts,
            next_max_id,
            kind: kind
                .map(AccountKind::as_str)
                .unwrap_or_default()
                .to_string(),
            kinds: AccountKind::LOCAL
                .iter()
                .map(|k| (k.as_str(), super::kind_label_key(k.as_str())))
                .collect(),
        },
        cookie,
        lang,
    )
}

/// The compose form.
#[derive(Deserialize)]
pub struct PostForm {
    csrf: String,
    content: String,
    spoiler_text: Option<String>,
    in_reply_to: Option<String>,
    /// Page to come back to (the thread a reply was written from); paths of this site only.
    back: Option<String>,
}

/// Signed-in user of a form, with the form's token checked.
pub async fn form_user(
    req: &HttpRequest,
    state: &WebState,
    csrf: &str,
) -> HttpResult<agora_service::accounts::SignedIn> {
    let user = auth::web_user(req, state).await?;
    let lang = auth::lang(req, state, user.as_ref());
    auth::check_csrf(req, user.as_ref(), csrf, lang)?;
    user.ok_or_else(|| HttpError::json(ErrorKind::Unauthorized, "").in_lang(lang))
}

/// `POST /posts`: publish from the web form.
#[post("/posts")]
pub async fn create_post(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<PostForm>,
) -> HttpResult<HttpResponse> {
    let form = form.into_inner();
    let user = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&user));
    let draft = Draft {
        content: form.content,
        spoiler_text: form.spoiler_text.filter(|s| !s.trim().is_empty()),
        in_reply_to: form.in_reply_to.filter(|s| !s.trim().is_empty()),
    };
    agora_service::posts::create(&state.ctx, &user.actor, draft)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    match form.back.filter(|b| is_local_path(b)) {
        Some(back) => Ok(redirect(&back)),
        None => Ok(redirect("/?notice=posted")),
    }
}

/// A path on this site (`/posts/3`), not an address elsewhere (`//evil.example`, `https:`).
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && path.chars().all(|c| c.is_ascii_graphic())
}

/// The follow form.
#[derive(Deserialize)]
pub struct FollowForm {
    csrf: String,
    target: String,
}

/// `POST /follow`: follow `@name@host` or a URL from the web.
#[post("/follow")]
pub async fn follow(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<FollowForm>,
) -> HttpResult<HttpResponse> {
    let user = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&user));
    let target = agora_federation::resolve::actor(&form.target, &state.data())
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    agora_service::follows::follow(&state.ctx, &user.actor, &target.row)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect(&format!(
        "{}{}notice=followed",
        super::profile_link(&target.row),
        if target.row.local { "?" } else { "&" }
    )))
}

/// The unfollow form.
#[derive(Deserialize)]
pub struct UnfollowForm {
    csrf: String,
    follow_id: i64,
}

/// `POST /unfollow`.
#[post("/unfollow")]
pub async fn unfollow(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<UnfollowForm>,
) -> HttpResult<HttpResponse> {
    let user = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&user));
    agora_service::follows::unfollow(&state.ctx, &user.actor, form.follow_id)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect("/?notice=unfollowed"))
}
