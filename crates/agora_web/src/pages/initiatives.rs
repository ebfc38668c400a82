//! Initiative pages: the directory, the start form, and an initiative's own page.

use super::{
    PageCtx, PostItem, home::form_user, kind_label_key, page_ctx, profile_link, redirect, render,
};
use crate::{
    auth,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::ErrorKind;
use agora_service::initiatives::{self, NewInitiative, Place, STATUSES};
use agora_service::model::{Actor, ORGANIZER, Page, Search};
use askama::Template;
use serde::Deserialize;

/// A directory card.
pub struct Card {
    url: String,
    name: String,
    acct: String,
    status: String,
    place: Option<String>,
    followers: i64,
    /// "N followers" for ours, "N followers here" for another server's group, whose total we
    /// do not know.
    followers_key: &'static str,
    updated: String,
    /// Names and kinds of the organizers, each with its badge.
    organizers: Vec<MemberItem>,
}

/// The directory page.
#[derive(Template)]
#[template(path = "initiatives.html")]
pub struct DirectoryPage {
    p: PageCtx,
    q: String,
    tag: String,
    place: String,
    status: String,
    statuses: &'static [&'static str],
    kind: String,
    kinds: Vec<(&'static str, String)>,
    cards: Vec<Card>,
}

/// Directory query.
#[derive(Deserialize)]
pub struct DirectoryQuery {
    q: Option<String>,
    tag: Option<String>,
    place: Option<String>,
    status: Option<String>,
    kind: Option<String>,
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// `GET /initiatives`: search local initiatives.
#[get("/initiatives")]
pub async fn directory(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<DirectoryQuery>,
) -> HttpResult<HttpResponse> {
    let (p, _, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let search = Search {
        words: non_empty(&query.q),
        tag: non_empty(&query.tag),
        place: non_empty(&query.place),
        status: non_empty(&query.status),
        organizer_kind: non_empty(&query.kind)
            .and_then(|k| agora_core::kinds::AccountKind::parse(&k))
            .map(agora_core::kinds::AccountKind::as_str),
        local: None,
        limit: 50,
    };
    let rows = initiatives::search(&state.ctx, search)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let cards = rows
        .iter()
        .map(|row| Card {
            url: profile_link(&row.actor),
            name: row.actor.shown_name().to_string(),
            acct: row.actor.acct(),
            status: row.initiative.status.clone(),
            place: row.initiative.place_name.clone(),
            followers: row.followers,
            followers_key: if row.actor.local {
                "profile-followers"
            } else {
                "initiative-followers-here"
            },
            updated: row.initiative.updated_at.format("%Y-%m-%d").to_string(),
            organizers: row
                .organizers
                .iter()
                .map(|a| MemberItem::new(ORGANIZER, a))
                .collect(),
        })
        .collect();
    let page = DirectoryPage {
        p,
        q: query.q.clone().unwrap_or_default(),
        tag: query.tag.clone().unwrap_or_default(),
        place: query.place.clone().unwrap_or_default(),
        status: query.status.clone().unwrap_or_default(),
        statuses: STATUSES,
        kind: query.kind.clone().unwrap_or_default(),
        kinds: agora_core::kinds::AccountKind::LOCAL
            .iter()
            .map(|k| (k.as_str(), kind_label_key(k.as_str())))
            .collect(),
        cards,
    };
    render(&page, cookie, lang)
}

/// The start form.
#[derive(Template)]
#[template(path = "initiative_new.html")]
pub struct NewPage {
    p: PageCtx,
    error: Option<String>,
    handle: String,
    name: String,
    description: String,
    goals: String,
    tags: String,
    place: String,
}

/// `GET /initiatives/new`.
#[get("/initiatives/new")]
pub async fn new_form(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    if user.is_none() {
        return Ok(redirect("/login"));
    }
    let lang = p.lang;
    let page = NewPage {
        p,
        error: None,
        handle: String::new(),
        name: String::new(),
        description: String::new(),
        goals: String::new(),
        tags: String::new(),
        place: String::new(),
    };
    render(&page, cookie, lang)
}

/// The start form's fields.
#[derive(Deserialize)]
pub struct NewForm {
    csrf: String,
    handle: String,
    name: String,
    description: String,
    goals: String,
    tags: String,
    place: String,
}

/// `POST /initiatives`: start an initiative from the form. The description is plain text here.
#[post("/initiatives")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<NewForm>,
) -> HttpResult<HttpResponse> {
    let form = form.into_inner();
    let user = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&user));
    let new = NewInitiative {
        handle: form.handle.trim().to_string(),
        name: form.name.clone(),
        description: agora_core::text::plain_text_to_html(&form.description),
        goals: Some(form.goals.clone()),
        tags: split_tags(&form.tags),
        place: Some(form.place.trim())
            .filter(|p| !p.is_empty())
            .map(|name| Place {
                name: name.into(),
                latitude: None,
                longitude: None,
            }),
    };
    match initiatives::create(&state.ctx, &user, new).await {
        Ok(details) => Ok(redirect(&format!(
            "/initiatives/{}",
            details.actor.username
        ))),
        Err(e) if matches!(e.kind, ErrorKind::InvalidField | ErrorKind::Conflict) => {
            let (p, _, cookie) = page_ctx(&req, &state).await?;
            let page = NewPage {
                p,
                error: Some(HttpError::from(e).in_lang(lang).message()),
                handle: form.handle,
                name: form.name,
                description: form.description,
                goals: form.goals,
                tags: form.tags,
                place: form.place,
            };
            let mut response = render(&page, cookie, lang)?;
            *response.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
            Ok(response)
        }
        Err(e) => Err(HttpError::from(e).in_lang(lang)),
    }
}

