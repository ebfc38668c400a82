//! Starting a petition from the web: the form and its submission, which call the same service
//! operation as the API; a refused field comes back with the form as it was filled.

use super::{PageCtx, home::form_user, page_ctx, redirect, render};
use crate::{
    auth,
    error::{HttpError, HttpResult},
    state::WebState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_core::ErrorKind;
use agora_service::petitions::{self, NewPetition};
use askama::Template;
use serde::Deserialize;

/// The form's fields, as typed.
#[derive(Deserialize, Default)]
pub struct NewForm {
    csrf: String,
    title: String,
    text: String,
    target: String,
    /// A day (`YYYY-MM-DD`): the petition closes at its end, UTC.
    deadline: String,
    /// Counts separated by commas or spaces.
    #[serde(default)]
    milestones: String,
    #[serde(default)]
    signature_policy: String,
    /// Host names separated by commas or spaces.
    #[serde(default)]
    trusted_instances: String,
    #[serde(default)]
    initiative: String,
    public_names: Option<String>,
}

/// The page.
#[derive(Template)]
#[template(path = "petition_new.html")]
pub struct NewPage {
    p: PageCtx,
    error: Option<String>,
    form: NewForm,
}

/// `GET /petitions/new`.
#[get("/petitions/new")]
pub async fn new_form(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    if user.is_none() {
        return Ok(redirect("/login"));
    }
    let lang = p.lang;
    let form = NewForm {
        signature_policy: "local_verified".into(),
        public_names: Some("1".into()),
        ..NewForm::default()
    };
    render(
        &NewPage {
            p,
            error: None,
            form,
        },
        cookie,
        lang,
    )
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
}

/// `POST /petitions`.
#[post("/petitions")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<NewForm>,
) -> HttpResult<HttpResponse> {
    let form = form.into_inner();
    let user = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&user));
    let deadline = chrono::NaiveDate::parse_from_str(form.deadline.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .map(|t| t.and_utc());
    let milestones: Result<Vec<i64>, _> = words(&form.milestones).map(str::parse).collect();
    let new = NewPetition {
        title: form.title.clone(),
        text: form.text.clone(),
        target: form.target.clone(),
        deadline,
        milestones: milestones.unwrap_or_else(|_| vec![0]),
        signature_policy: Some(form.signature_policy.clone()),
        trusted_instances: words(&form.trusted_instances).map(str::to_string).collect(),
        initiative: Some(form.initiative.clone()),
        draft: false,
        public_names: Some(form.public_names.is_some()),
    };
    match petitions::create(&state.ctx, &user, new).await {
        Ok(details) => Ok(redirect(&format!("/petitions/{}", details.petition.id))),
        Err(e)
            if matches!(
                e.kind,
                ErrorKind::InvalidField | ErrorKind::Forbidden | ErrorKind::NotFound
            ) =>
        {
            let (p, _, cookie) = page_ctx(&req, &state).await?;
            let error = Some(HttpError::from(e).in_lang(lang).message());
            let mut response = render(&NewPage { p, error, form }, cookie, lang)?;
            *response.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
            Ok(response)
        }
        Err(e) => Err(HttpError::from(e).in_lang(lang)),
    }
}
