//! Account pages: sign-up, log-in, log-out, e-mail confirmation, settings, language.

use super::{MessagePage, PageCtx, home::form_user, page_ctx, redirect, render};
use crate::{
    auth,
    error::{HttpError, HttpResult},
    i18n::{LANG_COOKIE, Lang},
    state::WebState,
};
use actix_web::{
    HttpRequest, HttpResponse,
    cookie::{Cookie, SameSite},
    get, post, web,
};
use agora_core::{ErrorKind, config::RegistrationMode};
use agora_service::accounts::{self, SessionKind, SignUp};
use askama::Template;
use serde::Deserialize;

/// The sign-up page.
#[derive(Template)]
#[template(path = "signup.html")]
pub struct SignupPage {
    p: PageCtx,
    closed: bool,
    error: Option<String>,
    handle: String,
    display_name: String,
    email: String,
}

/// `GET /signup`.
#[get("/signup")]
pub async fn signup_form(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let (p, _, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let closed = state.ctx.config.instance.registration == RegistrationMode::Closed;
    render(
        &SignupPage {
            p,
            closed,
            error: None,
            handle: String::new(),
            display_name: String::new(),
            email: String::new(),
        },
        cookie,
        lang,
    )
}

/// Opens a web session for `user_id` and redirects to `to` with its cookie set.
async fn signed_in_redirect(state: &WebState, user_id: i64, to: &str) -> HttpResult<HttpResponse> {
    let (token, _) = accounts::open_session(&state.ctx, user_id, SessionKind::Web).await?;
    let mut response = redirect(to);
    let secure = state.ctx.config.instance.scheme == "https";
    response
        .add_cookie(&auth::session_cookie(token, secure))
        .map_err(|e| HttpError::json(ErrorKind::Internal, e.to_string()))?;
    Ok(response)
}

/// The sign-up form.
#[derive(Deserialize)]
pub struct SignupForm {
    csrf: String,
    handle: String,
    display_name: Option<String>,
    email: String,
    password: String,
}

/// `POST /signup`. A refused field shows the form again with what was typed (but the password).
#[post("/signup")]
pub async fn signup(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<SignupForm>,
) -> HttpResult<HttpResponse> {
    let form = form.into_inner();
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    auth::check_csrf(&req, user.as_ref(), &form.csrf, lang)?;
    let signup = SignUp {
        handle: form.handle.trim().to_string(),
        email: Some(form.email.clone()),
        password: form.password,
        display_name: form.display_name.clone(),
    };
    match accounts::register(&state.ctx, signup, &auth::client_key(&req, &state)).await {
        Ok((user, _)) if user.approved => {
            signed_in_redirect(&state, user.id, "/?notice=signed-up").await
        }
        Ok(_) => Ok(redirect("/login?notice=pending-approval")),
        Err(e) if matches!(e.kind, ErrorKind::InvalidField | ErrorKind::Conflict) => {
            let error = Some(HttpError::from(e).in_lang(lang).message());
            let page = SignupPage {
                p,
                closed: false,
                error,
                handle: form.handle,
                display_name: form.display_name.unwrap_or_default(),
                email: form.email,
            };
            let mut response = render(&page, cookie, lang)?;
            *response.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
            Ok(response)
        }
        Err(e) => Err(HttpError::from(e).in_lang(lang)),
    }
}

/// The log-in page.
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    p: PageCtx,
    error: Option<String>,
    username: String,
}

/// `GET /login`.
#[get("/login")]
pub async fn login_form(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let (p, _, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    render(
        &LoginPage {
            p,
            error: None,
            username: String::new(),
        },
        cookie,
        lang,
    )
}

/// The log-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    csrf: String,
    username: String,
    password: String,
}

/// `POST /login`.
#[post("/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<LoginForm>,
) -> HttpResult<HttpResponse> {
    let form = form.into_inner();
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    auth::check_csrf(&req, user.as_ref(), &form.csrf, lang)?;
    match accounts::authenticate(
        &state.ctx,
        &form.username,
        &form.password,
        &auth::client_key(&req, &state),
    )
    .await
    {
        Ok((user, _)) => signed_in_redirect(&state, user.id, "/").await,
        Err(e)
            if matches!(
                e.kind,
                ErrorKind::InvalidCredentials | ErrorKind::AccountPendingApproval
            ) =>
        {
            let status = actix_web::http::StatusCode::from_u16(e.kind.status())
                .unwrap_or(actix_web::http::StatusCode::UNAUTHORIZED);
            let error = Some(HttpError::from(e).in_lang(lang).message());
            let mut response = render(
                &LoginPage {
                    p,
                    error,
                    username: form.username,
                },
                cookie,
                lang,
            )?;
            *response.status_mut() = status;
            Ok(response)
        }
        Err(e) => Err(HttpError::from(e).in_lang(lang)),
    }
}

/// A form with only its token.
#[derive(Deserialize)]
pub struct CsrfForm {
    pub(crate) csrf: String,
}

/// `POST /logout`.
#[post("/logout")]
pub async fn logout(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<CsrfForm>,
) -> HttpResult<HttpResponse> {
    form_user(&req, &state, &form.csrf).await?;
    if let Some(cookie) = req.cookie(auth::SESSION_COOKIE) {
        accounts::logout(&state.ctx, cookie.value()).await?;
    }
    let mut response = redirect("/");
    response
        .add_removal_cookie(&auth::expired_session_cookie())
        .map_err(|e| HttpError::json(ErrorKind::Internal, e.to_string()))?;
    Ok(response)
}

