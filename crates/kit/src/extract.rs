//! Path and query extractors whose rejections are problem+json, like every
//! other error (axum's own answer `text/plain`). Services use these instead
//! of `axum::extract::{Path, Query}`; clippy's `disallowed-types` keeps it so.
//!
//! The convention:
//! - a path parameter that does not parse (`/doctors/abc`) names no
//!   resource: **404**, exactly as for an id that does not exist;
//! - a query parameter that does not parse (`?page=-1`, `?per_page=abc`)
//!   is an invalid value: **422** with `errors: {field: [message]}`;
//! - a query value with a NUL character is refused the same way (422): the
//!   databases would cut the text there, so a filter would silently mean
//!   something else than what was sent;
//! - an empty query value (`?city=`) means the parameter is absent, as an
//!   empty HTML form field does;
//! - a body that is not `multipart/form-data` where a form is expected: 415.

#![allow(clippy::disallowed_types)] // the one place that wraps axum's extractors

use axum::extract::{FromRequest, FromRequestParts, Request, path::ErrorKind, rejection::PathRejection};
use http::request::Parts;
use serde::de::DeserializeOwned;

use crate::{Problem, rejection::public_message};

/// Like `axum::extract::Path`, rejecting with a 404 problem.
#[derive(Debug, Clone, Copy)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = crate::Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => Err(path_rejection(rejection)),
        }
    }
}

fn path_rejection(rejection: PathRejection) -> crate::Error {
    match rejection {
        PathRejection::FailedToDeserializePathParams(e)
            if !matches!(
                e.kind(),
                ErrorKind::WrongNumberOfParameters { .. } | ErrorKind::UnsupportedType { .. }
            ) =>
        {
            crate::Error::NotFound
        }
        // The route and its handler disagree: a bug of ours, not the client's.
        other => crate::Error::internal(anyhow::anyhow!(other.body_text())),
    }
}

/// Like `axum::extract::Query`, rejecting with a 422 problem naming the field.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or_default()).map(Query)
    }
}

/// Deserializes a raw query string (without `?`) by the rules above.
pub fn parse_query<T: DeserializeOwned>(raw: &str) -> Result<T, Problem> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw.as_bytes())
        .filter(|(_, value)| !value.is_empty())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if let Some((key, _)) = pairs.iter().find(|(k, v)| k.contains('\0') || v.contains('\0')) {
        return Err(Problem::invalid_field(&key.replace('\0', ""), "must not contain NUL characters"));
    }
    let encoded = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
    let deserializer = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(encoded.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "query" } else { path.as_str() };
        Problem::invalid_field(field, public_message(&e.inner().to_string()))
    })
}

/// Like `axum::extract::Multipart`, rejecting with a 415 problem.
pub struct Multipart(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for Multipart {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(Multipart)
            .map_err(|_| Problem::unsupported_media_type("expected Content-Type: multipart/form-data"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{Router, body::Body, http::Request, routing::get};
    use serde::Deserialize;
    use tower::ServiceExt;

    #[derive(Debug, Deserialize)]
    struct Filter {
        page: Option<u64>,
        city: Option<String>,
    }

    async fn one(Path(id): Path<i64>, Query(f): Query<Filter>) -> String {
        format!("{id} {:?} {:?}", f.page, f.city)
    }

    async fn call(uri: &str) -> (u16, String, String) {
        let app = Router::new().route("/things/{id}", get(one));
        let res = app.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = res.status().as_u16();
        let ct =
            res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let body = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
        (status, ct, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn a_path_that_does_not_parse_is_a_404_problem() {
        for uri in ["/things/abc", "/things/99999999999999999999", "/things/%FF"] {
            let (status, ct, body) = call(uri).await;
            assert_eq!((status, ct.as_str()), (404, crate::problem::CONTENT_TYPE), "{uri}");
            assert!(!body.contains("i64"), "{body}");
        }
        assert_eq!(call("/things/7?page=2&city=Rabat").await.2, "7 Some(2) Some(\"Rabat\")");
    }

    #[tokio::test]
    async fn a_query_that_does_not_parse_is_a_422_naming_the_field() {
        for (uri, field) in [("/things/1?page=-1", "page"), ("/things/1?page=abc", "page")] {
            let (status, ct, body) = call(uri).await;
            assert_eq!((status, ct.as_str()), (422, crate::problem::CONTENT_TYPE), "{uri}");
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert!(v["errors"][field][0].is_string(), "{body}");
            assert!(!body.contains("u64"), "{body}");
        }
    }

    #[tokio::test]
    async fn nul_is_refused_and_empty_values_are_absent() {
        let (status, _, body) = call("/things/1?city=Ra%00bat").await;
        assert_eq!(status, 422);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["errors"]["city"][0], "must not contain NUL characters");
        assert_eq!(call("/things/1?page=&city=").await.2, "1 None None");
    }
}
