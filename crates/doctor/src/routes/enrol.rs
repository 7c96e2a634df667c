//! `POST /api/v1/doctors`: an admin creates a doctor directly.
//!
//! The account is auth's, the profile ours; the response needs both ids.
//! So the account is created by a synchronous call to auth (with the
//! admin's own token — auth decides whether it is allowed — and an
//! idempotency key, so a retried call creates one account), and auth's
//! `user.registered` carries the profile seed. The profile is then written
//! here at once for the response ([`enrolment::enrol`]), and the event's
//! handler finds it and only brings it up to date: whichever comes first
//! creates it, and a crash between the two still ends with the profile,
//! from the event.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
};
use chrono::NaiveDate;
use kit::{Error, Result};
use kit::{
    accounts::{AddressInput, CreateUser, CreatedUser, DoctorSeedInput, PersonInput},
    authz::{Admins, Authorized},
    identity::Role,
    ids::{SpecialtyId, UserId},
    json::{Json, ValidJson},
};
use sea_orm::EntityTrait;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    entity::specialty,
    profiles::{
        enrolment::{self, Seed},
        view::{self, DoctorDetail},
    },
    state::AppState,
};

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct CreateDoctor {
    #[serde(flatten)]
    #[validate(nested)]
    pub person: PersonInput,
    #[validate(custom(function = "kit::validate::birth_date"))]
    pub birth_date: NaiveDate,
    #[validate(nested)]
    pub address: AddressInput,
    #[validate(custom(function = "kit::validate::required"))]
    pub degree: String,
    pub specialty_id: SpecialtyId,
    #[validate(custom(function = "kit::validate::time_zone"))]
    pub timezone: Option<String>,
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
    let account = CreateUser {
        person: req.person.clone(),
        role: Role::Doctor,
        birth_date: Some(req.birth_date),
        address: Some(req.address.clone()),
        doctor: Some(DoctorSeedInput {
            degree: req.degree.clone(),
            specialty_id: req.specialty_id.0,
            timezone: req.timezone.clone(),
        }),
    };
    let created = state
        .ctx
        .peers
        .post_json::<_, CreatedUser>("auth", "/api/v1/admin/users", Some(bearer), &key, &account)
        .await
        .map_err(|e| Error::Problem(e.into_problem()))?;
    let seed = Seed {
        user_id: UserId(created.body.id),
        name: req.person.name.trim().to_owned(),
        birth_date: Some(req.birth_date),
        degree: req.degree.trim().to_owned(),
        specialty_id: req.specialty_id,
        city: Some(req.address.city.trim().to_owned()),
        timezone: req.timezone,
    };
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let profile = enrolment::enrol(&txn, seed).await?;
    let shown = view::detail(&txn, profile).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(shown)))
}
