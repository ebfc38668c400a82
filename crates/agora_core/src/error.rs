//! Error kinds: the stable, snake_case codes that the JSON API returns and the web layer translates.

use serde::Serialize;

/// What went wrong, as a client may act on it. The snake_case name is the API contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request body or a parameter is malformed.
    #[error("bad_request")]
    BadRequest,
    /// A field failed validation; the message names it.
    #[error("invalid_field")]
    InvalidField,
    /// No valid session or token.
    #[error("unauthorized")]
    Unauthorized,
    /// Signed in, but not allowed to do this.
    #[error("forbidden")]
    Forbidden,
    /// The thing asked for does not exist (or is not visible to the caller).
    #[error("not_found")]
    NotFound,
    /// The thing exists already (handle taken, e-mail in use, already following).
    #[error("conflict")]
    Conflict,
    /// Wrong user name or password.
    #[error("invalid_credentials")]
    InvalidCredentials,
    /// The account waits for an administrator's approval.
    #[error("account_pending_approval")]
    AccountPendingApproval,
    /// This node does not accept new accounts.
    #[error("registrations_closed")]
    RegistrationsClosed,
    /// Too many attempts; retry later.
    #[error("rate_limited")]
    RateLimited,
    /// The form's anti-forgery token is missing or wrong.
    #[error("csrf_failed")]
    CsrfFailed,
    /// The request body exceeds the size limit.
    #[error("payload_too_large")]
    PayloadTooLarge,
    /// Removed by a moderator: hidden, or its account suspended.
    #[error("gone")]
    Gone,
    /// The account is suspended by a moderator.
    #[error("account_suspended")]
    AccountSuspended,
    /// A remote server could not be reached or answered nonsense.
    #[error("remote_unavailable")]
    RemoteUnavailable,
    /// A bug or an unavailable database; details are in the log only.
    #[error("internal")]
    Internal,
}

impl ErrorKind {
    /// The HTTP status code this kind maps to.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::BadRequest | ErrorKind::InvalidField => 400,
            ErrorKind::Unauthorized | ErrorKind::InvalidCredentials => 401,
            ErrorKind::Forbidden
            | ErrorKind::CsrfFailed
            | ErrorKind::AccountPendingApproval
            | ErrorKind::RegistrationsClosed
            | ErrorKind::AccountSuspended => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::Gone => 410,
            ErrorKind::PayloadTooLarge => 413,
            ErrorKind::RateLimited => 429,
            ErrorKind::RemoteUnavailable => 502,
            ErrorKind::Internal => 500,
        }
    }

    /// The snake_case code, as serialised.
    pub fn code(self) -> String {
        self.to_string()
    }
}
