//! [`TestClient`]: the one way a test calls a service, in process (a
//! [`Router`], no socket) or over HTTP (a base URL, through real sockets
//! and middleware that needs a peer address), with the same typed calls
//! and the same [`Reply`] either way.
//!
//! ```ignore
//! let reply = client.post("/api/v1/ratings").bearer(&token).json(&body).send().await;
//! assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
//! ```

use std::time::Duration;

use axum::{Router, body::Body};
use bytes::Bytes;
use http::{Extensions, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use super::multipart::{FilePart, form};

/// Where a [`TestClient`]'s requests go.
#[derive(Clone)]
enum Target {
    /// Handed to the router in process.
    Router(Router),
    /// Sent over HTTP to `base` (no trailing slash).
    Url { base: String, http: reqwest::Client },
}

/// Calls one service (or the gateway) as a client would.
#[derive(Clone)]
pub struct TestClient {
    target: Target,
}

impl TestClient {
    /// Requests handed to `router` in process.
    pub fn router(router: Router) -> Self {
        Self { target: Target::Router(router) }
    }

    /// Requests sent over HTTP to `base` (`http://127.0.0.1:<port>`); each
    /// may take 30 s at most, so a hung server fails the test instead of
    /// stalling the run.
    pub fn url(base: &str) -> Self {
        Self::over_http(base, reqwest::Client::builder())
    }

    /// Like [`url`](Self::url), from local address `local` (a proxy at
    /// 127.0.0.2 while 127.0.0.1 is anyone).
    pub fn url_from(base: &str, local: std::net::IpAddr) -> Self {
        Self::over_http(base, reqwest::Client::builder().local_address(local))
    }

    fn over_http(base: &str, http: reqwest::ClientBuilder) -> Self {
        let http = http.timeout(Duration::from_secs(30)).build().unwrap();
        Self { target: Target::Url { base: base.trim_end_matches('/').to_owned(), http } }
    }

    /// The base URL of an HTTP client (`None` in process).
    pub fn base(&self) -> Option<&str> {
        match &self.target {
            Target::Router(_) => None,
            Target::Url { base, .. } => Some(base),
        }
    }

    pub fn request(&self, method: Method, path: &str) -> Call<'_> {
        Call {
            client: self,
            method,
            path: path.to_owned(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
            extensions: Extensions::new(),
        }
    }

    pub fn get(&self, path: &str) -> Call<'_> {
        self.request(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Call<'_> {
        self.request(Method::POST, path)
    }

    pub fn put(&self, path: &str) -> Call<'_> {
        self.request(Method::PUT, path)
    }

    pub fn patch(&self, path: &str) -> Call<'_> {
        self.request(Method::PATCH, path)
    }

    pub fn delete(&self, path: &str) -> Call<'_> {
        self.request(Method::DELETE, path)
    }
}

/// One request being put together; [`send`](Self::send) it.
pub struct Call<'a> {
    client: &'a TestClient,
    method: Method,
    path: String,
    headers: HeaderMap,
    body: Bytes,
    extensions: Extensions,
}

impl Call<'_> {
    /// Adds (appends) a header.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName, Error: std::fmt::Debug>,
        V: TryInto<HeaderValue, Error: std::fmt::Debug>,
    {
        self.headers.append(name.try_into().unwrap(), value.try_into().unwrap());
        self
    }

    /// Adds (appends) each `(name, value)` of `pairs`.
    pub fn headers(self, pairs: &[(&str, &str)]) -> Self {
        pairs.iter().fold(self, |call, (name, value)| call.header(*name, *value))
    }

    /// `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Self {
        self.header(header::AUTHORIZATION, format!("Bearer {token}"))
    }

    /// [`bearer`](Self::bearer) when there is a token, else anonymous.
    pub fn maybe_bearer(self, token: Option<&str>) -> Self {
        match token {
            Some(t) => self.bearer(t),
            None => self,
        }
    }

    /// `body` as JSON, with its content type.
    pub fn json(self, body: &impl serde::Serialize) -> Self {
        self.body("application/json", serde_json::to_vec(body).unwrap())
    }

    /// A raw body of `content_type` (a multipart form, a file, bad JSON).
    pub fn body(mut self, content_type: &str, body: impl Into<Bytes>) -> Self {
        self.headers.insert(header::CONTENT_TYPE, HeaderValue::try_from(content_type).unwrap());
        self.body = body.into();
        self
    }

    /// A `multipart/form-data` body of text `fields` and one `file`.
    pub fn multipart(self, fields: &[(&str, &str)], file: &FilePart<'_>) -> Self {
        let (content_type, body) = form(fields, file);
        self.body(&content_type, body)
    }

    /// A request extension, as a middleware in front of the service would
    /// set it (the gateway's `ClientIp`). In process only: extensions do
    /// not cross a socket, so an HTTP client refuses them.
    pub fn extension<T: Clone + Send + Sync + 'static>(mut self, value: T) -> Self {
        self.extensions.insert(value);
        self
    }

    pub async fn send(self) -> Reply {
        let (status, headers, bytes) = match &self.client.target {
            Target::Router(router) => {
                let mut req = Request::builder().method(self.method).uri(&self.path);
                *req.headers_mut().unwrap() = self.headers;
                let mut req = req.body(Body::from(self.body)).unwrap();
                *req.extensions_mut() = self.extensions;
                let res = router.clone().oneshot(req).await.unwrap();
                let (parts, body) = res.into_parts();
                (parts.status, parts.headers, body.collect().await.unwrap().to_bytes())
            }
            Target::Url { base, http } => {
                assert!(self.extensions.is_empty(), "request extensions reach an in-process router only");
                let res = http
                    .request(self.method, format!("{base}{}", self.path))
                    .headers(self.headers)
                    .body(self.body)
                    .send()
                    .await
                    .unwrap();
                let (status, headers) = (res.status(), res.headers().clone());
                (status, headers, res.bytes().await.unwrap())
            }
        };
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply { status, headers, bytes: bytes.to_vec(), body }
    }
}

/// What came back: the status, the headers, the raw bytes and the body as
/// JSON (`Null` when it is empty or not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub body: Value,
}

impl Reply {
    /// Header `name` as text, when present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as text (an HTML page, a CSV file).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// The `id` of what was created (panics, saying what came instead, when
    /// there is none).
    pub fn id(&self) -> i64 {
        self.body["id"].as_i64().unwrap_or_else(|| panic!("no id in {} {}", self.status, self.body))
    }
}
