//! `/admin/federation`: the federation policy on the moderators' desk — the mode, every rule
//! with where it comes from and why, and the forms that change them live.

use super::{PageCtx, page_ctx, redirect, render};
use crate::{
    auth,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::federation_policy::{DomainPolicy, FederationMode};
use agora_service::federation_policy;
use askama::Template;
use serde::Deserialize;

/// A rule as the desk lists it.
pub struct RuleLine {
    /// The domain.
    pub domain: String,
    /// Its policy identifier.
    pub policy: &'static str,
    /// Label key of its policy.
    pub policy_key: String,
    /// Why (live rules).
    pub reason: Option<String>,
    /// From the configuration file: not lifted from here.
    pub from_config: bool,
}

/// The page.
#[derive(Template)]
#[template(path = "federation_desk.html")]
pub struct FederationDeskPage {
    p: PageCtx,
    mode: &'static str,
    mode_key: String,
    modes: Vec<&'static str>,
    policies: Vec<(&'static str, String)>,
    rules: Vec<RuleLine>,
}

/// The label key of a policy.
pub fn policy_key(policy: &str) -> String {
    format!("policy-{}", policy.replace('_', "-"))
}

/// `GET /admin/federation`.
#[get("/admin/federation")]
pub async fn desk(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let who = super::signed_in(user, lang)?;
    let (policy, live) = federation_policy::for_desk(&state.ctx, &who)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let rules = policy
        .rules
        .iter()
        .map(|r| RuleLine {
            domain: r.domain.clone(),
            policy: r.policy.as_str(),
            policy_key: policy_key(r.policy.as_str()),
            reason: live
                .iter()
                .find(|l| !r.from_config && l.domain == r.domain && l.policy == r.policy.as_str())
                .map(|l| l.reason.clone()),
            from_config: r.from_config,
        })
        .collect();
    let page = FederationDeskPage {
        p,
        mode: policy.mode.as_str(),
        mode_key: format!("federation-mode-{}", policy.mode.as_str()),
        modes: FederationMode::ALL.iter().map(|m| m.as_str()).collect(),
        policies: DomainPolicy::ALL
            .iter()
            .map(|d| (d.as_str(), policy_key(d.as_str())))
            .collect(),
        rules,
    };
    render(&page, cookie, lang)
}

/// A rule form (set or lift).
#[derive(Deserialize)]
pub struct RuleForm {
    csrf: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    policy: String,
    #[serde(default)]
    reason: String,
    /// `lift` to lift, anything else to set.
    #[serde(default)]
    what: String,
}

/// `POST /admin/federation/rules`: sets or lifts a rule.
#[post("/admin/federation/rules")]
pub async fn change_rule(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<RuleForm>,
) -> HttpResult<HttpResponse> {
    let who = super::home::form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&who));
    let set = form.what != "lift";
    federation_policy::change_rule(
        &state.ctx,
        &who,
        &form.domain,
        &form.policy,
        &form.reason,
        set,
    )
    .await
    .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect("/admin/federation?notice=decided"))
}

/// The mode form.
#[derive(Deserialize)]
pub struct ModeForm {
    csrf: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/federation/mode`.
#[post("/admin/federation/mode")]
pub async fn change_mode(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<ModeForm>,
) -> HttpResult<HttpResponse> {
    let who = super::home::form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&who));
    federation_policy::change_mode(&state.ctx, &who, &form.mode, &form.reason)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect("/admin/federation?notice=decided"))
}
