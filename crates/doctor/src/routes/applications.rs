//! Doctor applications: a public form with a CV, reviewed by admins.
//! Approval mints a registration token valid 24 hours; auth redeems it
//! (once) when the doctor account is created.
//!
//! Every step (submitted, approved, rejected) is an event written in the
//! transaction of the row change; the notification service turns them into
//! the mails (to the applicant, and to admins for a new application), with
//! templates, delivery tracking and retries. The registration token travels
//! sealed with the platform keyring; the link is built by the notification
//! service.
//!
//! The token is stored as a SHA-256 and is the capability for redeeming
//! it. A redemption hands back a `claim`; only its holder (auth, in the
//! registration saga) can release the token again if the account could
//! not be created — so a released-and-reused token cannot happen behind
//! the registrant's back.

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{Duration, Utc};
use kit::extract::{Multipart, Path, Query};
use kit::{Error, Result};
use kit::{
    authz::{Admins, Authorized},
    events::catalog,
    json::{Json, ValidJson},
    pagination::{Page, PageParams},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::{cv, entity::application, state::AppState};

/// The largest CV accepted.
pub const MAX_CV_BYTES: usize = 2 * 1024 * 1024;
/// How long a registration link works.
pub const TOKEN_TTL_HOURS: i64 = 24;

const PENDING: &str = "pending";
const APPROVED: &str = "approved";
const REJECTED: &str = "rejected";

#[derive(Debug, Serialize, ToSchema)]
pub struct Application {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub details: String,
    pub status: String,
    pub cv_content_type: String,
    pub reject_reason: Option<String>,
    /// When the current registration link stops working (approved ones).
    pub token_expires_at: Option<chrono::DateTime<Utc>>,
    pub token_used: bool,
    pub created_at: chrono::DateTime<Utc>,
}

impl From<application::Model> for Application {
    fn from(a: application::Model) -> Self {
        Self {
            id: a.id,
            name: a.name,
            email: a.email,
            details: a.details,
            status: a.status,
            cv_content_type: a.cv_content_type,
            reject_reason: a.reject_reason,
            token_expires_at: a.token_expiry,
            token_used: a.token_used_at.is_some(),
            created_at: a.created_at,
        }
    }
}

use kit::crypto::{new_secret as secret, secret_digest as digest};

/// Writes an application event to the outbox of `txn`, the transaction of
/// the change it reports.
async fn announce<C: ConnectionTrait>(
    txn: &C,
    kind: &str,
    a: &application::Model,
    data: &impl Serialize,
) -> Result<(), DbErr> {
    kit::events::publish(txn, "doctor", kind, Some(format!("application/{}", a.id)), data).await?;
    Ok(())
}

/// The form's fields, read from multipart and checked.
struct Form {
    name: String,
    email: String,
    details: String,
    cv: Vec<u8>,
}

async fn read_form(Multipart(mut multipart): Multipart) -> Result<Form> {
    let (mut name, mut email, mut details, mut cv) = (None, None, None, None);
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::Problem(kit::Problem::payload_too_large("the CV may be at most 2 MB"))
        } else {
            Error::Problem(kit::Problem::bad_request(e.body_text()))
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "name" => name = Some(field.text().await.map_err(bad)?),
            "email" => email = Some(field.text().await.map_err(bad)?),
            "details" => details = Some(field.text().await.map_err(bad)?),
            "cv" => cv = Some(field.bytes().await.map_err(bad)?.to_vec()),
            _ => {}
        }
    }
    let name = name.map(|n| n.trim().to_owned()).filter(|n| (1..=255).contains(&n.len()));
    let name = name.ok_or_else(|| Error::invalid("name", "is required (at most 255 characters)"))?;
    let email = email.map(|e| e.trim().to_lowercase()).unwrap_or_default();
    if email.len() > 255 || !validator::ValidateEmail::validate_email(&email) {
        return Err(Error::invalid("email", "is not an email address"));
    }
    let details = details.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty() && d.len() <= 10_000);
    let details =
        details.ok_or_else(|| Error::invalid("details", "is required (at most 10000 characters)"))?;
    let cv = cv.filter(|c| !c.is_empty()).ok_or_else(|| Error::invalid("cv", "is required"))?;
    if cv.len() > MAX_CV_BYTES {
        return Err(kit::Problem::payload_too_large("the CV may be at most 2 MB").into());
    }
    Ok(Form { name, email, details, cv })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Submitted {
    pub id: i64,
    pub status: String,
}

#[utoipa::path(post, path = "/api/v1/doctor-applications", tag = "doctor-applications",
    request_body(content_type = "multipart/form-data", description = "name, email, details, cv (pdf/doc/docx, at most 2 MB)"),
    responses((status = 201, body = Submitted), (status = 413), (status = 415), (status = 422)))]
