//! The appointment service's errors and how each answers over HTTP.

use axum::response::{IntoResponse, Response};
use kit::Problem;

#[derive(Debug, thiserror::Error)]
pub enum AppointmentError {
    /// Unknown, or not the caller's to see: the same answer for both.
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Forbidden(&'static str),
    /// The request is well formed but collides with the current state
    /// (slot taken, overlapping, wrong status, too late to cancel).
    #[error("{0}")]
    Conflict(String),
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error(transparent)]
    Problem(#[from] Problem),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppointmentError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { field, message: message.into() }
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }
}

impl From<sea_orm::DbErr> for AppointmentError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Internal(e.into())
    }
}

/// Deadlock victims and lock timeouts are worth running again.
impl kit::db::Transient for AppointmentError {
    fn is_transient(&self) -> bool {
        matches!(self, Self::Internal(e) if e.is_transient())
    }
}

impl IntoResponse for AppointmentError {
    fn into_response(self) -> Response {
        match self {
            AppointmentError::NotFound => Problem::not_found(),
            AppointmentError::Forbidden(m) => Problem::forbidden(m),
            AppointmentError::Conflict(m) => Problem::conflict(m),
            AppointmentError::Invalid { field, message } => Problem::invalid_field(field, message),
            AppointmentError::Problem(p) => p,
            AppointmentError::Internal(e) => Problem::unexpected(&e),
        }
        .into_response()
    }
}

pub type Result<T, E = AppointmentError> = std::result::Result<T, E>;
