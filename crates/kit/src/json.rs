//! JSON bodies whose errors speak problem+json: 400 malformed, 415 wrong
//! media type, 413 too large, 422 for values that parse but are invalid.

use axum::{
    extract::{FromRequest, Request, rejection::JsonRejection},
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;
use validator::{Validate, ValidationErrors};

use crate::{
    problem::{FieldErrors, Problem},
    rejection::public_message,
};

/// Like `axum::Json`, but rejections are [`Problem`]s. Also a response type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

fn json_rejection(rejection: JsonRejection) -> Problem {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            Problem::unsupported_media_type("expected Content-Type: application/json")
        }
        JsonRejection::JsonDataError(e) => {
            // Serde's message names the field and the expectation, once
            // the Rust type names in it are put in JSON terms.
            Problem::invalid_field("body", public_message(&e.body_text()))
        }
        JsonRejection::BytesRejection(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
            Problem::payload_too_large("request body too large")
        }
        other => Problem::bad_request(public_message(&other.body_text())),
    }
}

/// A JSON body that must also pass its `validator` rules (422 otherwise).
#[derive(Debug, Clone, Copy, Default)]
pub struct ValidJson<T>(pub T);

impl<T, S> FromRequest<S> for ValidJson<T>
where
    T: DeserializeOwned + Validate,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Json(value) = Json::<T>::from_request(req, state).await?;
        value.validate().map_err(validation_problem)?;
        Ok(ValidJson(value))
    }
}

/// An optional body (`Option<ValidJson<T>>`): a request with no body and no
/// content type is `None`; anything sent must be valid JSON of `T`.
impl<T, S> axum::extract::OptionalFromRequest<S> for ValidJson<T>
where
    T: DeserializeOwned + Validate,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        let headers = req.headers();
        let empty = headers.get(axum::http::header::CONTENT_TYPE).is_none()
            && headers
                .get(axum::http::header::CONTENT_LENGTH)
                .is_none_or(|v| v.to_str().is_ok_and(|n| n.trim() == "0"));
        if empty {
            return Ok(None);
        }
        <Self as FromRequest<S>>::from_request(req, state).await.map(Some)
    }
}

/// `validator` errors → 422 with `errors: {field: [messages]}`.
pub fn validation_problem(errors: ValidationErrors) -> Problem {
    let mut out = FieldErrors::new();
    collect(&errors, "", &mut out);
    Problem::invalid(out)
}

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut FieldErrors) {
    use validator::ValidationErrorsKind as K;
    for (field, kind) in errors.errors() {
        let name = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            // Flattened on the wire (`#[serde(flatten)]`, which validator
            // cannot see): its fields answer at the parent's level.
            K::Struct(inner) if field == crate::accounts::PERSON => collect(inner, prefix, out),
            K::Field(list) => {
                let msgs = list.iter().map(|e| {
                    e.message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| format!("is invalid ({})", e.code))
                });
                out.entry(name).or_default().extend(msgs);
            }
            K::Struct(inner) => collect(inner, &name, out),
            K::List(items) => {
                for (i, inner) in items {
                    collect(inner, &format!("{name}[{i}]"), out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{Router, body::Body, http::Request as HttpRequest, routing::post};
    use serde::Deserialize;
    use tower::ServiceExt;

    #[derive(Deserialize, Validate)]
    struct Body1 {
        #[validate(email(message = "is not an email address"))]
        email: String,
    }

    async fn handler(ValidJson(b): ValidJson<Body1>) -> String {
        b.email
    }

    async fn status_of(content_type: &str, body: &str) -> u16 {
        let app = Router::new().route("/", post(handler));
        let req = HttpRequest::post("/")
            .header("content-type", content_type)
            .body(Body::from(body.to_owned()))
            .unwrap();
        app.oneshot(req).await.unwrap().status().as_u16()
    }

    async fn optional(body: Option<ValidJson<Body1>>) -> String {
        body.map(|ValidJson(b)| b.email).unwrap_or_else(|| "none".into())
    }

    #[tokio::test]
    async fn an_absent_optional_body_is_none_and_a_present_one_is_checked() {
        let app = Router::new().route("/", post(optional));
        let empty = app.clone().oneshot(HttpRequest::post("/").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(empty.status(), 200);
        let bad = HttpRequest::post("/")
            .header("content-type", "application/json")
            .body(Body::from(r#"{"email":"nope"}"#))
            .unwrap();
        assert_eq!(app.oneshot(bad).await.unwrap().status(), 422);
    }

    #[tokio::test]
    async fn maps_rejections_to_problem_statuses() {
        assert_eq!(status_of("application/json", r#"{"email":"a@b.co"}"#).await, 200);
        assert_eq!(status_of("text/plain", r#"{"email":"a@b.co"}"#).await, 415);
        assert_eq!(status_of("application/json", "{not json").await, 400);
        assert_eq!(status_of("application/json", r#"{"email":5}"#).await, 422);
        assert_eq!(status_of("application/json", r#"{"email":"nope"}"#).await, 422);
    }

    #[tokio::test]
    async fn data_errors_do_not_name_rust_types() {
        let app = Router::new().route("/", post(handler));
        let req =
            HttpRequest::post("/").header("content-type", "application/json").body(Body::from("[]")).unwrap();
        let res = app.oneshot(req).await.unwrap();
        assert_eq!(res.status(), 422);
        let body = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("expected an object") && !text.contains("Body1"), "{text}");
    }
}
