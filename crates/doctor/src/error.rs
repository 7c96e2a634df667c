//! The doctor service's errors and how each answers over HTTP.

use axum::response::{IntoResponse, Response};
use kit::Problem;

#[derive(Debug, thiserror::Error)]
pub enum DoctorError {
    /// Unknown, or not the caller's to see: the same answer for both.
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Forbidden(&'static str),
    /// Well formed, but collides with what is stored (duplicate name,
    /// specialty still in use).
    #[error("{0}")]
    Conflict(String),
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error(transparent)]
    Problem(#[from] Problem),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl DoctorError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { field, message: message.into() }
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }
}

impl From<sea_orm::DbErr> for DoctorError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Internal(e.into())
    }
}

impl IntoResponse for DoctorError {
    fn into_response(self) -> Response {
        match self {
            DoctorError::NotFound => Problem::not_found(),
            DoctorError::Forbidden(m) => Problem::forbidden(m),
            DoctorError::Conflict(m) => Problem::conflict(m),
            DoctorError::Invalid { field, message } => Problem::invalid_field(field, message),
            DoctorError::Problem(p) => p,
            DoctorError::Internal(e) => Problem::unexpected(&e),
        }
        .into_response()
    }
}

pub type Result<T, E = DoctorError> = std::result::Result<T, E>;
