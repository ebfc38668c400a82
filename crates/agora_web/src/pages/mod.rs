//! Server-rendered HTML pages (askama templates, Fluent strings, no JavaScript).

pub mod account;
pub mod algorithms;
pub mod curve;
pub mod decisions;
pub mod deletion;
pub mod energy;
pub mod export;
pub mod federation_desk;
pub mod filters;
pub mod home;
pub mod imports;
pub mod initiative_moves;
pub mod initiative_updates;
pub mod initiatives;
pub mod interact;
pub mod labels;
pub mod labels_desk;
pub mod moderation;
pub mod moderation_log;
pub mod moves;
pub mod petition_new;
pub mod petitions;
pub mod policies;
pub mod post;
pub mod profile;
pub mod reports;
pub mod transparency;
pub mod witnessing;

use crate::{
    auth,
    error::{HttpError, HttpResult},
    i18n::Lang,
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, cookie::Cookie, web};
use agora_service::accounts::SignedIn;
use agora_service::model::{ACCEPTED, Actor, Follow, Post};
use askama::Template;

/// What every page needs: language, who is signed in, the anti-forgery token, a notice.
pub struct PageCtx {
    /// Language of the page.
    pub lang: Lang,
    /// Handle of the signed-in user.
    pub handle: Option<String>,
    /// Whether the signed-in user moderates (the desk is in the menu).
    pub moderator: bool,
    /// A newer version of the terms the signed-in user has to accept.
    pub terms_pending: Option<i32>,
    /// Token for the forms of this page.
    pub csrf: String,
    /// Node name for the title and header.
    pub node_name: String,
    /// A one-line confirmation after a redirect.
    pub notice: Option<String>,
}

/// Notices a redirect may name (`?notice=posted`); anything else is ignored.
const NOTICES: &[&str] = &[
    "signed-up",
    "pending-approval",
    "email-confirmed",
    "password-changed",
    "posted",
    "followed",
    "unfollowed",
    "deleted",
    "login-to-follow",
    "signed",
    "withdrawn",
    "reported",
    "decided",
    "appealed",
    "terms-accepted",
];

/// A page's context, the signed-in user, and a visitor anti-forgery cookie to set if new.
pub async fn page_ctx(
    req: &HttpRequest,
    state: &WebState,
) -> HttpResult<(PageCtx, Option<SignedIn>, Option<Cookie<'static>>)> {
    let user = auth::web_user(req, state).await?;
    let lang = auth::lang(req, state, user.as_ref());
    let secure = state.ctx.config.instance.scheme == "https";
    let (csrf, cookie) = match auth::csrf_token(req, user.as_ref()) {
        Some(token) => (token, None),
        None => match auth::visitor_csrf_cookie(req, secure) {
            Some((token, cookie)) => (token, Some(cookie)),
            None => (String::new(), None),
        },
    };
    let notice =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("notice").cloned())
            .filter(|n| NOTICES.contains(&n.as_str()))
            .map(|n| lang.t(&format!("notice-{n}")));
    let ctx = PageCtx {
        lang,
        handle: user.as_ref().map(|u| u.actor.username.clone()),
        moderator: user.as_ref().is_some_and(|u| u.kind_setter().is_some()),
        terms_pending: user
            .as_ref()
            .and_then(|u| agora_service::policies::terms_pending(&state.ctx, u)),
        csrf,
        node_name: state.ctx.config.instance.name.clone(),
        notice,
    };
    Ok((ctx, user, cookie))
}

/// The signed-in user a page needs, or 401 in the page's language.
pub fn signed_in(user: Option<SignedIn>, lang: Lang) -> HttpResult<SignedIn> {
    user.ok_or_else(|| HttpError::json(agora_core::ErrorKind::Unauthorized, "").in_lang(lang))
}

/// A time as pages show it: `2026-11-30 14:05 UTC`.
pub fn when(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Renders a template as a page, setting the visitor cookie when one was made.
pub fn render(
    template: &impl Template,
    cookie: Option<Cookie<'static>>,
    lang: Lang,
) -> HttpResult<HttpResponse> {
    let html = template.render().map_err(|e| {
        HttpError::json(agora_core::ErrorKind::Internal, e.to_string()).in_lang(lang)
    })?;
    let mut response = HttpResponse::Ok();
    response
        .content_type("text/html; charset=utf-8")
        .insert_header(("Vary", "Accept, Cookie"))
        .insert_header(("Content-Security-Policy", PAGE_CSP));
    if let Some(cookie) = cookie {
        response.cookie(cookie);
    }
    Ok(response.body(html))
}

/// Pages run no script and load styles from here only; images may come from other servers
/// (avatars). A link that slipped through with a `javascript:` address does nothing.
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'none'; object-src 'none'; \
    style-src 'self'; img-src 'self' https: http: data:; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// A 303 redirect after a form, optionally with a notice.
pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", to.to_string()))
        .finish()
}

/// A message page (errors, confirmations).
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    /// Page context.
    pub p: PageCtx,
    /// Heading.
    pub title: String,
    /// Text.
    pub message: String,
}

