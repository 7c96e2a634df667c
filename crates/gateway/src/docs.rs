//! The merged OpenAPI document and the pages around it.

use axum::{
    extract::State,
    http::HeaderMap,
    response::{Html, IntoResponse, Response},
};
use kit::{Problem, extract::Path};
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder};

use crate::web::WebApp;

/// Every service's document merged into one, as served at `/api/openapi.json`.
pub fn merge(docs: Vec<OpenApi>) -> OpenApi {
    let info = InfoBuilder::new()
        .title("QuickCare API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "Healthcare appointments: auth, patients, doctors, appointments, notifications, ratings.",
        ))
        .build();
    let mut merged = OpenApiBuilder::new().info(info).build();
    for doc in docs {
        merged.merge(doc);
    }
    kit::openapi::document_common_statuses(&mut merged);
    merged
}

/// Interactive docs: Swagger UI from the web build (`web/dist/api-docs/`,
/// copied there from the `swagger-ui-dist` package), served by the gateway
/// itself so the page works offline and under `script-src 'self'` (no CDN,
/// no inline script). Without a web build it still links the raw document.
pub async fn page() -> Html<&'static str> {
    Html(DOCS_HTML)
}

const DOCS_HTML: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>QuickCare API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body>
<div id="swagger-ui"><p>QuickCare API. The document: <a href="/api/openapi.json">/api/openapi.json</a>.</p></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>"#;

/// The files of the docs page, from the web build's `api-docs/` folder.
pub async fn asset(
    State(web): State<Option<WebApp>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    match &web {
        Some(web) if !file.contains('/') => web.respond(&format!("/api-docs/{file}"), &headers).await,
        _ => Problem::not_found().into_response(),
    }
}

/// Shown at `/` when no web app build is present.
pub async fn landing() -> Html<&'static str> {
    Html(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>QuickCare</title></head>
<body>
<h1>QuickCare</h1><p>The platform is running.</p>
<ul><li><a href="/api/docs">API documentation</a></li><li><a href="/api/openapi.json">OpenAPI document</a></li>
<li><a href="/health/ready">Readiness</a></li></ul></body></html>"#,
    )
}
