//! The account forms more than one service takes, written once: the
//! person fields of every sign-up (self-registration and a doctor's
//! registration from an application in auth, an admin's new staff account
//! in auth, an admin's new doctor in doctor), the address, and auth's
//! staff-account request, which the doctor service sends to auth as it is
//! (typed here, so renaming a field breaks the build of both sides).
//!
//! A request embeds [`PersonInput`] with `#[serde(flatten)]` and
//! `#[validate(nested)]` under the field name [`PERSON`]: its fields stay
//! top-level on the wire, and [`crate::json`] reports their errors under
//! their own names (`name`, not `person.name`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{events::catalog, identity::Role};

/// The field name requests give the flattened [`PersonInput`].
pub const PERSON: &str = "person";

/// Who the account is for, and how they sign in.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
pub struct PersonInput {
    #[validate(custom(function = "crate::validate::required"))]
    pub name: String,
    #[validate(email(message = "is not an email address"), length(max = 255))]
    pub email: String,
    #[validate(custom(function = "crate::validate::password"))]
    pub password: String,
    #[validate(custom(function = "crate::validate::gender"))]
    pub gender: String,
    #[validate(custom(function = "crate::validate::phone"))]
    pub phone: String,
}

/// A street address as a person types it.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
pub struct AddressInput {
    #[validate(custom(function = "crate::validate::required"))]
    pub street: String,
    #[validate(custom(function = "crate::validate::required"))]
    pub city: String,
}

impl AddressInput {
    /// As the `user.registered` event carries it: trimmed.
    pub fn to_event(&self) -> catalog::Address {
        catalog::Address { street: self.street.trim().into(), city: self.city.trim().into() }
    }
}

/// A doctor's professional data, for the profile the doctor service
/// builds from `user.registered`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
pub struct DoctorSeedInput {
    #[validate(custom(function = "crate::validate::required"))]
    pub degree: String,
    pub specialty_id: i64,
    #[validate(custom(function = "crate::validate::time_zone"))]
    pub timezone: Option<String>,
}

impl DoctorSeedInput {
    /// As the `user.registered` event carries it: trimmed.
    pub fn to_event(&self) -> catalog::DoctorProfileSeed {
        catalog::DoctorProfileSeed {
            degree: self.degree.trim().to_owned(),
            specialty_id: crate::ids::SpecialtyId(self.specialty_id),
            timezone: self.timezone.clone(),
        }
    }
}

/// `POST /api/v1/admin/users` (auth): a staff account created by an admin —
/// a doctor (with `doctor`) or another admin. Patients register themselves
/// (they bring a national id).
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
pub struct CreateUser {
    #[serde(flatten)]
    #[validate(nested)]
    pub person: PersonInput,
    /// `doctor` or `admin`.
    pub role: Role,
    #[validate(custom(function = "crate::validate::birth_date"))]
    pub birth_date: Option<NaiveDate>,
    #[validate(nested)]
    pub address: Option<AddressInput>,
    #[validate(nested)]
    pub doctor: Option<DoctorSeedInput>,
}

/// The part of auth's answer to [`CreateUser`] a caller needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreatedUser {
    pub id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_fields_stay_top_level_on_the_wire() {
        let body = serde_json::json!({
            "name": "Dr A", "email": "a@example.com", "password": "long enough pass",
            "gender": "female", "phone": "0612345678", "role": "doctor",
            "doctor": {"degree": "MD", "specialty_id": 1},
        });
        let req: CreateUser = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(req.person.name, "Dr A");
        assert!(req.validate().is_ok());
        let back = serde_json::to_value(&req).unwrap();
        assert_eq!(back["email"], "a@example.com");
        assert!(back.get(PERSON).is_none());
    }

    #[test]
    fn person_errors_answer_under_the_fields_own_names() {
        let body = serde_json::json!({
            "name": "", "email": "nope", "password": "long enough pass",
            "gender": "female", "phone": "0612345678", "role": "admin",
        });
        let req: CreateUser = serde_json::from_value(body).unwrap();
        let problem = crate::json::validation_problem(req.validate().unwrap_err());
        let errors = problem.errors.unwrap_or_default();
        assert!(errors.contains_key("name") && errors.contains_key("email"), "{errors:?}");
    }
}
