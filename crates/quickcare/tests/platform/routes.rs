//! The gateway's routes are the services' documents: every path of
//! `/api/openapi.json` reaches the service that documents it, and each
//! service answers there with exactly the documented methods (so no route
//! is missing from the document), in embedded and distributed mode.
use std::collections::BTreeSet;

use crate::support::{Options, api::Api};
use reqwest::{Method, StatusCode, header};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

kit::per_backend! {
    async fn every_documented_path_reaches_its_service_with_the_documented_methods(backend: Backend) {
        let mode = crate::support::mode(backend);
        let p = crate::support::start(mode, Options::default()).await;
        let api = Api::new(&p.url());
        let doc = api.get("/api/openapi.json", None).await;
        assert_eq!(doc.status, StatusCode::OK);
        let paths = doc.body["paths"].as_object().unwrap();
        assert!(paths.len() > 60, "{mode:?}: only {} paths documented", paths.len());
        for (path, item) in paths {
            assert!(!path.starts_with("/internal/"), "{path} is internal");
            let documented: BTreeSet<String> =
                METHODS.iter().filter(|m| item.get(**m).is_some()).map(|m| m.to_uppercase()).collect();
            // A method the path does not document: the service's router
            // answers 405 and lists what it serves there; the gateway's
            // own answer for a path it does not route would be a 404.
            let other = METHODS.iter().map(|m| m.to_uppercase()).find(|m| !documented.contains(m)).unwrap();
            let method = Method::from_bytes(other.as_bytes()).unwrap();
            let res = api.client.request(method, &concrete(path)).send().await;
            assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED, "{mode:?}: {other} {path}");
            let allow = res.header(header::ALLOW.as_str()).unwrap_or_default();
            let served: BTreeSet<String> = allow
                .split(',')
                .map(|m| m.trim().to_owned())
                .filter(|m| !m.is_empty() && m != "HEAD")
                .collect();
            assert_eq!(served, documented, "{mode:?}: {path} serves {allow:?}");
        }
        p.stop().await;
    }
}

/// `path` with every `{parameter}` filled in.
fn concrete(path: &str) -> String {
    path.split('/').map(|s| if s.starts_with('{') { "1" } else { s }).collect::<Vec<_>>().join("/")
}
