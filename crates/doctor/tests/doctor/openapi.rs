//! The OpenAPI document.

#[test]
fn the_openapi_document_lists_every_route() {
    let doc = doctor::openapi();
    let paths: Vec<&String> = doc.paths.paths.keys().collect();
    for p in [
        "/api/v1/specialties",
        "/api/v1/specialties/{id}",
        "/api/v1/doctors",
        "/api/v1/doctors/{id}",
        "/api/v1/doctors/me",
        "/api/v1/doctors/me/credentials",
        "/api/v1/doctors/me/credentials/{cid}",
    ] {
        assert!(doc.paths.paths.contains_key(p), "{p} missing from {paths:?}");
    }
}
