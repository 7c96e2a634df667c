//! The statuses every route can answer, written into the OpenAPI document
//! once rather than repeated on ~90 annotations (and forgotten on some):
//! the document must list what the platform really answers, or a client
//! generated from it — or a conformance tester — is surprised.
//!
//! - every operation: 401 (a bearer token that is missing where required,
//!   or present and invalid — optional tokens must be valid too), 429 (the
//!   gateway's rate limits), 503 (a busy database, a pool timeout, a peer
//!   away — always with `Retry-After`);
//! - with path or query parameters: 400 (a parameter that does not parse)
//!   and 422 (one that parses but is out of range); with path parameters
//!   also 404;
//! - with a request body: 400 (malformed), 413 (too large), 415 (wrong
//!   content type), 422 (invalid values).
//!
//! Statuses an annotation names itself are kept; every error response
//! without a body gets the problem+json one.

use utoipa::{
    PartialSchema, ToSchema,
    openapi::{
        Content, OpenApi, Ref, RefOr, Response,
        path::{Operation, ParameterIn},
    },
};

use crate::problem::{CONTENT_TYPE, Problem};

/// Adds the common statuses to every operation of `doc` (see the module).
pub fn document_common_statuses(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.schemas.entry(Problem::name().into_owned()).or_insert_with(Problem::schema);
    for item in doc.paths.paths.values_mut() {
        let shared = item.parameters.clone().unwrap_or_default();
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
            &mut item.options,
            &mut item.trace,
        ];
        for op in operations.into_iter().flatten() {
            let params: Vec<ParameterIn> =
                shared.iter().chain(op.parameters.iter().flatten()).map(|p| p.parameter_in.clone()).collect();
            add_common(op, &params);
        }
    }
}

/// Component schemas that two documents define differently under one name.
/// Merging keeps the first and silently points the other service's
/// operations at it, so each service must name its schemas apart.
pub fn schema_collisions(docs: &[OpenApi]) -> Vec<String> {
    let mut seen: std::collections::BTreeMap<&str, &RefOr<utoipa::openapi::Schema>> = Default::default();
    let mut out = Vec::new();
    for doc in docs {
        for (name, schema) in doc.components.iter().flat_map(|c| c.schemas.iter()) {
            match seen.get(name.as_str()) {
                Some(first) if *first != schema => out.push(name.clone()),
                Some(_) => {}
                None => {
                    seen.insert(name, schema);
                }
            }
        }
    }
    out
}

fn add_common(op: &mut Operation, params: &[ParameterIn]) {
    let mut statuses = vec![
        (401, "missing, invalid or expired bearer token"),
        (429, "too many requests; see Retry-After"),
        (503, "temporarily unavailable; see Retry-After"),
    ];
    if !params.is_empty() {
        statuses.push((400, "a parameter does not parse"));
        statuses.push((422, "a parameter is out of range"));
    }
    if params.iter().any(|p| matches!(p, ParameterIn::Path)) {
        statuses.push((404, "no such resource, or not yours to see"));
    }
    if op.request_body.is_some() {
        statuses.push((400, "malformed body"));
        statuses.push((413, "body too large"));
        statuses.push((415, "unsupported content type"));
        statuses.push((422, "invalid values"));
    }
    for (status, description) in statuses {
        op.responses.responses.entry(status.to_string()).or_insert_with(|| problem(description).into());
    }
    for (status, response) in op.responses.responses.iter_mut() {
        if let RefOr::T(response) = response
            && status.starts_with(['4', '5'])
            && response.content.is_empty()
        {
            response.content.insert(CONTENT_TYPE.to_owned(), problem_content());
        }
    }
}

fn problem(description: &str) -> Response {
    let mut response = Response::new(description);
    response.content.insert(CONTENT_TYPE.to_owned(), problem_content());
    response
}

fn problem_content() -> Content {
    Content::new(Some(Ref::from_schema_name(Problem::name())))
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::{
        HttpMethod, OpenApiBuilder, PathItem, Paths,
        path::{OperationBuilder, ParameterBuilder},
        request_body::RequestBody,
    };

    use super::*;

    #[test]
    fn adds_what_each_operation_can_answer() {
        let by_id = OperationBuilder::new()
            .parameter(ParameterBuilder::new().name("id").parameter_in(ParameterIn::Path))
            .response("200", Response::new("ok"))
            .response("403", Response::new("not yours"))
            .build();
        let create = OperationBuilder::new().request_body(Some(RequestBody::new())).build();
        let paths = Paths::builder()
            .path("/things/{id}", PathItem::new(HttpMethod::Get, by_id))
            .path("/things", PathItem::new(HttpMethod::Post, create))
            .build();
        let mut doc = OpenApiBuilder::new().paths(paths).build();
        document_common_statuses(&mut doc);
        let codes = |path: &str, op: fn(&PathItem) -> &Option<Operation>| -> Vec<String> {
            op(&doc.paths.paths[path])
                .as_ref()
                .map(|o| o.responses.responses.keys().cloned().collect())
                .unwrap()
        };
        assert_eq!(
            codes("/things/{id}", |i| &i.get),
            ["200", "400", "401", "403", "404", "422", "429", "503"]
        );
        assert_eq!(codes("/things", |i| &i.post), ["400", "401", "413", "415", "422", "429", "503"]);
        let forbidden = &doc.paths.paths["/things/{id}"].get.as_ref().unwrap().responses.responses["403"];
        let RefOr::T(forbidden) = forbidden else { panic!("a reference") };
        assert!(forbidden.content.contains_key(CONTENT_TYPE), "error bodies are problem+json");
        assert!(doc.components.unwrap().schemas.contains_key("Problem"));
    }
}
