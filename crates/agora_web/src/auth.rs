//! Who is asking: web sessions (HttpOnly SameSite cookie, CSRF token on every form) and API
//! bearer tokens.

use crate::{
    error::{HttpError, HttpResult},
    i18n::Lang,
    state::WebState,
};
use actix_web::{
    HttpRequest,
    cookie::{Cookie, SameSite, time::Duration as CookieDuration},
    web,
};
use agora_core::{ErrorKind, client_addr};
use agora_service::accounts::{self, SessionKind, SignedIn};

/// Cookie holding the web session secret.
pub const SESSION_COOKIE: &str = "agora_session";
/// Cookie holding the anti-forgery token of visitors not signed in (double-submit).
pub const CSRF_COOKIE: &str = "agora_csrf";

/// The signed-in account of a web request, if any.
pub async fn web_user(req: &HttpRequest, state: &WebState) -> HttpResult<Option<SignedIn>> {
    let Some(cookie) = req.cookie(SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(accounts::session(&state.ctx, cookie.value(), SessionKind::Web).await?)
}

/// The account of an API request (`Authorization: Bearer …`), or 401.
pub async fn api_user(req: &HttpRequest, state: &WebState) -> HttpResult<SignedIn> {
    let token = req
        .headers()
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or_else(|| {
            HttpError::json(
                ErrorKind::Unauthorized,
                "send Authorization: Bearer TOKEN (POST /api/v1/auth/token)",
            )
        })?;
    accounts::session(&state.ctx, token, SessionKind::Api)
        .await?
        .ok_or_else(|| HttpError::json(ErrorKind::Unauthorized, "token unknown or expired"))
}

/// The account of an API request that may also come from anyone: none without an
/// `Authorization` header, 401 with a bad one.
pub async fn api_viewer(req: &HttpRequest, state: &WebState) -> HttpResult<Option<SignedIn>> {
    if req.headers().contains_key("authorization") {
        api_user(req, state).await.map(Some)
    } else {
        Ok(None)
    }
}

/// The language of a request for this user.
pub fn lang(req: &HttpRequest, state: &WebState, user: Option<&SignedIn>) -> Lang {
    Lang::negotiate(
        req,
        user.and_then(|u| u.user.locale.as_deref()),
        &state.ctx.config.instance.default_locale,
    )
}

/// The anti-forgery token to put in forms: the session's, or the visitor cookie's.
pub fn csrf_token(req: &HttpRequest, user: Option<&SignedIn>) -> Option<String> {
    match user {
        Some(u) => Some(u.session.csrf_token.clone()),
        None => req.cookie(CSRF_COOKIE).map(|c| c.value().to_string()),
    }
}

/// A fresh visitor anti-forgery cookie, when the visitor has none yet.
pub fn visitor_csrf_cookie(req: &HttpRequest, secure: bool) -> Option<(String, Cookie<'static>)> {
    if req.cookie(CSRF_COOKIE).is_some() {
        return None;
    }
    let token = agora_service::secrets::new_token();
    let cookie = Cookie::build(CSRF_COOKIE, token.clone())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish();
    Some((token, cookie))
}

/// Checks the `csrf` form field against the session (or visitor) token.
pub fn check_csrf(
    req: &HttpRequest,
    user: Option<&SignedIn>,
    submitted: &str,
    lang: Lang,
) -> HttpResult<()> {
    let expected = csrf_token(req, user).unwrap_or_default();
    if expected.is_empty() || !agora_service::secrets::constant_time_eq(&expected, submitted) {
        return Err(
            HttpError::json(ErrorKind::CsrfFailed, "reload the page and try again").in_lang(lang),
        );
    }
    Ok(())
}

/// The session cookie for a new web session.
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(accounts::WEB_SESSION_DAYS))
        .finish()
}

/// A cookie that removes the session cookie.
pub fn expired_session_cookie() -> Cookie<'static> {
    let mut cookie = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    cookie.make_removal();
    cookie
}

/// The key the client's rate limits are counted under: its address (the IPv6 /64), as the TCP
/// peer or, behind a trusted proxy, as the proxy forwarded it.
pub fn client_key(req: &HttpRequest, state: &WebState) -> String {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    match req.peer_addr() {
        Some(peer) => client_addr::rate_key(state.proxies.client(
            peer.ip(),
            header("forwarded"),
            header("x-forwarded-for"),
        )),
        None => "unknown".into(),
    }
}

/// Whether cookies must be `Secure`.
pub fn secure(state: &web::Data<WebState>) -> bool {
    state.ctx.config.instance.scheme == "https"
}
