//! The notification service's errors and how each answers over HTTP.

use axum::response::{IntoResponse, Response};
use kit::Problem;

#[derive(Debug, thiserror::Error)]
pub enum NotificationError {
    /// Unknown, or not the caller's to see: the same answer for both.
    #[error("not found")]
    NotFound,
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error(transparent)]
    Problem(#[from] Problem),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl NotificationError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { field, message: message.into() }
    }
}

impl From<sea_orm::DbErr> for NotificationError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Internal(e.into())
    }
}

impl IntoResponse for NotificationError {
    fn into_response(self) -> Response {
        match self {
            NotificationError::NotFound => Problem::not_found(),
            NotificationError::Invalid { field, message } => Problem::invalid_field(field, message),
            NotificationError::Problem(p) => p,
            NotificationError::Internal(e) => Problem::unexpected(&e),
        }
        .into_response()
    }
}

pub type Result<T, E = NotificationError> = std::result::Result<T, E>;
