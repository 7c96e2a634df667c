//! The refresh token as an `HttpOnly` cookie, for browsers.
//!
//! A page script must never read the refresh token, so a browser client
//! asks for the cookie transport with the [`HEADER`] request header on
//! register, login, refresh and logout. This layer then moves the token out
//! of the JSON answer into a `Set-Cookie` (`HttpOnly; SameSite=Strict;
//! Path=/api/v1/auth`, `Secure` when the public URL is https) and, on
//! refresh and logout, reads it back from the cookie when the body has
//! none. Clients that do not send the header keep today's body fields and
//! are never looked at for cookies.
//!
//! CSRF: the cookie is only honoured together with the custom header, which
//! a cross-site form cannot send and a cross-site `fetch` cannot send
//! without a CORS preflight the gateway does not grant; on top of that a
//! request whose `Origin` (or `Sec-Fetch-Site`) names another site is
//! refused with 403 before anything is read.
//!
//! It wraps the session handlers instead of living in them so that the
//! token logic (rotation, reuse detection, throttling) stays in one place
//! and knows nothing about transports.

use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use cookie::{Cookie, SameSite};
use kit::Problem;
use serde_json::Value;

use crate::{state::AppState, tokens::REFRESH_TTL};

/// The request header that selects the cookie transport (value `1`).
pub const HEADER: &str = "x-refresh-cookie";
/// The cookie's name.
pub const NAME: &str = "qc_refresh";
/// The only path the browser sends the cookie to.
pub const PATH: &str = "/api/v1/auth";
/// Session request and answer bodies are small; anything larger is refused.
const MAX_BODY: usize = 64 * 1024;

/// Whether this request asked for the cookie transport.
fn wants_cookie(headers: &HeaderMap) -> bool {
    headers.get(HEADER).and_then(|v| v.to_str().ok()).is_some_and(|v| v.trim() == "1")
}

/// The layer around register, login, refresh and logout.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !wants_cookie(req.headers()) || req.method() != Method::POST {
        return next.run(req).await;
    }
    if let Err(p) = same_site(req.headers(), &state.ctx.settings.public_url) {
        return p.into_response();
    }
    let secure = state.ctx.settings.public_url.starts_with("https://");
    let reads_cookie = req.uri().path().ends_with("/refresh") || req.uri().path().ends_with("/logout");
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
        }
    };
    let body = if reads_cookie { with_cookie_token(&parts.headers, &bytes) } else { bytes.to_vec() };
    let mut parts = parts;
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    let res = next.run(Request::from_parts(parts, Body::from(body))).await;
    let logout = reads_cookie && res.status() == StatusCode::NO_CONTENT;
    if res.status() == StatusCode::UNAUTHORIZED && reads_cookie || logout {
        // A refused or ended session: the browser should forget the cookie.
        return with_set_cookie(res, &removal(secure));
    }
    if !res.status().is_success() {
        return res;
    }
    move_token_to_cookie(res, secure).await
}

/// Refuses requests that another site made the browser send.
fn same_site(headers: &HeaderMap, public_url: &str) -> Result<(), Problem> {
    let cross = |v: &str| v != "same-origin" && v != "none";
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).is_some_and(cross) {
        return Err(Problem::forbidden("cross-site session request"));
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let authority = origin.split_once("://").map(|(_, a)| a).unwrap_or(origin);
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if Some(authority) == host || origin == public_url.trim_end_matches('/') {
        Ok(())
    } else {
        Err(Problem::forbidden("cross-site session request"))
    }
}

/// The request body with `refresh_token` filled from the cookie when the
/// body has none.
fn with_cookie_token(headers: &HeaderMap, bytes: &[u8]) -> Vec<u8> {
    let mut body = match serde_json::from_slice::<Value>(bytes) {
        Ok(v @ Value::Object(_)) => v,
        _ => Value::Object(Default::default()),
    };
    let has_token = body.get("refresh_token").and_then(Value::as_str).is_some_and(|t| !t.is_empty());
    if let (false, Some(map), Some(token)) = (has_token, body.as_object_mut(), cookie_token(headers)) {
        map.insert("refresh_token".into(), Value::String(token));
    }
    serde_json::to_vec(&body).unwrap_or_default()
}

/// The refresh token the browser sent in [`NAME`], if any.
fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == NAME)
        .map(|c| c.value().to_owned())
}

/// Takes `refresh_token` out of a successful JSON answer and sets it as
/// the cookie instead.
async fn move_token_to_cookie(res: Response, secure: bool) -> Response {
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return kit::Error::internal(anyhow::anyhow!("session answer too large")).into_response();
    };
    let mut json: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(_) => return Response::from_parts(parts, Body::from(bytes)),
    };
    let token = json.as_object_mut().and_then(|m| m.remove("refresh_token"));
    let Some(Value::String(token)) = token else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    let res = Response::from_parts(parts, Body::from(json.to_string()));
    with_set_cookie(res, &issued(token, secure))
}

fn issued(token: String, secure: bool) -> Cookie<'static> {
    let max_age = cookie::time::Duration::seconds(REFRESH_TTL.num_seconds());
    Cookie::build((NAME, token))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .path(PATH)
        .max_age(max_age)
        .build()
}

fn removal(secure: bool) -> Cookie<'static> {
    let mut c = issued(String::new(), secure);
    c.make_removal();
    c
}

fn with_set_cookie(mut res: Response, cookie: &Cookie<'_>) -> Response {
    if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// Documents the header and the cookie on the session operations.
pub struct Docs;

impl utoipa::Modify for Docs {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{
            Required,
            path::{ParameterBuilder, ParameterIn},
            schema::{ObjectBuilder, Type},
        };
        let param = ParameterBuilder::new()
            .name("X-Refresh-Cookie")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .schema(Some(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["1"]))))
            .description(Some(
                "`1`: browser session. The refresh token is set as the `qc_refresh` cookie \
                 (HttpOnly; SameSite=Strict; Path=/api/v1/auth; Secure over https) instead of the \
                 `refresh_token` field of the answer; refresh and logout read it from that cookie \
                 when the body has none. Requests whose Origin or Sec-Fetch-Site names another \
                 site are refused with 403; a 401 on refresh and a logout clear the cookie. \
                 Refreshes that send the same cookie within 20 s of its rotation (a reload, two \
                 tabs) all get the same new cookie and access token.",
            ))
            .build();
        for path in ["register", "register/doctor", "login", "refresh", "logout"] {
            let key = format!("{PATH}/{path}");
            if let Some(op) = doc.paths.paths.get_mut(&key).and_then(|item| item.post.as_mut()) {
                op.parameters.get_or_insert_with(Vec::new).push(param.clone());
            }
        }
    }
}
