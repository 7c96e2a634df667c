//! The merged OpenAPI document and the pages around it.

use axum::response::Html;
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder};

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

/// Interactive docs: Scalar from its CDN when the browser can reach it, and
/// a plain list of operations built from the document when it cannot.
pub async fn page() -> Html<&'static str> {
    Html(DOCS_HTML)
}

const DOCS_HTML: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>QuickCare API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:0}#fallback{padding:1rem 2rem}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}li{margin:.2rem 0}</style></head>
<body>
<script id="api-reference" data-url="/api/openapi.json"></script>
<div id="fallback"></div>
<script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference" onerror="fallback()"></script>
<script>
function fallback(){
  fetch('/api/openapi.json').then(r=>r.json()).then(doc=>{
    const el=document.getElementById('fallback');
    el.innerHTML='<h1>'+doc.info.title+'</h1><p>Raw document: <a href="/api/openapi.json">/api/openapi.json</a></p><ul id=ops></ul>';
    const ul=document.getElementById('ops');
    for(const [path,item] of Object.entries(doc.paths||{})){
      for(const [method,op] of Object.entries(item)){
        const li=document.createElement('li');
        li.innerHTML='<code>'+method.toUpperCase()+'</code> <code>'+path+'</code> '+(op.summary||op.operationId||'');
        ul.appendChild(li);
      }
    }
  });
}
</script></body></html>"#;

/// Shown at `/` when no web app build is present.
pub async fn landing() -> Html<&'static str> {
    Html(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>QuickCare</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto">
<h1>QuickCare</h1><p>The platform is running.</p>
<ul><li><a href="/api/docs">API documentation</a></li><li><a href="/api/openapi.json">OpenAPI document</a></li>
<li><a href="/health/ready">Readiness</a></li></ul></body></html>"#,
    )
}