/// A member as the page shows them.
pub struct MemberItem {
    url: String,
    name: String,
    acct: String,
    kind: String,
    kind_label_key: String,
    role: String,
}

impl MemberItem {
    fn new(role: &str, a: &Actor) -> MemberItem {
        MemberItem {
            url: profile_link(a),
            name: a.shown_name().to_string(),
            acct: a.acct(),
            kind: a.account_kind.clone(),
            kind_label_key: kind_label_key(&a.account_kind),
            role: role.to_string(),
        }
    }
}

/// An initiative's page.
#[derive(Template)]
#[template(path = "initiative.html")]
pub struct InitiativePage {
    /// The labels in force on the initiative.
    labels: Vec<super::labels::LabelItem>,
    p: PageCtx,
    name: String,
    acct: String,
    uri: String,
    status_key: String,
    place: Option<String>,
    followers: i64,
    description: String,
    goals: String,
    tags: Vec<String>,
    organizers: Vec<MemberItem>,
    can_follow: bool,
    follow: Option<(i64, String)>,
    /// The viewer organizes it: the update form and pin buttons show.
    is_organizer: bool,
    handle: String,
    updates: Vec<PostItem>,
    avatar: Option<String>,
    banner: Option<String>,
    /// Where it moved (its new group's id).
    moved_to: Option<String>,
}

/// The HTML side of `GET /initiatives/{handle}`.
pub async fn initiative_page(
    req: &HttpRequest,
    state: &WebState,
    actor: Actor,
) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(req, state).await?;
    let lang = p.lang;
    let details = initiatives::details_of_actor(&state.ctx, actor.id)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let viewer = user.as_ref().map(|u| u.actor.id);
    let follow = match &user {
        Some(u) => agora_service::follows::between(&state.ctx, &u.actor, &actor).await?,
        None => None,
    };
    let is_organizer = viewer.is_some_and(|v| details.is_organizer(v));
    let updates = agora_service::initiative_updates::list(
        &state.ctx,
        &details,
        Page {
            max_id: None,
            limit: 20,
        },
    )
    .await
    .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let mut updates: Vec<PostItem> = updates.iter().map(|(p, a)| PostItem::new(p, a)).collect();
    super::annotate(state, &mut updates).await?;
    let labels = super::labels::on(state, &details.actor.ap_id, "").await?;
    let page = InitiativePage {
        labels,
        is_organizer,
        avatar: details.actor.icon_url.clone(),
        banner: details.actor.image_url.clone(),
        moved_to: super::moved_link(&details.actor),
        handle: details.actor.username.clone(),
        updates,
        name: details.actor.shown_name().to_string(),
        acct: details.actor.acct(),
        uri: details.actor.ap_id.clone(),
        status_key: crate::i18n::status_key(&details.initiative.status),
        place: details.initiative.place_name.clone(),
        followers: details.followers,
        description: details.actor.summary.clone(),
        goals: details.initiative.goals.clone(),
        tags: details.tags.clone(),
        organizers: details
            .members
            .iter()
            .map(|(role, a)| MemberItem::new(role, a))
            .collect(),
        can_follow: viewer.is_some(),
        follow: follow.as_ref().map(super::unfollow_button),
        p,
    };
    render(&page, cookie, lang)
}

/// The edit form of an initiative.
#[derive(Template)]
#[template(path = "initiative_edit.html")]
pub struct EditPage {
    p: PageCtx,
    error: Option<String>,
    handle: String,
    name: String,
    description: String,
    goals: String,
    tags: String,
    place: String,
    status: String,
    statuses: &'static [&'static str],
    manual: bool,
}

/// `GET /initiatives/{handle}/edit`: the form, for its organizers.
#[get("/initiatives/{handle}/edit")]
pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let Some(user) = user else {
        return Ok(redirect("/login"));
    };
    let details = initiatives::by_handle(&state.ctx, &handle)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    if !details.is_organizer(user.actor.id) {
        return Err(HttpError::json(ErrorKind::Forbidden, "organizers only").in_lang(lang));
    }
    let page = EditPage {
        p,
        error: None,
        handle: details.actor.username.clone(),
        name: details.actor.shown_name().to_string(),
        description: agora_core::text::html_to_plain_text(&details.actor.summary),
        goals: details.initiative.goals.clone(),
        tags: details.tags.join(" "),
        place: details.initiative.place_name.clone().unwrap_or_default(),
        status: details.initiative.status.clone(),
        statuses: STATUSES,
        manual: details.actor.manually_approves_followers,
    };
    render(&page, cookie, lang)
}

