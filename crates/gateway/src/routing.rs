//! Which service answers which path, derived from the services' own
//! OpenAPI documents (each service's route list, see its `routes/mod.rs`),
//! so a new route needs no entry here.
//!
//! A documented path claims its resource for its service: `/api/v1/<name>`
//! for API paths, the first segment otherwise (`/.well-known`). Matching
//! is on whole segments, so `/api/v1/patientsX` is nobody's. `/internal/`
//! paths are never routed: services call those among themselves.

use std::collections::BTreeMap;

use utoipa::openapi::OpenApi;

#[derive(Debug, thiserror::Error)]
#[error("{prefix} is documented by both {first} and {second}")]
pub struct Overlap {
    prefix: String,
    first: &'static str,
    second: &'static str,
}

/// The resource prefixes and the service answering each.
#[derive(Debug, Default)]
pub struct Routes {
    prefixes: BTreeMap<String, &'static str>,
}

impl Routes {
    /// From each service's name and document. Two services documenting
    /// paths under one prefix is a mistake worth refusing to start for.
    pub fn from_documents<'a>(
        docs: impl IntoIterator<Item = (&'static str, &'a OpenApi)>,
    ) -> Result<Self, Overlap> {
        let mut prefixes = BTreeMap::new();
        for (service, doc) in docs {
            for prefix in doc.paths.paths.keys().filter_map(|p| resource(p)) {
                match prefixes.insert(prefix.to_owned(), service) {
                    Some(first) if first != service => {
                        return Err(Overlap { prefix: prefix.to_owned(), first, second: service });
                    }
                    _ => {}
                }
            }
        }
        Ok(Self { prefixes })
    }

    /// The service for `path`, if any.
    pub fn service_for(&self, path: &str) -> Option<&'static str> {
        self.prefixes.get(resource(path)?).copied()
    }
}

/// The resource a path belongs to: `/api/v1/<name>`, or its first segment
/// (`/.well-known`); none for `/internal/` paths or a parameter in place
/// of the name.
fn resource(path: &str) -> Option<&str> {
    let segments = if path.starts_with("/api/v1/") { 3 } else { 1 };
    let end = path.match_indices('/').nth(segments).map_or(path.len(), |(i, _)| i);
    let prefix = &path[..end];
    let name = prefix.rsplit('/').next().unwrap_or_default();
    let routable = path.starts_with('/') && prefix != "/internal" && !name.is_empty() && !name.contains('{');
    routable.then_some(prefix)
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::{HttpMethod, OpenApiBuilder, PathItem, PathsBuilder, path::OperationBuilder};

    use super::*;

    fn doc(paths: &[&str]) -> OpenApi {
        let mut builder = PathsBuilder::new();
        for p in paths {
            builder = builder.path(*p, PathItem::new(HttpMethod::Get, OperationBuilder::new().build()));
        }
        OpenApiBuilder::new().paths(builder).build()
    }

    fn routes() -> Routes {
        let auth = doc(&["/api/v1/auth/login", "/api/v1/auth/register/doctor", "/.well-known/jwks.json"]);
        let patient = doc(&["/api/v1/patients", "/api/v1/patients/{id}/medical-history"]);
        let notification = doc(&["/api/v1/notifications/stream"]);
        let docs = [("auth", &auth), ("patient", &patient), ("notification", &notification)];
        Routes::from_documents(docs).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn routes_on_segment_boundaries() {
        let r = routes();
        assert_eq!(r.service_for("/api/v1/auth/login"), Some("auth"));
        assert_eq!(r.service_for("/api/v1/auth/register/doctor"), Some("auth"));
        assert_eq!(r.service_for("/api/v1/auth/register"), Some("auth"));
        assert_eq!(r.service_for("/api/v1/patients"), Some("patient"));
        assert_eq!(r.service_for("/api/v1/patients/7/medical-history"), Some("patient"));
        assert_eq!(r.service_for("/api/v1/patientsX"), None);
        assert_eq!(r.service_for("/.well-known/jwks.json"), Some("auth"));
        assert_eq!(r.service_for("/api/v1/notifications/stream"), Some("notification"));
        assert_eq!(r.service_for("/elsewhere"), None);
        assert_eq!(r.service_for("/api/v1"), None);
    }

    #[test]
    fn internal_paths_are_never_routed() {
        let patient = doc(&["/internal/patients/{id}/registered", "/api/v1/patients"]);
        let r = Routes::from_documents([("patient", &patient)]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.service_for("/internal/patients/1/registered"), None);
        assert_eq!(r.service_for("/internal"), None);
        assert_eq!(r.service_for("/api/v1/patients/1"), Some("patient"));
    }

    #[test]
    fn two_services_claiming_one_resource_are_refused() {
        let (a, b) = (doc(&["/api/v1/ratings"]), doc(&["/api/v1/ratings/{id}"]));
        assert!(Routes::from_documents([("rating", &a), ("doctor", &b)]).is_err());
    }
}
