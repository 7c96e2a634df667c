//! `POST /api/v1/doctors`: an admin creates a doctor directly.
//!
//! The account is auth's, the profile ours; the response needs both ids.
//! So the account is created by a synchronous call to auth (with the
//! admin's own token — auth decides whether it is allowed — and an
//! idempotency key, so a retried call creates one account), and auth's
//! `user.registered` carries the profile seed. The profile is then written
//! here at once for the response, and the event's handler finds it and
//! only brings it up to date: whichever comes first creates it (the
//! unique user id settles a tie), and a crash between the two still ends
//! with the profile, from the event.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
};
use chrono::{NaiveDate, Utc};
use kit::{Error, Result};
use kit::{
    authz::{Admins, Authorized},
    json::{Json, ValidJson},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    announce,
    entity::{doctor, specialty},
    routes::view::{self, DoctorDetail},
    state::AppState,
};

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
pub struct Address {
    #[validate(length(min = 1, max = 255, message = "is required (at most 255 characters)"))]
    pub street: String,
    #[validate(length(min = 1, max = 255, message = "is required (at most 255 characters)"))]
    pub city: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct CreateDoctor {
    #[validate(length(min = 1, max = 255, message = "is required (at most 255 characters)"))]
    pub name: String,
    #[validate(email(message = "is not an email address"), length(max = 255))]
    pub email: String,
    #[validate(length(min = 8, max = 128, message = "must be 8 to 128 characters"))]
    pub password: String,
    #[validate(custom(function = "kit::validate::gender"))]
    pub gender: String,
    #[validate(custom(function = "kit::validate::phone"))]
    pub phone: String,
    #[validate(custom(function = "kit::validate::birth_date"))]
    pub birth_date: NaiveDate,
    #[validate(nested)]
    pub address: Address,
    #[validate(length(min = 1, max = 255, message = "is required (at most 255 characters)"))]
    pub degree: String,
    pub specialty_id: i64,
    #[validate(custom(function = "kit::validate::time_zone"))]
    pub timezone: Option<String>,
}

/// The part of auth's answer we need.
#[derive(Deserialize)]
struct Account {
    id: i64,
}

#[utoipa::path(post, path = "/api/v1/doctors", tag = "doctors", request_body = CreateDoctor,
    responses((status = 201, body = DoctorDetail), (status = 403), (status = 409, description = "email taken"),
        (status = 422), (status = 503, description = "auth unavailable")))]
pub async fn create(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    headers: HeaderMap,
    ValidJson(req): ValidJson<CreateDoctor>,
) -> Result<(StatusCode, Json<DoctorDetail>)> {
    if specialty::Entity::find_by_id(req.specialty_id).one(&state.ctx.db).await?.is_none() {
        return Err(Error::invalid("specialty_id", "unknown specialty"));
    }
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(Error::forbidden("a bearer token is required"))?;
    // The client's own key, when it sent one, makes the whole create idempotent.
    let key = headers
        .get(kit::idempotency::HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|k| format!("doctor-create-{k}"))
        .unwrap_or_else(|| format!("doctor-create-{}", uuid::Uuid::new_v4()));
    let account = serde_json::json!({
        "name": req.name, "email": req.email, "password": req.password, "gender": req.gender,
        "phone": req.phone, "role": "doctor", "birth_date": req.birth_date, "address": req.address,
        "doctor": {"degree": req.degree, "specialty_id": req.specialty_id, "timezone": req.timezone},
    });
    let created = state
        .ctx
        .peers
        .post_json::<_, Account>("auth", "/api/v1/admin/users", Some(bearer), &key, &account)
        .await
        .map_err(|e| Error::Problem(e.into_problem()))?;
    let user_id = created.body.id;
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let existing = doctor::Entity::find().filter(doctor::Column::UserId.eq(user_id)).one(&txn).await?;
    let profile = match existing {
        Some(p) => p,
        None => {
            let now = Utc::now();
            let new = doctor::ActiveModel {
                user_id: Set(user_id),
                name: Set(req.name.trim().to_owned()),
                birth_date: Set(Some(req.birth_date)),
                degree: Set(req.degree.trim().to_owned()),
                status: Set(doctor::ACTIVE.into()),
                specialty_id: Set(req.specialty_id),
                city: Set(Some(req.address.city.trim().to_owned())),
                bio: Set(None),
                languages: Set("[]".into()),
                timezone: Set(req.timezone.unwrap_or_else(|| doctor::DEFAULT_TIMEZONE.into())),
                img_url: Set(None),
                avg_rating: Set(0.0),
                rating_count: Set(0),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            match new.insert(&txn).await {
                Ok(profile) => {
                    announce::changed(&txn, &profile).await?;
                    profile
                }
                // The event's handler created it between our read and our
                // insert (the unique user id said so): it is the same profile.
                Err(e) if kit::db::is_unique_violation(&e) => doctor::Entity::find()
                    .filter(doctor::Column::UserId.eq(user_id))
                    .one(&txn)
                    .await?
                    .ok_or(Error::Internal(e.into()))?,
                Err(e) => return Err(e.into()),
            }
        }
    };
    let shown = view::detail(&txn, profile).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(shown)))
}
