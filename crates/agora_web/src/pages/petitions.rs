//! A petition's page: its text and target, the counts by origin, signing and withdrawing
//! without JavaScript, and its transparency log.

use super::{PageCtx, home::form_user, page_ctx, redirect, render};
use crate::{
    auth,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, post, web};
use agora_core::petition::PetitionStatus;
use agora_service::petitions::{self, OriginCount};
use askama::Template;
use serde::Deserialize;

/// A petition page.
#[derive(Template)]
#[template(path = "petition.html")]
pub struct PetitionPage {
    p: PageCtx,
    id: i64,
    /// ActivityPub id (what a report names).
    uri: String,
    /// The labels in force on it.
    labels: Vec<super::labels::LabelItem>,
    /// Its energy label.
    energy: super::energy::EnergyItem,
    title: String,
    /// Sanitised HTML.
    text: String,
    target: String,
    author: String,
    author_url: String,
    deadline: String,
    status_key: String,
    open: bool,
    verified: i64,
    unverified: i64,
    by_origin: Vec<OriginCount>,
    milestones: Vec<i64>,
    public_names: bool,
    signers: Vec<String>,
    /// The viewer's standing signature: whether it counts yet.
    signed: Option<bool>,
    log: String,
    log_size: i64,
    /// The curve as text, for those who do not see the image: (day, count).
    curve: Vec<(String, i64)>,
    /// Ours: the nodes that cosigned a checkpoint, with its size.
    witnesses: Vec<(String, i64)>,
    /// Another node's: the size we found consistent, and whether it forked.
    witnessed: Option<(i64, bool)>,
    /// The target's official response (sanitised HTML).
    response: Option<String>,
}

/// The HTML side of `GET /petitions/{id}`.
/// Where a petition of ours went with its initiative, when it moved to another node.
pub fn moved_away(
    petition: &agora_service::model::Petition,
    author: &agora_service::model::Actor,
) -> Option<String> {
    (petition.local && author.local && author.is_group())
        .then(|| agora_service::initiative_moves::new_address(author, &petition.ap_id))
        .flatten()
}

/// The petition's page, or a redirect to where it moved.
pub async fn petition_page(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: i64,
) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let in_lang = |e: agora_service::ServiceError| HttpError::from(e).in_lang(lang);
    let view = petitions::public_view(&state.ctx, id, user.as_ref())
        .await
        .map_err(in_lang)?;
    let d = &view.details;
    if let Some(to) = moved_away(&d.petition, &d.author) {
        return Ok(crate::activitypub::moved(&to));
    }
    let signed = match &user {
        Some(u) => petitions::my_signature(&state.ctx, u, &id.to_string())
            .await
            .map_err(in_lang)?
            .map(|r| r.counted),
        None => None,
    };
    let signers = view.signers.iter().map(|a| a.acct()).collect();
    // Six figures say the curve in words; the image has more.
    let curve = agora_service::petition_curve::curve(&state.ctx, &d.petition, 6, Some(d.log_size))
        .await
        .map_err(in_lang)?
        .into_iter()
        .map(|(at, n)| (at.format("%Y-%m-%d %H:%M").to_string(), n))
        .collect();
    let labels = super::labels::on(&state, &d.petition.ap_id, &d.author.account_kind).await?;
    let energy = super::energy::EnergyItem::of(&agora_service::energy::estimate(
        &state.ctx,
        d.petition.payload_bytes,
        d.petition.delivered_inboxes,
        d.petition.text.len() as i64,
    ));
    let page = PetitionPage {
        energy,
        labels,
        id: d.petition.id,
        uri: d.petition.ap_id.clone(),
        title: d.petition.title.clone(),
        text: d.petition.text.clone(),
        target: d.petition.target.clone(),
        author: d.author.acct(),
        author_url: d
            .author
            .url
            .clone()
            .unwrap_or_else(|| d.author.ap_id.clone()),
        deadline: super::when(d.petition.deadline),
        status_key: format!("petition-status-{}", d.petition.status),
        open: d.status() == PetitionStatus::Open,
        verified: d.tally.verified,
        unverified: d.tally.unverified,
        by_origin: d.tally.by_origin.clone(),
        milestones: d.milestones(),
        public_names: d.petition.public_names,
        signers,
        signed,
        log: petitions::log_url(&state.ctx, &d.petition),
        log_size: d.log_size,
        curve,
        witnesses: d
            .cosignatures
            .iter()
            .map(|c| (c.witness.clone(), c.size))
            .collect(),
        witnessed: d.witnessed.as_ref().map(|w| (w.size, w.fork.is_some())),
        response: d.petition.response.clone(),
        p,
    };
    render(&page, cookie, lang)
}

/// The sign form.
#[derive(Deserialize)]
pub struct SignForm {
    csrf: String,
    show_name: Option<String>,
}

/// `POST /petitions/{id}/sign`.
#[post("/petitions/{id}/sign")]
pub async fn sign(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
    form: web::Form<SignForm>,
) -> HttpResult<HttpResponse> {
    let user = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&user));
    let id = id.into_inner();
    let client = auth::client_key(&req, &state);
    petitions::sign(
        &state.ctx,
        &user,
        &id.to_string(),
        form.show_name.is_some(),
        &client,
    )
    .await
    .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect(&format!("/petitions/{id}?notice=signed")))
}

/// `POST /petitions/{id}/withdraw`.
#[post("/petitions/{id}/withdraw")]
pub async fn withdraw(
    req: HttpRequest,
    state: web::Data<WebState>,
    id: web::Path<i64>,
    form: web::Form<super::account::CsrfForm>,
) -> HttpResult<HttpResponse> {
    let user = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&user));
    let id = id.into_inner();
    petitions::withdraw(&state.ctx, &user, &id.to_string())
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect(&format!("/petitions/{id}?notice=withdrawn")))
}