/// Query of the confirmation link.
#[derive(Deserialize)]
pub struct ConfirmQuery {
    token: Option<String>,
}

/// `GET /confirm-email?token=…`: the link from the confirmation e-mail.
#[get("/confirm-email")]
pub async fn confirm_email(
    req: HttpRequest,
    state: web::Data<WebState>,
    query: web::Query<ConfirmQuery>,
) -> HttpResult<HttpResponse> {
    let (p, _, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    accounts::confirm_email(&state.ctx, query.token.as_deref().unwrap_or(""))
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    let page = MessagePage {
        title: lang.t("title-email-confirmed"),
        message: lang.t("notice-email-confirmed"),
        p,
    };
    render(&page, cookie, lang)
}

/// The settings page.
#[derive(Template)]
#[template(path = "settings.html")]
pub struct SettingsPage {
    p: PageCtx,
    display_name: String,
    summary: String,
    manual: bool,
    email: String,
    email_confirmed: bool,
    error: Option<String>,
}

impl SettingsPage {
    /// The settings of a signed-in account, with an optional error to show.
    fn new(p: PageCtx, user: &accounts::SignedIn, error: Option<String>) -> SettingsPage {
        SettingsPage {
            p,
            display_name: user.actor.display_name.clone(),
            summary: summary_source(&user.actor.summary),
            manual: user.actor.manually_approves_followers,
            email: (user.user.email.clone())
                .or_else(|| user.user.unconfirmed_email.clone())
                .unwrap_or_default(),
            email_confirmed: user.user.email_confirmed_at.is_some(),
            error,
        }
    }
}

/// `GET /settings`: the only page that shows the account's e-mail address.
#[get("/settings")]
pub async fn settings(req: HttpRequest, state: web::Data<WebState>) -> HttpResult<HttpResponse> {
    let (p, user, cookie) = page_ctx(&req, &state).await?;
    let lang = p.lang;
    let Some(user) = user else {
        return Ok(redirect("/login"));
    };
    let page = SettingsPage::new(p, &user, None);
    render(&page, cookie, lang)
}

/// The password form.
#[derive(Deserialize)]
pub struct PasswordForm {
    csrf: String,
    current_password: String,
    new_password: String,
}

/// `POST /settings/password`.
#[post("/settings/password")]
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<PasswordForm>,
) -> HttpResult<HttpResponse> {
    let user = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&user));
    match accounts::change_password(
        &state.ctx,
        &user,
        &form.current_password,
        &form.new_password,
    )
    .await
    {
        Ok(()) => Ok(redirect("/settings?notice=password-changed")),
        Err(e)
            if matches!(
                e.kind,
                ErrorKind::InvalidField | ErrorKind::InvalidCredentials
            ) =>
        {
            let (p, _, cookie) = page_ctx(&req, &state).await?;
            let page =
                SettingsPage::new(p, &user, Some(HttpError::from(e).in_lang(lang).message()));
            let mut response = render(&page, cookie, lang)?;
            *response.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
            Ok(response)
        }
        Err(e) => Err(HttpError::from(e).in_lang(lang)),
    }
}

/// The plain text of a biography stored as HTML, for editing.
fn summary_source(html: &str) -> String {
    html.replace("</p><p>", "\n\n")
        .replace("<br>", "\n")
        .replace("<p>", "")
        .replace("</p>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The profile form.
#[derive(Deserialize)]
pub struct ProfileForm {
    csrf: String,
    display_name: String,
    summary: String,
    manually_approves_followers: Option<String>,
}

/// `POST /settings/profile`.
#[post("/settings/profile")]
pub async fn update_profile(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<ProfileForm>,
) -> HttpResult<HttpResponse> {
    let form = form.into_inner();
    let user = form_user(&req, &state, &form.csrf).await?;
    let lang = auth::lang(&req, &state, Some(&user));
    let edit = accounts::ProfileEdit {
        display_name: Some(form.display_name),
        summary: Some(form.summary),
        manually_approves_followers: Some(form.manually_approves_followers.is_some()),
    };
    accounts::update_profile(&state.ctx, &user, edit)
        .await
        .map_err(|e| HttpError::from(e).in_lang(lang))?;
    Ok(redirect("/settings?notice=profile-saved"))
}

/// The language form.
#[derive(Deserialize)]
pub struct LanguageForm {
    csrf: String,
    lang: String,
}

/// `POST /settings/language`: stored on the account when signed in, in a cookie otherwise.
#[post("/settings/language")]
pub async fn set_language(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<LanguageForm>,
) -> HttpResult<HttpResponse> {
    let user = auth::web_user(&req, &state).await?;
    let current = auth::lang(&req, &state, user.as_ref());
    auth::check_csrf(&req, user.as_ref(), &form.csrf, current)?;
    let lang = Lang::parse(&form.lang).ok_or_else(|| {
        HttpError::json(ErrorKind::InvalidField, "lang: en or fr").in_lang(current)
    })?;
    if let Some(user) = &user {
        agora_service::accounts::set_locale(&state.ctx, &user.user, lang.code()).await?;
    }
    let back = req
        .headers()
        .get("referer")
        .and_then(|r| r.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .filter(|u| state.ctx.urls.is_local(u.as_str()))
        .map(|u| u.path().to_string())
        .unwrap_or_else(|| "/".into());
    let mut response = redirect(&back);
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .same_site(SameSite::Lax)
        .permanent()
        .finish();
    response
        .add_cookie(&cookie)
        .map_err(|e| HttpError::json(ErrorKind::Internal, e.to_string()))?;
    Ok(response)
}
