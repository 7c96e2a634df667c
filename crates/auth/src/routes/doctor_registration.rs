//! `POST /api/v1/auth/register/doctor`: an approved applicant becomes a
//! doctor account.
//!
//! The registration token belongs to the doctor service (it minted it at
//! approval); the account belongs here. The two agree by a small saga:
//!
//! 1. validate the request and that the email is free (most failures end here);
//! 2. redeem the token at the doctor service (a service-to-service call,
//!    `kit::internal::registration`) — it is marked used there, once, by a
//!    conditional update (404 unknown, 410 expired or used);
//! 3. create the user, whose `user.registered` event carries the profile
//!    the doctor service then builds;
//! 4. if step 3 fails, release the token (compensation), so the applicant
//!    can try again. The token is the capability for redeeming; releasing
//!    also needs the `claim` the redemption returned, so only the redeemer
//!    can undo it.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use chrono::NaiveDate;
use kit::{
    Result,
    accounts::{AddressInput, PersonInput},
    events::catalog,
    identity::Role,
    internal::registration,
    json::{Json, ValidJson},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    accounts::{NewUser, ProfileSeed, create_user, email_taken},
    entity::user,
    state::AppState,
};

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct DoctorRegistration {
    #[validate(length(min = 16, max = 128, message = "is not a registration token"))]
    pub token: String,
    #[serde(flatten)]
    #[validate(nested)]
    pub person: PersonInput,
    #[validate(custom(function = "kit::validate::birth_date"))]
    pub birth_date: NaiveDate,
    #[validate(nested)]
    pub address: AddressInput,
    #[validate(custom(function = "kit::validate::required"))]
    pub degree: String,
    pub specialty_id: i64,
    #[validate(custom(function = "kit::validate::time_zone"))]
    pub timezone: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/auth/register/doctor", tag = "auth", request_body = DoctorRegistration,
    responses((status = 201, body = crate::tokens::Session), (status = 404, description = "unknown token"),
        (status = 409, description = "email taken"), (status = 410, description = "token expired or used"),
        (status = 422)))]
pub async fn register_doctor(
    State(state): State<AppState>,
    ValidJson(req): ValidJson<DoctorRegistration>,
) -> Result<impl IntoResponse> {
    let email = req.person.email.trim().to_lowercase();
    let taken = user::Entity::find().filter(user::Column::Email.eq(&email)).count(&state.ctx.db).await? > 0;
    if taken {
        return Err(email_taken());
    }
    let redeemed = registration::redeem(&state.ctx, &req.token)
        .await
        .map_err(|e| kit::Error::Problem(e.into_problem()))?;
    let new = NewUser {
        name: &req.person.name,
        email: &email,
        password: &req.person.password,
        gender: &req.person.gender,
        phone: &req.person.phone,
        role: Role::Doctor,
    };
    let seed = ProfileSeed {
        cin: None,
        birth_date: Some(req.birth_date),
        address: Some(req.address.to_event()),
        doctor: Some(catalog::DoctorProfileSeed {
            degree: req.degree.trim().to_owned(),
            specialty_id: kit::ids::SpecialtyId(req.specialty_id),
            timezone: req.timezone.clone(),
        }),
    };
    match create_user(&state, new, seed).await {
        Ok((_, session)) => {
            tracing::info!(
                application_id = %redeemed.application_id,
                "doctor registered from application"
            );
            Ok((StatusCode::CREATED, Json(session)))
        }
        Err(e) => {
            let released = registration::release(&state.ctx, &req.token, &redeemed.claim).await;
            if let Err(release_error) = released {
                // The token stays used; an admin can approve the application again.
                tracing::error!(error = %release_error, "could not release a registration token after a failed registration");
            }
            Err(e)
        }
    }
}
