//! Profiles: local accounts at their ActivityPub id, remote actors through `/remote?acct=`.

use super::{PageCtx, PostItem, kind_label_key, page_ctx, render};
use crate::{
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_core::ErrorKind;
use agora_service::model::Actor;
use askama::Template;
use serde::Deserialize;

/// A profile page.
#[derive(Template)]
#[template(path = "profile.html")]
pub struct ProfilePage {
    p: PageCtx,
    name: String,
    acct: String,
    uri: String,
    kind: String,
    kind_label_key: String,
    kind_verified: bool,
    summary: String,
    local: bool,
    counts: Option<(i64, i64)>,
    can_follow: bool,
    follow: Option<(i64, String)>,
    posts: Vec<PostItem>,
    /// For a group: what it says of itself as an initiative.
    initiative: Option<InitiativeFacts>,
    /// Where it moved (its new id): the page says so and sends the visitor there.
    moved_to: Option<String>,
}

/// An initiative's civic fields, as shown on the page of another node's group.
pub struct InitiativeFacts {
    status_key: String,
    place: Option<String>,
    goals: String,
    tags: Vec<String>,
    /// Who moderates it, as its server says (Lemmy's `attributedTo`): name, address, link.
    moderators: Vec<(String, String, String)>,
    /// Its followers on this node: the only count we know of another server's group.
    followers_here: i64,
}

/// The page of any actor this node knows: person, organisation or initiative.
pub async fn actor_page(
    req: &HttpRequest,
    state: &WebState,
    actor: Actor,
) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(req, state).await?;
    let lang = p.lang;
    let local = actor.local;
    let profile = agora_service::profiles::of(&state.ctx, &actor, user.as_ref().map(|u| &u.actor))
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let (rows, counts, follow) = (profile.posts, profile.counts, profile.follow);
    let initiative = profile.initiative.map(|g| InitiativeFacts {
        status_key: crate::i18n::status_key(&g.initiative.status),
        tags: g.tags,
        moderators: g
            .members
            .iter()
            .map(|m| (m.shown_name().to_string(), m.acct(), super::profile_link(m)))
            .collect(),
        followers_here: g.followers_here,
        place: g.initiative.place_name,
        goals: g.initiative.goals,
    });
    let mut posts: Vec<PostItem> = rows
        .iter()
        .map(|(post, author)| PostItem::new(post, author))
        .collect();
    super::annotate(state, &mut posts).await?;
    let page = ProfilePage {
        name: actor.shown_name().to_string(),
        acct: actor.acct(),
        uri: actor.ap_id.clone(),
        kind: actor.account_kind.clone(),
        kind_label_key: kind_label_key(&actor.account_kind),
        kind_verified: actor.kind_verified_at.is_some(),
        summary: actor.summary.clone(),
        local,
        counts,
        can_follow: user.as_ref().is_some_and(|u| u.actor.id != actor.id),
        follow: follow.as_ref().map(super::unfollow_button),
        posts,
        initiative,
        moved_to: super::moved_link(&actor),
        p,
    };
    render(&page, cookie, lang)
}

/// The profile page of a local account (the HTML side of `GET /users/{name}`).
pub async fn local_profile(
    req: HttpRequest,
    state: web::Data<WebState>,
    name: String,
) -> HttpResult<HttpResponse> {
    let lang = crate::auth::lang(&req, &state, None);
    let found = agora_service::actors::local_by_username(&state.ctx, &name).await?;
    let actor = found
        .filter(|a| !a.is_node_actor() && !a.is_group())
        .ok_or_else(|| HttpError::json(ErrorKind::NotFound, "").in_lang(lang))?;
    actor_page(&req, &state, actor).await
}

/// Query of the remote profile page.
#[derive(Deserialize)]
pub struct RemoteQuery {
    acct: String,
}

/// `GET /remote?acct=@name@host`: a remote actor as this node knows it. Signed-in users make
/// the node fetch actors it does not know yet; visitors see only known ones, so nobody can use
/// the node to make requests for them.
#[get("/remote")]
pub async fn remote_profile(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<RemoteQuery>,
) -> HttpResult<HttpResponse> {
    let user = crate::auth::web_user(&req, &state).await?;
    let lang = crate::auth::lang(&req, &state, user.as_ref());
    let acct = query.acct.trim().to_string();
    let is_url = acct.starts_with("http://") || acct.starts_with("https://");
    if acct.len() > 300 || (!is_url && agora_core::handle::parse_acct(&acct).is_none()) {
        return Err(
            HttpError::json(ErrorKind::BadRequest, "expected @name@host or a URL").in_lang(lang),
        );
    }
    if user.is_some() {
        let actor = agora_federation::resolve::actor(&acct, &state.data())
            .await
            .map_err(|e| HttpError::from(e).in_lang(lang))?;
        return actor_page(&req, &state, actor.row).await;
    }
    let actor = agora_service::actors::known(&state.ctx, &acct)
        .await?
        .ok_or_else(|| HttpError::json(ErrorKind::NotFound, "").in_lang(lang))?;
    actor_page(&req, &state, actor).await
}
