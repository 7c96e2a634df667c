//! Doctor applications over HTTP: the public form, and admins' review
//! (the rules are in [`crate::applications`]).
//!
//! The registration token is the capability for redeeming it. A
//! redemption hands back a `claim`; only its holder (auth, in the
//! registration saga) can release the token again if the account could
//! not be created — so a released-and-reused token cannot happen behind
//! the registrant's back.

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use kit::extract::{Multipart, Path, Query};
use kit::{Error, Result};
use kit::{
    authz::{Admins, Authorized},
    ids::ApplicationId,
    internal::{
        ServiceCaller,
        registration::{self, Redeem, Redeemed, Release},
    },
    json::{Json, ValidJson},
    pagination::{Page, PageParams},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

pub use crate::applications::MAX_CV_BYTES;
use crate::{
    applications::{
        intake::{self, Form},
        review,
    },
    entity::application,
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct Application {
    pub id: ApplicationId,
    pub name: String,
    pub email: String,
    pub details: String,
    pub status: application::Status,
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

/// The form's fields as sent, read from multipart, then checked.
async fn read_form(Multipart(mut multipart): Multipart) -> Result<Form> {
    let (mut name, mut email, mut details, mut cv) = (None, None, None, None);
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            intake::cv_too_large()
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
    Form::check(name, email, details, cv)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Submitted {
    pub id: ApplicationId,
    pub status: application::Status,
}

#[utoipa::path(post, path = "/api/v1/doctor-applications", tag = "doctor-applications",
    request_body(content_type = "multipart/form-data", description = "name, email, details, cv (pdf/doc/docx, at most 2 MB)"),
    responses((status = 201, body = Submitted), (status = 413), (status = 415), (status = 422)))]
pub async fn submit(
    State(state): State<AppState>,
    multipart: Multipart,
) -> Result<(StatusCode, Json<Submitted>)> {
    let form = read_form(multipart).await?;
    let row = intake::submit(&state.ctx, form).await?;
    Ok((StatusCode::CREATED, Json(Submitted { id: row.id, status: row.status })))
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
    Ok(Json(review::list(&state.ctx.db, q.status.as_deref(), paging).await?.map(Application::from)))
}

#[utoipa::path(get, path = "/api/v1/doctor-applications/{id}/cv", tag = "doctor-applications", params(("id" = i64, Path)),
    responses((status = 200, description = "the CV file"), (status = 403), (status = 404)))]
pub async fn cv_file(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<ApplicationId>,
) -> Result<Response> {
    let a = review::find(&state.ctx.db, id).await?;
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

#[utoipa::path(post, path = "/api/v1/doctor-applications/{id}/approve", tag = "doctor-applications", params(("id" = i64, Path)),
    responses((status = 200, body = Application), (status = 403), (status = 404), (status = 409)))]
pub async fn approve(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<ApplicationId>,
) -> Result<Json<Application>> {
    Ok(Json(review::approve(&state.ctx, id).await?.into()))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct Rejection {
    #[validate(custom(function = "kit::validate::required_up_to::<1000>"))]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/doctor-applications/{id}/reject", tag = "doctor-applications", params(("id" = i64, Path)), request_body = Rejection,
    responses((status = 200, body = Application), (status = 403), (status = 404), (status = 409)))]
pub async fn reject(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<ApplicationId>,
    ValidJson(req): ValidJson<Rejection>,
) -> Result<Json<Application>> {
    Ok(Json(review::reject(&state.ctx.db, id, &req.reason).await?.into()))
}

#[utoipa::path(delete, path = "/api/v1/doctor-applications/{id}", tag = "doctor-applications", params(("id" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn delete(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<ApplicationId>,
) -> Result<StatusCode> {
    review::delete(&state.ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /internal/doctor-applications/redeem`, for auth only (the
/// registration saga): marks the token used, once, and hands back a claim.
pub async fn redeem(
    caller: ServiceCaller,
    State(state): State<AppState>,
    Json(req): Json<Redeem>,
) -> Result<Json<Redeemed>> {
    saga_caller(&caller)?;
    let hash = digest(&req.token);
    let a = application::Entity::find()
        .filter(application::Column::RegistrationToken.eq(&hash))
        .filter(application::Column::Status.eq(application::Status::Approved))
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

/// `POST /internal/doctor-applications/release`, for auth only: undoes a
/// redemption whose account could not be made (the claim proves it is
/// the redeemer's).
pub async fn release(
    caller: ServiceCaller,
    State(state): State<AppState>,
    Json(req): Json<Release>,
) -> Result<StatusCode> {
    saga_caller(&caller)?;
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

/// Only auth takes part in the registration saga; another service's
/// credential is answered as if the route did not exist.
fn saga_caller(caller: &ServiceCaller) -> std::result::Result<(), kit::Problem> {
    if caller.0 == registration::CALLER { Ok(()) } else { Err(kit::Problem::not_found()) }
}
