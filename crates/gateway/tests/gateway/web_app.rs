//! The web app and the docs page as the gateway serves them: caching,
//! client routes, 404s that never turn into the app's HTML.

use std::sync::Arc;

use axum::http::{StatusCode, header};
use gateway::GatewayConfig;
use kit::{
    identity::JwtVerifier,
    testing::{TestClient, TestIssuer, default_settings},
};
use tokio_util::sync::CancellationToken;

const INDEX: &str = "<!doctype html><title>app</title>";

async fn gateway(dir: &std::path::Path) -> TestClient {
    let (router, _) = gateway::build(GatewayConfig {
        settings: Arc::new(default_settings()),
        upstreams: vec![],
        verifier: Arc::new(JwtVerifier::new(TestIssuer::new())),
        keyring: Arc::new(kit::crypto::Keyring::from_settings(&default_settings()).unwrap()),
        openapi: vec![],
        web_dir: Some(dir.to_owned()),
        shutdown: CancellationToken::new(),
    })
    .await
    .unwrap();
    TestClient::router(router)
}

struct Answer {
    status: StatusCode,
    cache: String,
    content_type: String,
    etag: String,
    content_encoding: String,
    body: String,
}

async fn get(app: &TestClient, path: &str, if_none_match: Option<&str>) -> Answer {
    get_with(app, path, if_none_match, None).await
}

async fn get_with(
    app: &TestClient,
    path: &str,
    if_none_match: Option<&str>,
    encoding: Option<&str>,
) -> Answer {
    let mut call = app.get(path);
    if let Some(tag) = if_none_match {
        call = call.header(header::IF_NONE_MATCH, tag);
    }
    if let Some(e) = encoding {
        call = call.header(header::ACCEPT_ENCODING, e);
    }
    let res = call.send().await;
    let h = |n: header::HeaderName| res.header(n.as_str()).unwrap_or_default().to_owned();
    Answer {
        status: res.status,
        cache: h(header::CACHE_CONTROL),
        content_type: h(header::CONTENT_TYPE),
        etag: h(header::ETAG),
        content_encoding: h(header::CONTENT_ENCODING),
        body: res.text(),
    }
}

fn build_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("assets")).unwrap();
    std::fs::create_dir_all(p.join("api-docs")).unwrap();
    std::fs::write(p.join("index.html"), INDEX).unwrap();
    std::fs::write(p.join("assets/index-Ab12.js"), "console.log(1)").unwrap();
    std::fs::write(p.join("sw.js"), "self.x=1").unwrap();
    std::fs::write(p.join("api-docs/init.js"), "init()").unwrap();
    std::fs::write(p.join("assets/big-Cd34.js"), "plain").unwrap();
    std::fs::write(p.join("assets/big-Cd34.js.gz"), b"\x1f\x8bgz").unwrap();
    dir
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_the_shell_is_revalidated() {
    let dir = build_dir();
    let app = gateway(dir.path()).await;

    let asset = get(&app, "/assets/index-Ab12.js", None).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(asset.cache, "public, max-age=31536000, immutable");
    assert!(asset.content_type.contains("javascript"), "{}", asset.content_type);

    for path in ["/", "/index.html", "/sw.js"] {
        let a = get(&app, path, None).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_eq!(a.cache, "no-cache", "{path}");
    }
    // A revalidation with the ETag costs no body.
    let index = get(&app, "/", None).await;
    assert!(index.content_type.starts_with("text/html"));
    let again = get(&app, "/", Some(&index.etag)).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
}

#[tokio::test]
async fn precompressed_files_go_to_clients_that_accept_gzip() {
    let dir = build_dir();
    let app = gateway(dir.path()).await;
    let gz = get_with(&app, "/assets/big-Cd34.js", None, Some("br, gzip;q=0.9")).await;
    assert_eq!(gz.content_encoding, "gzip");
    assert!(gz.content_type.contains("javascript"), "the original's type: {}", gz.content_type);
    assert_eq!(gz.cache, "public, max-age=31536000, immutable");
    let plain = get_with(&app, "/assets/big-Cd34.js", None, Some("br")).await;
    assert_eq!((plain.content_encoding.as_str(), plain.body.as_str()), ("", "plain"));
    assert_ne!(gz.etag, plain.etag, "each encoding has its own validator");
    assert_eq!(get(&app, "/assets/big-Cd34.js.gz", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn client_routes_get_the_app_and_platform_paths_never_do() {
    let dir = build_dir();
    let app = gateway(dir.path()).await;
    for path in ["/doctors/5", "/appointments", "/no/such/screen"] {
        let a = get(&app, path, None).await;
        assert_eq!((a.status, a.body.as_str()), (StatusCode::OK, INDEX), "{path}");
    }
    for path in [
        "/assets/gone-Zz99.js",
        "/api/nothing",
        "/api/v2/x",
        "/health/nope",
        "/.well-known/x",
        "/api/docs/gone.js",
    ] {
        let a = get(&app, path, None).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert_ne!(a.body, INDEX, "{path} must not be the app");
    }
    // Dot segments never leave the build directory.
    assert_eq!(get(&app, "/assets/../../../etc/passwd", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_docs_page_loads_its_ui_from_the_gateway_without_inline_script() {
    let dir = build_dir();
    let app = gateway(dir.path()).await;
    let page = get(&app, "/api/docs", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("http://") && !page.body.contains("https://"), "no CDN: {}", page.body);
    for tag in page.body.split("<script").skip(1) {
        assert!(tag.starts_with(" src=\"/api/docs/"), "inline or foreign script: <script{tag}");
        assert!(tag.split_once('>').unwrap().1.starts_with("</script>"), "script with a body");
    }
    assert!(!page.body.contains("style="), "no inline style");
    let init = get(&app, "/api/docs/init.js", None).await;
    assert_eq!((init.status, init.body.as_str()), (StatusCode::OK, "init()"));
}
