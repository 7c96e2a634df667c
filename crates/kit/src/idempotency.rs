//! `Idempotency-Key` on unsafe requests: the first request with a key runs
//! and its answer is stored; a repeat (same caller, method, path, key and
//! body) gets the stored answer back with `Idempotent-Replayed: true`. A
//! unique key in the service's own database picks the one winner when
//! duplicates race, across every instance of the service.
//!
//! Only final answers are kept. A "try again" answer — any 5xx, 408, 429,
//! or anything carrying `Retry-After` — releases the key, so the client's
//! retry with the same key runs for real and reaches the one real result.
//! A duplicate that arrives while the first request is still running waits
//! for it (a few seconds) and then replays its answer, or runs itself if
//! the first released the key; if the first is still running after that,
//! it answers 409 with `Retry-After`. Either way the effect happens once.
//! A key held by a request that never finished (its process died) is taken
//! over after [`ABANDONED`].

use std::{sync::Arc, time::Duration};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, entity::prelude::*,
};
use sea_orm_migration::{prelude::*, schema::*};
use sha2::{Digest, Sha256};

use crate::{Problem, identity::JwtVerifier};

pub const HEADER: &str = "idempotency-key";
/// Request bodies larger than this are not replayable (uploads carry their own checks).
const MAX_REQUEST: usize = 6 * 1024 * 1024;
/// Responses larger than this (a BLOB column) are not stored; the key is released instead.
const MAX_RESPONSE: usize = 60 * 1024;
const RETENTION: chrono::TimeDelta = chrono::TimeDelta::hours(24);
/// How long a duplicate waits for the request in flight before answering 409.
const WAIT_FOR_FIRST: Duration = Duration::from_secs(5);
/// How often a waiting duplicate looks again.
const WAIT_STEP: Duration = Duration::from_millis(25);
/// An unfinished claim this old belongs to a request that died with its
/// process (every request is bounded by timeouts far shorter).
const ABANDONED: chrono::TimeDelta = chrono::TimeDelta::minutes(2);
/// `Retry-After` of the 409 for a request still in flight.
const IN_FLIGHT_RETRY_AFTER: u64 = 1;

mod record {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "kit_idempotency")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key_hash: String,
        pub request_hash: String,
        pub status: Option<i32>,
        pub content_type: Option<String>,
        pub location: Option<String>,
        #[sea_orm(column_type = "VarBinary(StringLen::None)", nullable)]
        pub body: Option<Vec<u8>>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Middleware (`axum::middleware::from_fn_with_state(db, idempotency::layer)`).
pub async fn layer(State(db): State<DatabaseConnection>, req: Request, next: Next) -> Response {
    let unsafe_method = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    let Some(key) = req.headers().get(HEADER).cloned() else { return next.run(req).await };
    if !unsafe_method {
        return next.run(req).await;
    }
    let key = match key.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= 255 => k.to_owned(),
        _ => {
            return Problem::bad_request("Idempotency-Key must be 1 to 255 visible characters")
                .into_response();
        }
    };
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, MAX_REQUEST).await {
        Ok(b) => b,
        Err(_) => return Problem::payload_too_large("request body too large").into_response(),
    };
    let scope = caller_scope(&parts).await;
    let key_hash = hex(format!("{scope}\n{}\n{}\n{key}", parts.method, parts.uri.path()).as_bytes());
    let request_hash = hex(&body);

    let waiting_since = tokio::time::Instant::now();
    loop {
        let existing = match claim(&db, &key_hash, &request_hash).await {
            Ok(None) => break,
            Ok(Some(existing)) => existing,
            // Released between our insert and our read: claim again.
            Err(ClaimError::Vanished) => continue,
            Err(ClaimError::Db(e)) => return crate::Error::from(e).into_response(),
        };
        if existing.request_hash != request_hash || existing.status.is_some() {
            return replay(existing, &request_hash);
        }
        if existing.created_at < Utc::now() - ABANDONED {
            if let Err(e) = take_over(&db, &existing).await {
                return crate::Error::from(e).into_response();
            }
            continue;
        }
        if waiting_since.elapsed() >= WAIT_FOR_FIRST {
            let mut p = Problem::conflict("a request with this Idempotency-Key is still in progress");
            p.retry_after = Some(IN_FLIGHT_RETRY_AFTER);
            return p.into_response();
        }
        tokio::time::sleep(WAIT_STEP).await;
    }
    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    store(&db, &key_hash, response).await
}

/// Whether an answer is the request's final result, to be replayed to
/// every repeat. Anything that tells the client to come back is not.
fn is_final(status: StatusCode, headers: &axum::http::HeaderMap) -> bool {
    !(status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
        || headers.contains_key(header::RETRY_AFTER))
}

#[derive(Debug)]
enum ClaimError {
    Db(DbErr),
    /// The key was taken, then released before we could read it.
    Vanished,
}

impl From<DbErr> for ClaimError {
    fn from(e: DbErr) -> Self {
        ClaimError::Db(e)
    }
}