/// The edit form's fields. The description is plain text here, as on the start form.
#[derive(Deserialize)]
pub struct EditForm {
    csrf: String,
    name: String,
    description: String,
    goals: String,
    tags: String,
    place: String,
    status: String,
    manually_approves_followers: Option<bool>,
}

/// `POST /initiatives/{handle}/edit`.
#[post("/initiatives/{handle}/edit")]
pub async fn edit(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
    form: web::Form<EditForm>,
) -> HttpResult<HttpResponse> {
    let form = form.into_inner();
    let user = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&user));
    let current = initiatives::by_handle(&state.ctx, &handle)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    // What the form cannot show is kept unless its field changed: the coordinates set through
    // the API, and the markup (links) of a description written through the API.
    let place_name = form.place.trim();
    let place = if current.initiative.place_name.as_deref().unwrap_or_default() == place_name {
        None
    } else {
        Some((!place_name.is_empty()).then(|| Place {
            name: place_name.into(),
            latitude: None,
            longitude: None,
        }))
    };
    let description = (agora_core::text::html_to_plain_text(&current.actor.summary)
        != form.description.replace("\r\n", "\n").trim())
    .then(|| agora_core::text::plain_text_to_html(&form.description));
    let changes = initiatives::InitiativeChanges {
        name: Some(form.name.clone()),
        description,
        goals: Some(form.goals.clone()),
        tags: Some(split_tags(&form.tags)),
        place,
        status: Some(form.status.clone()),
        manually_approves_followers: Some(form.manually_approves_followers.unwrap_or(false)),
    };
    match initiatives::edit(&state.ctx, &user, &handle, changes).await {
        Ok(details) => Ok(redirect(&format!(
            "/initiatives/{}",
            details.actor.username
        ))),
        Err(e) if matches!(e.kind, ErrorKind::InvalidField) => {
            let (p, _, cookie) = page_ctx(&req, &state).await?;
            let page = EditPage {
                p,
                error: Some(HttpError::from(e).in_lang(lang).message()),
                handle: handle.into_inner(),
                name: form.name,
                description: form.description,
                goals: form.goals,
                tags: form.tags,
                place: form.place,
                status: form.status,
                statuses: STATUSES,
                manual: form.manually_approves_followers.unwrap_or(false),
            };
            let mut response = render(&page, cookie, lang)?;
            *response.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
            Ok(response)
        }
        Err(e) => Err(HttpError::from(e).in_lang(lang)),
    }
}

/// Tags as typed in a form: separated by spaces or commas.
fn split_tags(tags: &str) -> Vec<String> {
    tags.split([' ', ','])
        .filter(|t| !t.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Largest multipart body of the picture form: the image and a few short fields.
const MAX_PICTURE_FORM: usize = agora_service::media::MAX_IMAGE_BYTES + 16 * 1024;

/// `POST /initiatives/{handle}/picture`: an organizer uploads an avatar or a banner from the
/// edit page (`multipart/form-data`: `csrf`, `which` = `avatar` or `banner`, `file`, in that
/// order, as the form sends them). The session, the organizer and the CSRF token are checked
/// before the file is read: a refused upload costs us its headers, not 2 MB.
#[post("/initiatives/{handle}/picture")]
pub async fn upload_picture(
    req: HttpRequest,
    state: web::Data<WebState>,
    handle: web::Path<String>,
    mut payload: actix_multipart::Multipart,
) -> HttpResult<HttpResponse> {
    use futures::StreamExt;
    let user = auth::web_user(&req, &state).await?;
    let lang = auth::lang(&req, &state, user.as_ref());
    let user = user.ok_or_else(|| HttpError::json(ErrorKind::Unauthorized, "").in_lang(lang))?;
    initiatives::may_set_picture(&state.ctx, &user, &handle)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let bad = |m: &str| HttpError::json(ErrorKind::BadRequest, m).in_lang(lang);
    let (mut csrf, mut which, mut file) = (None::<String>, String::new(), Vec::new());
    let mut total = 0usize;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| bad(&e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            // The token comes first in the form; without it, the file is not read.
            auth::check_csrf(&req, Some(&user), csrf.as_deref().unwrap_or_default(), lang)?;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| bad(&e.to_string()))?;
            total += chunk.len();
            if total > MAX_PICTURE_FORM {
                return Err(
                    HttpError::json(ErrorKind::PayloadTooLarge, "images are at most 2 MB")
                        .in_lang(lang),
                );
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => csrf = Some(String::from_utf8_lossy(&bytes).into_owned()),
            "which" => which = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => file = bytes,
            _ => {}
        }
    }
    auth::check_csrf(&req, Some(&user), csrf.as_deref().unwrap_or_default(), lang)?;
    let purpose =
        agora_service::media::Purpose::from_slot(&which).ok_or_else(|| bad("avatar or banner"))?;
    initiatives::set_picture(&state.ctx, &user, &handle, purpose, Some(file))
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect(&format!("/initiatives/{handle}")))
}
