//! Auth's errors and how each answers over HTTP.

use axum::response::{IntoResponse, Response};
use kit::Problem;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("email or password is wrong")]
    InvalidCredentials,
    #[error("this account is disabled")]
    Disabled,
    #[error("too many failed attempts")]
    Throttled { retry_after: u64 },
    #[error("too many password checks in progress, please try again")]
    Busy,
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("refresh token is invalid, expired or revoked")]
    InvalidRefresh,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(&'static str),
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("{0}")]
    UnsupportedMedia(&'static str),
    #[error("{0}")]
    TooLarge(&'static str),
    #[error(transparent)]
    Problem(#[from] Problem),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AuthError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { field, message: message.into() }
    }
}

impl From<sea_orm::DbErr> for AuthError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Internal(e.into())
    }
}

impl From<crate::password::PasswordError> for AuthError {
    fn from(e: crate::password::PasswordError) -> Self {
        match e {
            crate::password::PasswordError::Busy => Self::Busy,
            other => Self::Internal(other.into()),
        }
    }
}

impl From<crate::keys::KeyError> for AuthError {
    fn from(e: crate::keys::KeyError) -> Self {
        Self::Internal(e.into())
    }
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        let problem = match self {
            AuthError::InvalidCredentials | AuthError::Disabled | AuthError::InvalidRefresh => {
                Problem::unauthorized(self.to_string())
            }
            AuthError::Throttled { retry_after } => Problem::too_many_requests(retry_after),
            AuthError::Busy => {
                let mut p = Problem::service_unavailable(self.to_string());
                p.retry_after = Some(1);
                p
            }
            AuthError::EmailTaken | AuthError::Conflict(_) => Problem::conflict(self.to_string()),
            AuthError::NotFound => Problem::not_found(),
            AuthError::Invalid { field, message } => Problem::invalid_field(field, message),
            AuthError::UnsupportedMedia(m) => Problem::unsupported_media_type(m),
            AuthError::TooLarge(m) => Problem::payload_too_large(m),
            AuthError::Problem(p) => p,
            AuthError::Internal(e) => Problem::unexpected(&e),
        };
        problem.into_response()
    }
}

pub type Result<T, E = AuthError> = std::result::Result<T, E>;