pub async fn submit(
    State(state): State<AppState>,
    multipart: Multipart,
) -> Result<(StatusCode, Json<Submitted>)> {
    let mut form = read_form(multipart).await?;
    let file = std::mem::take(&mut form.cv);
    let (kind, file) = tokio::task::spawn_blocking(move || cv::check(&file).map(|kind| (kind, file)))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(|rejected| match rejected {
            cv::Rejected::ArchiveTooLarge => kit::Problem::invalid_field("cv", rejected.to_string()),
            cv::Rejected::UnknownType | cv::Rejected::BrokenArchive => {
                kit::Problem::unsupported_media_type(rejected.to_string())
            }
        })?;
    let key = format!("cv/{}.{}", uuid::Uuid::new_v4(), kind.extension());
    state.ctx.objects.put(&key, file.into()).await.map_err(anyhow::Error::from)?;
    let row = match record(&state, form, key.clone(), kind.media_type()).await {
        Ok(row) => row,
        Err(e) => {
            // No row points at the file: remove it rather than leave it orphaned.
            if let Err(gone) = state.ctx.objects.delete(&key).await {
                tracing::warn!(error = %gone, "could not remove the CV of a failed application");
            }
            return Err(e);
        }
    };
    Ok((StatusCode::CREATED, Json(Submitted { id: row.id, status: row.status })))
}

