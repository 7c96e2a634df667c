//! Browser-facing security headers, set on every answer of every service
//! and of the gateway by one middleware (part of [`crate::http::edge`]).
//!
//! - every response: `X-Content-Type-Options: nosniff` (a browser never
//!   second-guesses the type we checked), `Referrer-Policy: no-referrer`
//!   (URLs may carry ids), `Permissions-Policy` turning camera, microphone
//!   and geolocation off;
//! - HTML: a strict `Content-Security-Policy` — scripts, styles, images,
//!   fonts and connections from our own origin only, no inline script, no
//!   plugins, no framing, forms post only to us. The API docs page gets a
//!   narrower policy of its own (below). Anything that is not HTML gets
//!   `default-src 'none'; frame-ancestors 'self'`, so a file that a
//!   browser does render anyway cannot load or run anything, nor be framed
//!   by another site (our own pages may still show a PDF in a frame; no
//!   `sandbox`, which stops browsers' PDF viewers);
//! - `/api/…`: `Cache-Control: no-store` unless the route set its own
//!   caching — tokens (login, register, refresh) and PHI (records, history,
//!   insurance, access log, appointments, notifications) must never sit in
//!   a shared or browser cache, and an allow-list of cacheable routes
//!   (avatars) is safer than a deny-list of private ones;
//! - HSTS when the request came over TLS. TLS ends in front of us (a load
//!   balancer or ingress), which says so with `X-Forwarded-Proto: https`.
//!   A client forging that header over plain HTTP gains nothing: browsers
//!   ignore HSTS received over plain HTTP.
//!
//! Headers a handler already set are kept (it knows better), except
//! `nosniff`, which is never optional.

use axum::{
    extract::Request,
    http::{HeaderMap, HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};

/// Policy of HTML pages (the web app, the landing page).
pub const HTML_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; \
     form-action 'self'";

/// Path of the interactive API docs page.
pub const DOCS_PATH: &str = "/api/docs";

/// Policy of the API docs page: Swagger UI is served by the gateway
/// itself (bundled from npm, no CDN) and started from a file, so scripts
/// stay `'self'`; it injects inline styles, which only this page admits.
pub const DOCS_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
     object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

/// Policy of everything that is not HTML.
pub const NON_HTML_POLICY: &str = "default-src 'none'; frame-ancestors 'self'";

pub const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");
const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=()";
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The middleware (`axum::middleware::from_fn(security_headers::apply)`).
pub async fn apply(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let docs = req.uri().path() == DOCS_PATH;
    let tls = over_tls(req.headers());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    set_default(h, header::REFERRER_POLICY, "no-referrer");
    set_default(h, PERMISSIONS_POLICY, PERMISSIONS);
    // A script's own policy is the one a worker started from it runs
    // under (the app's service worker fetches and caches the shell): it
    // gets the page policy, not the lock-down for inert files.
    let policy = match (content_type_is(h, &["text/html"]), docs) {
        (true, true) => DOCS_POLICY,
        (true, false) => HTML_POLICY,
        (false, _) if content_type_is(h, &["text/javascript", "application/javascript"]) => HTML_POLICY,
        (false, _) => NON_HTML_POLICY,
    };
    set_default(h, header::CONTENT_SECURITY_POLICY, policy);
    if api && !docs {
        set_default(h, header::CACHE_CONTROL, "no-store");
    }
    if tls {
        set_default(h, header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    res
}

fn set_default(h: &mut HeaderMap, name: HeaderName, value: &'static str) {
    h.entry(name).or_insert(HeaderValue::from_static(value));
}

fn content_type_is(h: &HeaderMap, types: &[&str]) -> bool {
    h.get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim_start().to_ascii_lowercase())
        .is_some_and(|v| types.iter().any(|t| v.starts_with(t)))
}

/// The first (client-most) `X-Forwarded-Proto` says `https`.
fn over_tls(h: &HeaderMap) -> bool {
    h.get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_policy_is_strict() {
        for directive in [
            "default-src 'self'",
            "script-src 'self';",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(HTML_POLICY.contains(directive), "{directive}");
        }
        assert!(!HTML_POLICY.contains("unsafe"));
        let docs_scripts = DOCS_POLICY.split(';').find(|d| d.trim().starts_with("script-src")).unwrap_or("");
        assert!(!docs_scripts.contains("'unsafe-inline'") && !docs_scripts.contains("'unsafe-eval'"));
    }

    #[test]
    fn tls_is_read_from_the_first_forwarded_proto() {
        let mut h = HeaderMap::new();
        assert!(!over_tls(&h));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https, http"));
        assert!(over_tls(&h));
        h.insert("x-forwarded-proto", HeaderValue::from_static("http"));
        assert!(!over_tls(&h));
    }

    #[test]
    fn scripts_get_the_page_policy_and_inert_files_the_lock_down() {
        let with = |ct: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
            h
        };
        // The service worker runs under its script's policy and must reach us.
        assert!(content_type_is(
            &with("text/javascript; charset=utf-8"),
            &["text/javascript", "application/javascript"]
        ));
        assert!(content_type_is(&with("Text/HTML"), &["text/html"]));
        assert!(!content_type_is(&with("application/pdf"), &["text/html", "text/javascript"]));
        assert!(!content_type_is(&HeaderMap::new(), &["text/html"]));
    }
}
