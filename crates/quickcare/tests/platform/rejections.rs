//! Input that does not parse is answered in problem+json like every other
//! error, on every route, in both modes. The routes come from the merged
//! OpenAPI document, so a route added later is covered without touching
//! this test. The convention (README, "Errors"):
//! - a path parameter that does not parse names no resource: 404;
//! - a query parameter that does not parse, a page deeper than
//!   `page × per_page` = 10,000,000 or a NUL character: 422 with
//!   `errors: {field: [..]}`;
//! - never `text/plain`, never a 5xx, never a Rust type name.

use crate::support::{Mode, Options, api::Api};
use reqwest::Method;
use serde_json::{Value, json};

const ADMIN: (&str, &str) = ("rejections-admin@example.com", "admin-passphrase-1");

/// Words of Rust's own vocabulary that must never reach a client.
const RUST_WORDS: &[&str] = &["i64", "u64", "i32", "u32", "struct ", "enum ", "::"];

fn assert_problem(what: &str, r: &crate::support::api::Reply, allowed: &[u16]) {
    let ct = r.headers.get("content-type").map(|v| v.to_str().unwrap()).unwrap_or_default();
    assert_eq!(ct, "application/problem+json", "{what}: {} {}", r.status, r.body);
    assert!(allowed.contains(&r.status.as_u16()), "{what}: {} {}", r.status, r.body);
    let text = r.body.to_string();
    for word in RUST_WORDS {
        assert!(!text.contains(word), "{what} names a Rust type ({word}): {text}");
    }
}

/// `{"id": "integer", …}`: each path parameter's schema type.
fn path_params(op: &Value) -> Vec<(String, String)> {
    op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "path")
        .map(|p| {
            let ty = p["schema"]["type"].as_str().unwrap_or("string").to_owned();
            (p["name"].as_str().unwrap().to_owned(), ty)
        })
        .collect()
}

fn query_params(op: &Value) -> Vec<String> {
    op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query")
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn sweep(mode: Mode) {
    let p = crate::support::start(mode, Options::default()).await;
    p.create_admin(ADMIN.0, ADMIN.1).await.unwrap();
    let api = Api::new(&p.url());
    let login = api.login(ADMIN.0, ADMIN.1).await;
    let admin = login.body["access_token"].as_str().unwrap().to_owned();
    let doc = api.get("/api/openapi.json", None).await.body;
    let paths = doc["paths"].as_object().unwrap();

    let mut with_path_params = 0;
    let mut lists = 0;
    for (template, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else { continue };
            let params = path_params(op);
            if !params.is_empty() {
                with_path_params += 1;
                // An integer that is not one: no such resource. A string
                // parameter (a template key, a file name) cannot fail to
                // parse, so it gets a value that names nothing.
                let mut path = template.clone();
                let mut any_integer = false;
                for (name, ty) in &params {
                    let bad = if ty == "integer" { "abc" } else { "no-such-thing" };
                    any_integer |= ty == "integer";
                    path = path.replace(&format!("{{{name}}}"), bad);
                }
                let body = op.get("requestBody").map(|_| json!({}));
                let call = api.client.request(method.clone(), &path).bearer(&admin);
                let r = match body {
                    Some(b) => call.json(&b),
                    None => call,
                }
                .send()
                .await;
                // Roles come first: a route the admin may not use (a doctor's
                // check-in) answers 403 before its path is read.
                let allowed: &[u16] = if any_integer { &[403, 404] } else { &[400, 403, 404, 415, 422] };
                assert_problem(&format!("{method} {path}"), &r, allowed);
            }
            if method == Method::GET && query_params(op).iter().any(|q| q == "page") {
                lists += 1;
                let path = params
                    .iter()
                    .fold(template.clone(), |path, (name, _)| path.replace(&format!("{{{name}}}"), "1"));
                for (query, field) in [
                    ("page=-1", "page"),
                    ("per_page=abc", "per_page"),
                    ("page=9223372036854775807", "page"),
                    ("page=18446744073709551615&per_page=100", "page"),
                ] {
                    let what = format!("GET {path}?{query}");
                    let r = api.get(&format!("{path}?{query}"), Some(&admin)).await;
                    // 403 where the admin may not list at all (roles come first).
                    assert_problem(&what, &r, &[403, 404, 422]);
                    if r.status == 422 {
                        assert!(r.body["errors"][field][0].is_string(), "{what}: {}", r.body);
                    }
                }
            }
        }
    }
    assert!(with_path_params >= 30, "only {with_path_params} operations with path parameters");
    assert!(lists >= 8, "only {lists} list operations");

    // A huge page on a real list, as the probe sent it: 422, and the list
    // itself still answers.
    let r = api.get("/api/v1/doctors?page=9223372036854775807", None).await;
    assert_problem("huge page", &r, &[422]);
    assert!(r.body["errors"]["page"][0].as_str().unwrap().contains("10000000"), "{}", r.body);
    assert_eq!(api.get("/api/v1/doctors?page=100000&per_page=100", None).await.status, 200);
    assert_eq!(api.get("/api/v1/doctors?page=100001&per_page=100", None).await.status, 422);

    // A NUL character would cut the filter short in the database: refused.
    for (path, field) in [
        ("/api/v1/doctors?name=Ta%00zzz", "name"),
        ("/api/v1/doctors?city=Ra%00bat", "city"),
        ("/api/v1/admin/users?q=admin%00zzz", "q"),
        ("/api/v1/patients?q=a%00b", "q"),
    ] {
        let r = api.get(path, Some(&admin)).await;
        assert_problem(path, &r, &[422]);
        assert_eq!(r.body["errors"][field][0], "must not contain NUL characters", "{path}: {}", r.body);
    }
    // Without the NUL the same filters are fine, and an empty one is no filter.
    assert_eq!(api.get("/api/v1/admin/users?q=rejections-admin", Some(&admin)).await.body["total"], 1);
    let everyone = api.get("/api/v1/admin/users", Some(&admin)).await.body["total"].clone();
    assert_eq!(api.get("/api/v1/admin/users?q=&role=", Some(&admin)).await.body["total"], everyone);

    // A JSON body of the wrong shape: the field is named, the Rust type is not.
    let r = api.post("/api/v1/auth/login", None, json!([])).await;
    assert_problem("login with an array", &r, &[422]);
    let r = api.post("/api/v1/specialties", Some(&admin), json!({"name": 5})).await;
    assert_problem("specialty with a number for a name", &r, &[422]);
    // A form route sent JSON: 415, not axum's text/plain 400.
    let r = api.post("/api/v1/doctor-applications", None, json!({"name": "Dr X"})).await;
    assert_problem("application as JSON", &r, &[415]);
    p.stop().await;
}

kit::per_backend! {
    async fn rejections_are_problems(backend: Backend) {
        sweep(crate::support::mode(backend)).await;
    }
}
