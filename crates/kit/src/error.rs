//! The one error type of every QuickCare service, and how each kind of
//! failure answers over HTTP (RFC 9457, see [`Problem`]).
//!
//! Services do not define error enums of their own: what is particular to
//! a service is *data* in a variant (the message a 409 explains, the field a
//! 422 names), usually through a named constructor in the service's domain
//! module (`auth::accounts::email_taken()`), so a status code is decided
//! here once. Unexpected failures carry their cause to the response as an
//! extension; [`crate::http`]'s request log writes it, once, with the
//! request's route and id — never into the body.

use std::{borrow::Cow, sync::Arc};

use axum::response::{IntoResponse, Response};
use sea_orm::DbErr;

use crate::Problem;

/// A message known at compile time or built at run time.
pub type Message = Cow<'static, str>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Unknown, or not the caller's to see: the same answer for both.
    #[error("not found")]
    NotFound,
    /// 401: credentials missing, wrong, expired or revoked.
    #[error("{0}")]
    Unauthorized(Message),
    /// 403: known caller, not allowed.
    #[error("{0}")]
    Forbidden(Message),
    /// 409: well formed, but collides with the current state (slot taken,
    /// wrong status, too late to cancel, already exists).
    #[error("{0}")]
    Conflict(Message),
    /// 410: it existed and is over (an expired link).
    #[error("{0}")]
    Gone(Message),
    /// 422 for one field.
    #[error("{field}: {message}")]
    Invalid { field: Message, message: Message },
    /// 413.
    #[error("{0}")]
    TooLarge(Message),
    /// 415.
    #[error("{0}")]
    UnsupportedMedia(Message),
    /// 429 with `Retry-After`.
    #[error("too many requests")]
    Throttled { retry_after: u64 },
    /// 503 with `Retry-After`: the service is saturated right now.
    #[error("{detail}")]
    Busy { detail: Message, retry_after: u64 },
    /// An answer already shaped (several field errors, a peer's problem).
    #[error(transparent)]
    Problem(#[from] Problem),
    /// Anything unexpected: 500, or 503 when the database only gave up for
    /// a passing reason (see [`crate::db::is_unavailable`]).
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: impl Into<Message>, message: impl Into<Message>) -> Self {
        Self::Invalid { field: field.into(), message: message.into() }
    }
    pub fn conflict(message: impl Into<Message>) -> Self {
        Self::Conflict(message.into())
    }
    pub fn forbidden(message: impl Into<Message>) -> Self {
        Self::Forbidden(message.into())
    }
    pub fn unauthorized(message: impl Into<Message>) -> Self {
        Self::Unauthorized(message.into())
    }
    pub fn gone(message: impl Into<Message>) -> Self {
        Self::Gone(message.into())
    }
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self::Internal(cause.into())
    }

    /// The problem document this error answers with.
    fn to_problem(&self) -> Problem {
        match self {
            Error::NotFound => Problem::not_found(),
            Error::Unauthorized(m) => Problem::unauthorized(m.clone()),
            Error::Forbidden(m) => Problem::forbidden(m.clone()),
            Error::Conflict(m) => Problem::conflict(m.clone()),
            Error::Gone(m) => Problem::gone(m.clone()),
            Error::Invalid { field, message } => Problem::invalid_field(field, message.clone()),
            Error::TooLarge(m) => Problem::payload_too_large(m.clone()),
            Error::UnsupportedMedia(m) => Problem::unsupported_media_type(m.clone()),
            Error::Throttled { retry_after } => Problem::too_many_requests(*retry_after),
            Error::Busy { detail, retry_after } => {
                let mut p = Problem::service_unavailable(detail.clone());
                p.retry_after = Some(*retry_after);
                p
            }
            Error::Problem(p) => p.clone(),
            Error::Internal(cause) if crate::db::is_unavailable_cause(cause) => {
                let mut p = Problem::service_unavailable("the database is busy, please try again");
                p.retry_after = Some(1);
                p
            }
            Error::Internal(_) => {
                Problem::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "an unexpected error occurred")
            }
        }
    }
}

impl From<DbErr> for Error {
    fn from(e: DbErr) -> Self {
        Self::Internal(e.into())
    }
}

/// Deadlock victims and lock timeouts are worth running again
/// ([`crate::db::retry_transient`] and friends).
impl crate::db::Transient for Error {
    fn is_transient(&self) -> bool {
        matches!(self, Self::Internal(e) if e.is_transient())
    }
}

/// The cause of an [`Error::Internal`] answer, handed to the request log as
/// a response extension so it is logged once, beside the route it broke.
#[derive(Debug, Clone)]
pub struct InternalCause(pub Arc<anyhow::Error>);

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let mut response = self.to_problem().into_response();
        if let Error::Internal(cause) = self {
            response.extensions_mut().insert(InternalCause(Arc::new(cause)));
        }
        response
    }
}

/// Turns a unique-key violation into the answer the caller can act on
/// (`.on_constraint("users_email_unique", || accounts::email_taken())`);
/// any other database error stays internal.
///
/// MySQL names the violated index in its message, SQLite names the table
/// and columns (`UNIQUE constraint failed: users.email`): `constraint` is
/// matched against either, so pass the index name and make sure it is
/// unique enough to appear in neither message by accident, or pass the
/// `table.column` form that SQLite prints when MySQL's message also
/// carries it.
pub trait OnConstraint<T> {
    fn on_constraint(self, constraint: &str, answer: impl FnOnce() -> Error) -> Result<T>;
}

impl<T> OnConstraint<T> for std::result::Result<T, DbErr> {
    fn on_constraint(self, constraint: &str, answer: impl FnOnce() -> Error) -> Result<T> {
        self.map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(message)) if message.contains(constraint) => {
                answer()
            }
            _ => Error::from(e),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[test]
    fn each_kind_answers_its_status() {
        let cases = [
            (Error::NotFound, StatusCode::NOT_FOUND),
            (Error::unauthorized("no"), StatusCode::UNAUTHORIZED),
            (Error::forbidden("no"), StatusCode::FORBIDDEN),
            (Error::conflict("taken"), StatusCode::CONFLICT),
            (Error::gone("expired"), StatusCode::GONE),
            (Error::invalid("email", "is not an email address"), StatusCode::UNPROCESSABLE_ENTITY),
            (Error::Throttled { retry_after: 3 }, StatusCode::TOO_MANY_REQUESTS),
            (Error::Busy { detail: "busy".into(), retry_after: 1 }, StatusCode::SERVICE_UNAVAILABLE),
            (Error::internal(anyhow::anyhow!("boom")), StatusCode::INTERNAL_SERVER_ERROR),
        ];
        for (error, status) in cases {
            assert_eq!(error.into_response().status(), status);
        }
    }

    #[test]
    fn internal_cause_rides_along_but_stays_out_of_the_body() {
        let response = Error::internal(anyhow::anyhow!("secret table name")).into_response();
        let cause = response.extensions().get::<InternalCause>().map(|c| c.0.to_string());
        assert_eq!(cause.as_deref(), Some("secret table name"));
    }

    #[test]
    fn other_database_errors_stay_internal() {
        let r: std::result::Result<(), DbErr> = Err(DbErr::Custom("x".into()));
        let e = r.on_constraint("users_email_unique", || Error::conflict("taken")).unwrap_err();
        assert!(matches!(e, Error::Internal(_)));
    }
}
