//! The services compiled into this binary. Adding a service is one entry
//! here: `up`, `serve`, `migrate` and the gateway's OpenAPI all read it.

use futures::future::BoxFuture;
use kit::service::{ServiceContext, ServiceHandle};
use sea_orm::DatabaseConnection;

/// Seeds a service's demo data.
pub type SeedFn = fn(ServiceContext) -> BoxFuture<'static, anyhow::Result<()>>;

pub struct ServiceSpec {
    pub name: &'static str,
    pub start: fn(ServiceContext) -> BoxFuture<'static, anyhow::Result<ServiceHandle>>,
    pub migrate: fn(DatabaseConnection) -> BoxFuture<'static, anyhow::Result<()>>,
    pub openapi: fn() -> utoipa::openapi::OpenApi,
    /// Demo data, seeded in registry order once every service runs.
    pub demo: Option<SeedFn>,
}

/// In start order: auth first (it owns the signing keys everyone verifies).
pub const SERVICES: &[ServiceSpec] = &[
    ServiceSpec {
        name: "auth",
        start: |ctx| Box::pin(auth::start(ctx)),
        migrate: |db| Box::pin(async move { Ok(auth::migrate(&db).await?) }),
        openapi: auth::openapi,
        demo: Some(|ctx| Box::pin(async move { auth::seed::demo(&ctx).await })),
    },
    ServiceSpec {
        name: "patient",
        start: |ctx| Box::pin(patient::start(ctx)),
        migrate: |db| Box::pin(async move { Ok(patient::migrate(&db).await?) }),
        openapi: patient::openapi,
        demo: None,
    },
    ServiceSpec {
        name: "doctor",
        start: |ctx| Box::pin(doctor::start(ctx)),
        migrate: |db| Box::pin(async move { Ok(doctor::migrate(&db).await?) }),
        openapi: doctor::openapi,
        demo: Some(|ctx| Box::pin(async move { doctor::seed_demo(&ctx.db).await })),
    },
    ServiceSpec {
        name: "appointment",
        start: |ctx| Box::pin(appointment::start(ctx)),
        migrate: |db| Box::pin(async move { Ok(appointment::migrate(&db).await?) }),
        openapi: appointment::openapi,
        demo: Some(|ctx| {
            Box::pin(async move {
                let doctors = auth::seed::DEMO_DOCTORS as u64;
                appointment::seed::demo(&ctx.db, doctors, std::time::Duration::from_secs(20))
                    .await
                    .map(|_| ())
            })
        }),
    },
    ServiceSpec {
        name: "notification",
        start: |ctx| Box::pin(notification::start(ctx)),
        migrate: |db| Box::pin(async move { Ok(notification::migrate(&db).await?) }),
        openapi: notification::openapi,
        demo: None,
    },
    ServiceSpec {
        name: "rating",
        start: |ctx| Box::pin(rating::start(ctx)),
        migrate: |db| Box::pin(async move { Ok(rating::migrate(&db).await?) }),
        openapi: rating::openapi,
        demo: None,
    },
];

pub fn find(name: &str) -> Option<&'static ServiceSpec> {
    SERVICES.iter().find(|s| s.name == name)
}

pub fn names() -> String {
    SERVICES.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_name_their_schemas_apart() {
        let docs: Vec<_> = SERVICES.iter().map(|s| (s.openapi)()).collect();
        assert_eq!(kit::openapi::schema_collisions(&docs), Vec::<String>::new());
    }

    /// Every `{parameter}` of a documented path is declared by each of its
    /// operations (utoipa infers it from `Path<i64>`, not from a typed id).
    #[test]
    fn every_path_parameter_is_declared() {
        let mut missing = Vec::new();
        for doc in SERVICES.iter().map(|s| (s.openapi)()) {
            for (path, item) in &doc.paths.paths {
                let wanted: Vec<&str> =
                    path.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')).collect();
                let operations = [&item.get, &item.put, &item.post, &item.delete, &item.patch];
                for op in operations.into_iter().flatten() {
                    let declared: Vec<&str> =
                        op.parameters.iter().flatten().map(|p| p.name.as_str()).collect();
                    missing.extend(
                        wanted.iter().filter(|w| !declared.contains(w)).map(|w| format!("{path}: {w}")),
                    );
                }
            }
        }
        assert_eq!(missing, Vec::<String>::new());
    }
}
