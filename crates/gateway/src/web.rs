//! The web app (`web/dist`): embedded in the binary, or read from
//! `QUICKCARE_WEB_DIR` when that is set.
//!
//! Hashed files under `/assets/` are cached for a year; `index.html`, the
//! service worker and the other unhashed files are revalidated on every
//! load (`no-cache` + ETag), so a new release is picked up at once. A
//! missing `/assets/…` file is a 404, never the app's HTML (a stale page
//! asking for an old chunk must fail visibly, not parse HTML as script);
//! any other path without a file is a client route and gets `index.html`.

use std::{borrow::Cow, path::PathBuf};

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use kit::Problem;
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

/// `web/dist` at build time. In debug builds rust-embed reads the folder at
/// run time instead, so a `npm run build` shows up without recompiling.
#[derive(RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../web/dist"]
#[allow_missing = true]
struct Dist;

/// Where the built app comes from.
#[derive(Clone, Debug)]
pub enum WebApp {
    Embedded,
    Dir(PathBuf),
}

/// One file of the build.
pub struct Asset {
    pub bytes: Cow<'static, [u8]>,
    /// A strong validator of the content (hex SHA-256).
    pub etag: String,
}

impl WebApp {
    /// The app when it is there: the directory when given, else the embedded
    /// build; `None` when neither has an `index.html`.
    pub fn locate(dir: Option<PathBuf>) -> Option<Self> {
        match dir {
            Some(d) => d.join("index.html").is_file().then_some(Self::Dir(d)),
            None => Dist::get("index.html").is_some().then_some(Self::Embedded),
        }
    }

    /// A file by its path inside the build (no leading slash).
    pub async fn file(&self, path: &str) -> Option<Asset> {
        if path.is_empty() || path.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
            return None;
        }
        match self {
            Self::Embedded => {
                Dist::get(path).map(|f| Asset { etag: hex(&f.metadata.sha256_hash()), bytes: f.data })
            }
            Self::Dir(dir) => {
                let bytes = tokio::fs::read(dir.join(path)).await.ok()?;
                Some(Asset { etag: hex(&Sha256::digest(&bytes)), bytes: Cow::Owned(bytes) })
            }
        }
    }

    /// The answer for a GET/HEAD of `path` that no service owns.
    pub async fn respond(&self, path: &str, headers: &HeaderMap) -> Response {
        let rel = path.trim_start_matches('/');
        if let Some(res) = self.send(rel, headers).await {
            return res;
        }
        if rel.starts_with("assets/") || rel.starts_with("api-docs/") || never_app(path) {
            return Problem::not_found().into_response();
        }
        match self.send("index.html", headers).await {
            Some(res) => res,
            None => Problem::not_found().into_response(),
        }
    }

    /// `rel`, as its precompressed `.gz` twin (written by the web build)
    /// when the client accepts gzip.
    async fn send(&self, rel: &str, headers: &HeaderMap) -> Option<Response> {
        if rel.ends_with(".gz") {
            return None;
        }
        let gzip = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|e| e.split(';').next().is_some_and(|e| e.trim() == "gzip")));
        if gzip && let Some(asset) = self.file(&format!("{rel}.gz")).await {
            let mut res = send(rel, asset, headers);
            res.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            res.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            return Some(res);
        }
        let mut res = send(rel, self.file(rel).await?, headers);
        res.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        Some(res)
    }
}

/// Paths that belong to the platform, not the app, even when nothing answers them.
pub fn never_app(path: &str) -> bool {
    ["/api", "/health", "/metrics", "/.well-known"]
        .iter()
        .any(|p| path.strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
}

fn send(rel: &str, asset: Asset, headers: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", asset.etag);
    let cache = if rel.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mime = mime_guess::from_path(rel).first_or_octet_stream();
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Response::new(Body::from(asset.bytes))
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime.as_ref()) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if rel == "sw.js" {
        // The worker controls the whole origin although it is one file.
        h.insert("service-worker-allowed", HeaderValue::from_static("/"));
    }
    res
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