/// The application row and its event, in one transaction.
async fn record(state: &AppState, form: Form, key: String, media_type: &str) -> Result<application::Model> {
    let now = Utc::now();
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let row = application::ActiveModel {
        name: Set(form.name),
        email: Set(form.email),
        details: Set(form.details),
        cv: Set(key),
        cv_content_type: Set(media_type.to_owned()),
        status: Set(PENDING.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let submitted = catalog::DoctorApplicationSubmitted {
        application_id: row.id,
        name: row.name.clone(),
        email: row.email.clone(),
    };
    announce(&txn, catalog::DOCTOR_APPLICATION_SUBMITTED, &row, &submitted).await?;
    txn.commit().await?;
    Ok(row)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    pub status: Option<String>,
    /// 1-based; `page × per_page` at most 10,000,000, else 422.
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/doctor-applications", tag = "doctor-applications", params(ListQuery),
    responses((status = 200, body = inline(Page<Application>)), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<Application>>> {
    let paging = PageParams { page: q.page, per_page: q.per_page }.check()?;
    let mut query = application::Entity::find();
    if let Some(s) = q.status.as_deref().filter(|s| !s.is_empty()) {
        if ![PENDING, APPROVED, REJECTED].contains(&s) {
            return Err(Error::invalid("status", "must be pending, approved or rejected"));
        }
        query = query.filter(application::Column::Status.eq(s));
    }
    let total = query.clone().count(&state.ctx.db).await?;
    let rows = query
        .order_by_desc(application::Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page())
        .all(&state.ctx.db)
        .await?;
    Ok(Json(Page::new(rows.into_iter().map(Application::from).collect(), paging, total)))
}

async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<application::Model> {
    application::Entity::find_by_id(id).one(conn).await?.ok_or(Error::NotFound)
}

/// The application, locked for the rest of `txn`: of two decisions racing
/// (an approval and a rejection), the second sees the first's result
/// instead of overwriting it, and the events follow the same order.
async fn find_for_update(txn: &DatabaseTransaction, id: i64) -> Result<application::Model> {
    application::Entity::find_by_id(id).lock_exclusive().one(txn).await?.ok_or(Error::NotFound)
}

#[utoipa::path(get, path = "/api/v1/doctor-applications/{id}/cv", tag = "doctor-applications",
    responses((status = 200, description = "the CV file"), (status = 403), (status = 404)))]
pub async fn cv_file(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<i64>,
) -> Result<Response> {
    let a = find(&state.ctx.db, id).await?;
    let bytes = match state.ctx.objects.get(&a.cv).await {
        Ok(b) => b,
        Err(kit::objects::ObjectsError::NotFound) => return Err(Error::NotFound),
        Err(e) => return Err(anyhow::Error::from(e).into()),
    };
    let ext = a.cv.rsplit('.').next().unwrap_or("bin");
    let disposition = format!("attachment; filename=\"application-{id}-cv.{ext}\"");
    Ok((
        [
            (header::CONTENT_TYPE, a.cv_content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/v1/doctor-applications/{id}/approve", tag = "doctor-applications",
    responses((status = 200, body = Application), (status = 403), (status = 404), (status = 409)))]
pub async fn approve(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<i64>,
) -> Result<Json<Application>> {
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let a = find_for_update(&txn, id).await?;
    // Approving again (link expired or lost) mints a fresh token; a used one stays used.
    if a.status == REJECTED || a.token_used_at.is_some() {
        return Err(Error::conflict(
            "only a pending application, or an approved one not yet used, can be approved",
        ));
    }
    let token = secret();
    let now = Utc::now();
    let expires_at = now + Duration::hours(TOKEN_TTL_HOURS);
    let mut active = a.into_active_model();
    active.status = Set(APPROVED.to_owned());
    active.registration_token = Set(Some(digest(&token)));
    active.token_expiry = Set(Some(expires_at));
    active.claim_hash = Set(None);
    active.updated_at = Set(now);
    let a = active.update(&txn).await?;
    let approved = catalog::DoctorApplicationApproved {
        application_id: a.id,
        name: a.name.clone(),
        email: a.email.clone(),
        token_sealed: state.ctx.keyring.seal_str(&token),
        expires_at,
    };
    announce(&txn, catalog::DOCTOR_APPLICATION_APPROVED, &a, &approved).await?;
    txn.commit().await?;
    Ok(Json(a.into()))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct Rejection {
    #[validate(length(min = 1, max = 1000, message = "is required (at most 1000 characters)"))]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/doctor-applications/{id}/reject", tag = "doctor-applications", request_body = Rejection,
    responses((status = 200, body = Application), (status = 403), (status = 404), (status = 409)))]
pub async fn reject(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<i64>,
    ValidJson(req): ValidJson<Rejection>,
) -> Result<Json<Application>> {
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let a = find_for_update(&txn, id).await?;
    if a.token_used_at.is_some() || a.status == REJECTED {
        return Err(Error::conflict("the application is already rejected or its token was used"));
    }
    let reason = req.reason.trim().to_owned();
    let mut active = a.into_active_model();
    active.status = Set(REJECTED.to_owned());
    active.reject_reason = Set(Some(reason.clone()));
    active.registration_token = Set(None);
    active.token_expiry = Set(None);
    active.updated_at = Set(Utc::now());
    let a = active.update(&txn).await?;
    let rejected = catalog::DoctorApplicationRejected {
        application_id: a.id,
        name: a.name.clone(),
        email: a.email.clone(),
        reason,
    };
    announce(&txn, catalog::DOCTOR_APPLICATION_REJECTED, &a, &rejected).await?;
    txn.commit().await?;
    Ok(Json(a.into()))
}

#[utoipa::path(delete, path = "/api/v1/doctor-applications/{id}", tag = "doctor-applications",
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn delete(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    let a = find(&state.ctx.db, id).await?;
    application::Entity::delete_by_id(id).exec(&state.ctx.db).await?;
    if let Err(e) = state.ctx.objects.delete(&a.cv).await {
        // The row is gone; an orphaned file is only storage, and is logged.
        tracing::warn!(application_id = id, error = %e, "CV not deleted");
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Redeem {
    pub token: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Redeemed {
    pub application_id: i64,
    pub name: String,
    pub email: String,
    /// Hand it back to release the token if the account cannot be made.
    pub claim: String,
}

#[utoipa::path(post, path = "/api/v1/doctor-applications/redeem", tag = "doctor-applications", request_body = Redeem,
    responses((status = 200, body = Redeemed), (status = 404, description = "unknown token"),
        (status = 410, description = "expired or already used")))]
pub async fn redeem(State(state): State<AppState>, Json(req): Json<Redeem>) -> Result<Json<Redeemed>> {
    let hash = digest(&req.token);
    let a = application::Entity::find()
        .filter(application::Column::RegistrationToken.eq(&hash))
        .filter(application::Column::Status.eq(APPROVED))
        .one(&state.ctx.db)
        .await?
        .ok_or(Error::NotFound)?;
    let now = Utc::now();
    if a.token_used_at.is_some() {
        return Err(kit::Problem::gone("this registration link was already used").into());
    }
    if a.token_expiry.is_none_or(|e| e <= now) {
        return Err(kit::Problem::gone("this registration link has expired; ask for a new one").into());
    }
    let claim = secret();
    // Exactly once: of two racing redemptions, one updates the row.
    let won = application::Entity::update_many()
        .col_expr(application::Column::TokenUsedAt, Expr::value(now))
        .col_expr(application::Column::ClaimHash, Expr::value(digest(&claim)))
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .filter(application::Column::Id.eq(a.id))
        .filter(application::Column::TokenUsedAt.is_null())
        .filter(application::Column::TokenExpiry.gt(now))
        .exec(&state.ctx.db)
        .await?;
    if won.rows_affected == 0 {
        return Err(kit::Problem::gone("this registration link was already used").into());
    }
    Ok(Json(Redeemed { application_id: a.id, name: a.name, email: a.email, claim }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Release {
    pub token: String,
    pub claim: String,
}

#[utoipa::path(post, path = "/api/v1/doctor-applications/release", tag = "doctor-applications", request_body = Release,
    responses((status = 204), (status = 404)))]
pub async fn release(State(state): State<AppState>, Json(req): Json<Release>) -> Result<StatusCode> {
    let done = application::Entity::update_many()
        .col_expr(application::Column::TokenUsedAt, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .col_expr(application::Column::ClaimHash, Expr::value(Option::<String>::None))
        .col_expr(application::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(application::Column::RegistrationToken.eq(digest(&req.token)))
        .filter(application::Column::ClaimHash.eq(digest(&req.claim)))
        .exec(&state.ctx.db)
        .await?;
    if done.rows_affected == 0 {
        return Err(Error::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}