/// The HTML of an error page.
pub fn error_page(err: &HttpError) -> String {
    let page = MessagePage {
        p: PageCtx {
            lang: err.lang(),
            handle: None,
            moderator: false,
            terms_pending: None,
            csrf: String::new(),
            node_name: "Agora".into(),
            notice: None,
        },
        title: err.lang().t("title-error"),
        message: err.message(),
    };
    page.render().unwrap_or_else(|_| err.message())
}

/// A post as the templates show it.
pub struct PostItem {
    /// Row id.
    pub id: i64,
    /// Link to the author's profile here.
    pub author_url: String,
    /// Display name.
    pub author_name: String,
    /// `@name@host`.
    pub author_acct: String,
    /// Account kind (CSS class).
    pub author_kind: String,
    /// Message key of the kind's label.
    pub kind_label_key: String,
    /// Whether an administrator of this node verified the kind.
    pub kind_verified: bool,
    /// Content warning.
    pub spoiler_text: Option<String>,
    /// Sanitised HTML.
    pub content: String,
    /// Link to the post's page here.
    pub permalink: String,
    /// ActivityPub id (what a report names).
    pub uri: String,
    /// The labels in force on it (see `labels::attach`).
    pub labels: Vec<labels::LabelItem>,
    /// In a timeline, why it is there: a message key and the name it takes.
    pub why: Option<(String, String)>,
    /// What carrying it costs: the activity's bytes, the inboxes, the text's bytes.
    pub energy_inputs: (i64, i64, i64),
    /// Its energy label and the estimate in words (see `annotate`).
    pub energy: Option<energy::EnergyItem>,
    /// The original on its server, for remote posts.
    pub original: Option<String>,
    /// Human date.
    pub published: String,
    /// Machine date.
    pub published_iso: String,
    /// Edited since.
    pub edited: bool,
    /// Pinned to its initiative's page.
    pub pinned: bool,
    /// Where the post it answers is shown (local page or the remote original).
    pub in_reply_to: Option<String>,
    /// The initiative (group) it was posted in: its page here and its name.
    pub group: Option<(String, String)>,
}

/// The unfollow button of an existing follow: its id and the label for its state.
pub fn unfollow_button(follow: &Follow) -> (i64, String) {
    let key = if follow.state == ACCEPTED {
        "profile-unfollow-accepted"
    } else {
        "profile-unfollow-pending"
    };
    (follow.id, key.to_string())
}

/// The message key of an account kind's label.
pub fn kind_label_key(kind: &str) -> String {
    format!("kind-{}", kind.replace('_', "-"))
}

/// Where this node shows an actor: its own page for local ones, the remote view otherwise.
pub fn profile_link(actor: &Actor) -> String {
    if actor.local && actor.is_group() {
        format!("/initiatives/{}", actor.username)
    } else if actor.local {
        format!("/users/{}", actor.username)
    } else {
        format!("/remote?acct={}", actor.acct().replace('@', "%40"))
    }
}

impl PostItem {
    /// Builds the view of a post.
    pub fn new(post: &Post, author: &Actor) -> PostItem {
        PostItem {
            id: post.id,
            author_url: profile_link(author),
            author_name: author.shown_name().to_string(),
            author_acct: author.acct(),
            author_kind: author.account_kind.clone(),
            kind_label_key: kind_label_key(&author.account_kind),
            kind_verified: author.kind_verified_at.is_some(),
            spoiler_text: post.spoiler_text.clone(),
            content: post.content.clone(),
            // Remote posts too have a page here: their thread, and the reply form.
            permalink: format!("/posts/{}", post.id),
            uri: post.ap_id.clone(),
            labels: Vec::new(),
            why: None,
            energy_inputs: (
                post.payload_bytes,
                post.delivered_inboxes,
                post.content.len() as i64,
            ),
            energy: None,
            original: (!post.local).then(|| post.url.clone().unwrap_or_else(|| post.ap_id.clone())),
            published: when(post.published),
            published_iso: post.published.and_utc().to_rfc3339(),
            edited: post.updated.is_some(),
            pinned: post.pinned_at.is_some(),
            in_reply_to: post.in_reply_to.clone(),
            group: None,
        }
    }

    /// Names the initiative the post belongs to, when `groups` knows it.
    pub fn in_group(mut self, post: &Post, groups: &std::collections::HashMap<i64, Actor>) -> Self {
        self.group = post
            .group_id
            .and_then(|g| groups.get(&g))
            .map(|g| (profile_link(g), g.shown_name().to_string()));
        self
    }
}

/// Puts on each post what pages show beside it: its labels and its energy label.
pub async fn annotate(state: &WebState, items: &mut [PostItem]) -> HttpResult<()> {
    labels::attach(state, items).await?;
    for item in items.iter_mut() {
        let (payload, inboxes, stored) = item.energy_inputs;
        item.energy = Some(energy::EnergyItem::of(&agora_service::energy::estimate(
            &state.ctx, payload, inboxes, stored,
        )));
    }
    Ok(())
}

/// Where an actor moved, as a link a browser can follow: only `http(s)` addresses.
pub fn moved_link(actor: &agora_service::model::Actor) -> Option<String> {
    actor
        .moved_to
        .clone()
        .filter(|t| t.starts_with("https://") || t.starts_with("http://"))
}
