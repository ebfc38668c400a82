//! The reported account's side of moderation: the decisions about its content, with their
//! reasons, and the appeal form (reached signed in, or through the link of the statement of
//! reasons when the account is suspended).

use super::{
    PageCtx,
    moderation::AppealItem,
    page_ctx, redirect, render,
    reports::{action_key, category_key},
};
use crate::{
    auth,
    error::{HttpError, HttpResult},
    i18n::Lang,
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use agora_core::ErrorKind;
use agora_service::{
    accounts::SignedIn,
    reports::{self, AppealRequest, DecisionOnMe},
};
use askama::Template;
use serde::Deserialize;

/// A decision as its account reads it.
pub struct DecisionItem {
    /// The report's id.
    pub id: i64,
    /// What was decided about.
    pub target: String,
    /// Label key of its kind.
    pub kind_key: String,
    /// Label key of the category.
    pub category_key: String,
    /// Label key of the action.
    pub action_key: String,
    /// Why.
    pub reason: String,
    /// The legal or terms ground.
    pub ground: Option<String>,
    /// When.
    pub at: String,
    /// The appeal can still be made.
    pub can_appeal: bool,
    /// The appeal, once made.
    pub appeal: Option<AppealItem>,
}

impl DecisionItem {
    fn new(d: &DecisionOnMe) -> DecisionItem {
        let r = &d.report;
        DecisionItem {
            id: r.id,
            target: r.target_ap_id.clone(),
            kind_key: format!("report-kind-{}", r.target_kind),
            category_key: category_key(&r.category),
            action_key: action_key(r.action.as_deref().unwrap_or_default()),
            reason: r.reason.clone().unwrap_or_default(),
            ground: r.ground.clone(),
            at: r.decided_at.map(super::when).unwrap_or_default(),
            can_appeal: d.appeal.as_ref().is_some_and(|a| a.appealed_at.is_none()),
            appeal: d.appeal.as_ref().and_then(AppealItem::of),
        }
    }
}

/// The decisions page.
#[derive(Template)]
#[template(path = "decisions.html")]
pub struct DecisionsPage {
    p: PageCtx,
    items: Vec<DecisionItem>,
    /// The appeal link's token, sent back with the form (empty when signed in).
    token: String,
    error: Option<String>,
}

/// `GET /moderation/decisions`: the signed-in account's decisions.
#[get("/moderation/decisions")]
pub async fn my_decisions(
    req: HttpRequest,
    state: web::Data<WebState>,
) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let who = super::signed_in(user, lang)?;
    let found = reports::decisions_about_me(&state.ctx, &who)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let page = DecisionsPage {
        p,
        items: found.iter().map(DecisionItem::new).collect(),
        token: String::new(),
        error: None,
    };
    render(&page, cookie, lang)
}

/// Who appeals: the holder of the link's token when there is one, else the signed-in account.
fn appealing<'a>(
    user: Option<&'a SignedIn>,
    token: &'a str,
    lang: Lang,
) -> HttpResult<AppealRequest<'a>> {
    match (user, token.is_empty()) {
        (_, false) => Ok(AppealRequest::Token(token)),
        (Some(who), true) => Ok(AppealRequest::Account(who)),
        (None, true) => Err(HttpError::json(ErrorKind::Unauthorized, "").in_lang(lang)),
    }
}

/// `?token=` of the appeal link.
#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// `GET /moderation/decisions/{id}/appeal?token=…`: one decision and its appeal form, for the
/// holder of the link (or the signed-in account).
#[get("/moderation/decisions/{id}/appeal")]
pub async fn appeal_form(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
    query: web::Query<TokenQuery>,
) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let token = query.into_inner().token.unwrap_or_default();
    let by = appealing(user.as_ref(), &token, lang)?;
    let found = reports::decision_for_appeal(&state.ctx, by, id.into_inner())
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let page = DecisionsPage {
        p,
        items: vec![DecisionItem::new(&found)],
        token,
        error: None,
    };
    render(&page, cookie, lang)
}

/// The appeal form as sent.
#[derive(Deserialize)]
pub struct AppealForm {
    csrf: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    text: String,
}

/// `POST /moderation/decisions/{id}/appeal`.
#[post("/moderation/decisions/{id}/appeal")]
pub async fn appeal(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
    form: web::Form<AppealForm>,
) -> HttpResult<HttpResponse> {
    let id = id.into_inner();
    let form = form.into_inner();
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    auth::check_csrf(&req, user.as_ref(), &form.csrf, lang)?;
    let by = appealing(user.as_ref(), &form.token, lang)?;
    match reports::appeal(&state.ctx, by, id, &form.text).await {
        Ok(_) if form.token.is_empty() => Ok(redirect("/moderation/decisions?notice=appealed")),
        Ok(done) => {
            let page = DecisionsPage {
                p,
                items: vec![DecisionItem::new(&done)],
                token: String::new(),
                error: None,
            };
            render(&page, cookie, lang)
        }
        Err(e) if e.kind == ErrorKind::InvalidField => {
            let found = reports::decision_for_appeal(&state.ctx, by, id)
                .await
                .map_err(|e| HttpError::from(e).in_lang(lang))?;
            let error = Some(HttpError::from(e).in_lang(lang).message());
            let page = DecisionsPage {
                p,
                items: vec![DecisionItem::new(&found)],
                token: form.token,
                error,
            };
            let mut response = render(&page, cookie, lang)?;
            *response.status_mut() = StatusCode::BAD_REQUEST;
            Ok(response)
        }
        Err(e) => Err(HttpError::from(e).in_lang(lang)),
    }
}
