//! The one error type at the HTTP edge: a kind (the API contract), a detail, and a translated
//! message. Whether it is answered as JSON (`{"error", "message"}`) or as an HTML page is
//! decided once, from the request, by `routes::observe`; handlers only say the language when
//! they know the user's.

use crate::i18n::Lang;
use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use agora_core::ErrorKind;
use agora_federation::{FederationError, error::Reason};
use agora_service::ServiceError;

/// How the error is shown, chosen from the request (`Format::of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `{"error": code, "message": …}`.
    Json,
    /// A small HTML page.
    Html,
}

impl Format {
    /// JSON for the API, ActivityPub and the well-known documents, and for whoever asks for
    /// JSON rather than HTML; an HTML page for browsers.
    pub fn of(req: &actix_web::HttpRequest) -> Format {
        let path = req.path();
        let machine = path.starts_with("/api/")
            || path.starts_with("/.well-known/")
            || path.starts_with("/nodeinfo")
            || path.ends_with("/inbox")
            || matches!(path, "/metrics" | "/health");
        let accept = req
            .headers()
            .get("accept")
            .and_then(|a| a.to_str().ok())
            .unwrap_or_default();
        let wants_json = crate::negotiate::wants_activity_json(req)
            || (accept.contains("application/json") && !accept.contains("text/html"));
        if machine || wants_json {
            Format::Json
        } else {
            Format::Html
        }
    }
}

/// An error answered to a client.
#[derive(Debug)]
pub struct HttpError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Safe detail (which field, which rule).
    pub detail: String,
    /// Why another server's request (or a lookup) was refused: its code is sent as `reason`
    /// and its own sentence replaces the kind's.
    pub reason: Option<Reason>,
    /// JSON or HTML.
    pub format: Format,
    /// Language of the message, when the handler chose it (the signed-in user's); otherwise
    /// the request's is used.
    pub lang: Option<Lang>,
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.detail)
    }
}

impl HttpError {
    /// A JSON error.
    pub fn json(kind: ErrorKind, detail: impl Into<String>) -> HttpError {
        HttpError {
            kind,
            detail: detail.into(),
            reason: None,
            format: Format::Json,
            lang: None,
        }
    }

    /// Sets the language of the message (the signed-in user's, when the handler knows it).
    pub fn in_lang(mut self, lang: Lang) -> HttpError {
        self.lang = Some(lang);
        self
    }

    /// The language the message is in.
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or(Lang::En)
    }

    /// The translated message: the kind's sentence, then the detail.
    pub fn message(&self) -> String {
        if let Some(reason) = self.reason {
            return self.lang().t(&crate::i18n::refusal_key(reason));
        }
        let base = self.lang().t(&crate::i18n::error_key(self.kind));
        if self.detail.is_empty() || self.kind == ErrorKind::Internal {
            base
        } else {
            format!("{base} ({})", self.detail)
        }
    }
}

impl From<ServiceError> for HttpError {
    fn from(e: ServiceError) -> Self {
        HttpError::json(e.kind, e.detail)
    }
}

impl From<FederationError> for HttpError {
    fn from(e: FederationError) -> Self {
        match e {
            FederationError::Refused { reason, detail } => {
                tracing::info!(%reason, %detail, "refused");
                HttpError {
                    reason: Some(reason),
                    ..HttpError::json(reason.kind(), "")
                }
            }
            FederationError::Service(s) => s.into(),
            other => {
                let kind = other.kind();
                tracing::warn!(error = %other, "federation error");
                HttpError::json(kind, "")
            }
        }
    }
}

impl ResponseError for HttpError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        if self.kind == ErrorKind::RateLimited {
            response.insert_header(("Retry-After", "900"));
        }
        match self.format {
            Format::Json => match self.reason {
                Some(reason) => response.json(serde_json::json!({
                    "error": self.kind,
                    "reason": reason.code(),
                    "message": self.message(),
                })),
                None => response
                    .json(serde_json::json!({ "error": self.kind, "message": self.message() })),
            },
            Format::Html => response
                .content_type("text/html; charset=utf-8")
                .insert_header(("Content-Security-Policy", crate::pages::PAGE_CSP))
                .body(crate::pages::error_page(self)),
        }
    }
}

/// Shorthand for handler results.
pub type HttpResult<T> = Result<T, HttpError>;