/// Removes an abandoned claim (only that one: a request that took the key
/// meanwhile keeps it).
async fn take_over(db: &DatabaseConnection, stale: &record::Model) -> Result<(), DbErr> {
    tracing::warn!("idempotency key abandoned by an unfinished request; taking it over");
    record::Entity::delete_many()
        .filter(record::Column::KeyHash.eq(stale.key_hash.as_str()))
        .filter(record::Column::Status.is_null())
        .filter(record::Column::CreatedAt.eq(stale.created_at))
        .exec(db)
        .await
        .map(|_| ())
}

/// The verified caller, so two users can never collide on a key.
async fn caller_scope(parts: &axum::http::request::Parts) -> String {
    let verifier = parts.extensions.get::<Arc<JwtVerifier>>();
    match (verifier, crate::identity::bearer_token(parts)) {
        (Some(v), Some(token)) => match v.verify(&token).await {
            Ok(claims) => format!("user:{}", claims.sub),
            Err(_) => "invalid".to_owned(),
        },
        _ => "anonymous".to_owned(),
    }
}

/// Inserts the in-progress record; `Some(existing)` when the key was taken.
async fn claim(
    db: &DatabaseConnection,
    key_hash: &str,
    request_hash: &str,
) -> Result<Option<record::Model>, ClaimError> {
    if rand::random::<u8>() < 3 {
        let _ = record::Entity::delete_many()
            .filter(record::Column::CreatedAt.lt(Utc::now() - RETENTION))
            .exec(db)
            .await;
    }
    let row = record::ActiveModel {
        key_hash: Set(key_hash.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        status: Set(None),
        content_type: Set(None),
        location: Set(None),
        body: Set(None),
        created_at: Set(Utc::now()),
    };
    match row.insert(db).await {
        Ok(_) => Ok(None),
        Err(e) if crate::db::is_unique_violation(&e) => {
            record::Entity::find_by_id(key_hash).one(db).await?.map(Some).ok_or(ClaimError::Vanished)
        }
        Err(e) => Err(e.into()),
    }
}

fn replay(existing: record::Model, request_hash: &str) -> Response {
    if existing.request_hash != request_hash {
        return Problem::invalid_field("Idempotency-Key", "was already used with a different request body")
            .into_response();
    }
    let Some(status) = existing.status.and_then(|s| StatusCode::from_u16(s as u16).ok()) else {
        let mut p = Problem::conflict("a request with this Idempotency-Key is still in progress");
        p.retry_after = Some(IN_FLIGHT_RETRY_AFTER);
        return p.into_response();
    };
    let mut res = (status, existing.body.unwrap_or_default()).into_response();
    let headers = res.headers_mut();
    if let Some(v) = existing.content_type.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Some(v) = existing.location.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(header::LOCATION, v);
    }
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    res
}

/// Stores a final answer; releases the key after a "try again" one, so
/// the client's retry with the same key runs.
async fn store(db: &DatabaseConnection, key_hash: &str, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_RESPONSE).await {
        Ok(b) => b,
        Err(_) => {
            let _ = record::Entity::delete_by_id(key_hash).exec(db).await;
            let cause = anyhow::anyhow!("response too large to keep for idempotency");
            return crate::Error::internal(cause).into_response();
        }
    };
    let header_text =
        |name| parts.headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_owned);
    let outcome = if !is_final(parts.status, &parts.headers) {
        record::Entity::delete_by_id(key_hash).exec(db).await.map(|_| ())
    } else {
        record::Entity::update_many()
            .col_expr(record::Column::Status, Expr::value(i32::from(parts.status.as_u16())))
            .col_expr(record::Column::ContentType, Expr::value(header_text(header::CONTENT_TYPE)))
            .col_expr(record::Column::Location, Expr::value(header_text(header::LOCATION)))
            .col_expr(record::Column::Body, Expr::value(bytes.to_vec()))
            .filter(record::Column::KeyHash.eq(key_hash))
            .exec(db)
            .await
            .map(|_| ())
    };
    if let Err(e) = outcome {
        tracing::warn!(error = %e, "could not store the idempotent response");
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[derive(DeriveIden)]
enum KitIdempotency {
    Table,
    KeyHash,
    RequestHash,
    Status,
    ContentType,
    Location,
    Body,
    CreatedAt,
}

/// The `kit_idempotency` table.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20260101_000004_kit_idempotency"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(KitIdempotency::Table)
                .if_not_exists()
                .col(string_len(KitIdempotency::KeyHash, 64).primary_key())
                .col(string_len(KitIdempotency::RequestHash, 64))
                .col(integer_null(KitIdempotency::Status))
                .col(string_len_null(KitIdempotency::ContentType, 255))
                .col(string_len_null(KitIdempotency::Location, 1024))
                .col(blob_null(KitIdempotency::Body))
                .col(timestamp_with_time_zone(KitIdempotency::CreatedAt))
                .to_owned(),
        )
        .await
    }
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(KitIdempotency::Table).to_owned()).await
    }
}
