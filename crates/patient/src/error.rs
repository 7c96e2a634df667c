//! The patient service's errors and how each answers over HTTP.

use axum::response::{IntoResponse, Response};
use kit::Problem;

#[derive(Debug, thiserror::Error)]
pub enum PatientError {
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

impl PatientError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { field, message: message.into() }
    }
}

impl From<sea_orm::DbErr> for PatientError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Internal(e.into())
    }
}

impl From<kit::crypto::CryptoError> for PatientError {
    fn from(e: kit::crypto::CryptoError) -> Self {
        Self::Internal(e.into())
    }
}

impl IntoResponse for PatientError {
    fn into_response(self) -> Response {
        match self {
            PatientError::NotFound => Problem::not_found(),
            PatientError::Forbidden(m) => Problem::forbidden(m),
            PatientError::Invalid { field, message } => Problem::invalid_field(field, message),
            PatientError::Problem(p) => p,
            PatientError::Internal(e) => Problem::unexpected(&e),
        }
        .into_response()
    }
}

pub type Result<T, E = PatientError> = std::result::Result<T, E>;
