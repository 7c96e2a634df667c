//! The rating service's errors and how each answers over HTTP.

use axum::response::{IntoResponse, Response};
use kit::Problem;

#[derive(Debug, thiserror::Error)]
pub enum RatingError {
    /// Unknown, or not the caller's to see: the same answer for both.
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error(transparent)]
    Problem(#[from] Problem),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl RatingError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { field, message: message.into() }
    }
}

impl From<sea_orm::DbErr> for RatingError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Internal(e.into())
    }
}

impl IntoResponse for RatingError {
    fn into_response(self) -> Response {
        match self {
            RatingError::NotFound => Problem::not_found(),
            RatingError::Forbidden(m) => Problem::forbidden(m),
            RatingError::Invalid { field, message } => Problem::invalid_field(field, message),
            RatingError::Problem(p) => p,
            RatingError::Internal(e) => Problem::unexpected(&e),
        }
        .into_response()
    }
}

pub type Result<T, E = RatingError> = std::result::Result<T, E>;
