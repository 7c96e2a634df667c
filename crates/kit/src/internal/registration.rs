//! The doctor-registration saga's calls from auth to the doctor service:
//! redeem an approved application's registration token, and release it
//! again when the account could not be created (see auth's
//! `routes/doctor_registration.rs` for the saga, and doctor's
//! `routes/applications.rs` for the token).
//!
//! Both sides use these types, so renaming a field breaks the build
//! instead of the saga. The calls are service-to-service: under
//! `/internal/`, never routed by the gateway, and answered only to a
//! caller holding the service credential (see [`super`]).

use serde::{Deserialize, Serialize};

use crate::{ids::ApplicationId, peer::PeerError, service::ServiceContext};

/// The service that owns registration tokens.
pub const OWNER: &str = "doctor";
/// The only service that may redeem or release them.
pub const CALLER: &str = "auth";
pub const REDEEM: &str = "/internal/doctor-applications/redeem";
pub const RELEASE: &str = "/internal/doctor-applications/release";

#[derive(Debug, Serialize, Deserialize)]
pub struct Redeem {
    pub token: String,
}

/// What a redemption answers: `claim` is what proves, when releasing,
/// that the caller is the one who redeemed.
#[derive(Debug, Serialize, Deserialize)]
pub struct Redeemed {
    pub application_id: ApplicationId,
    pub name: String,
    pub email: String,
    pub claim: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Release {
    pub token: String,
    pub claim: String,
}

/// Redeems `token` at the doctor service (404 unknown, 410 expired or
/// already used, passed through in the error).
pub async fn redeem(ctx: &ServiceContext, token: &str) -> Result<Redeemed, PeerError> {
    let body = Redeem { token: token.to_owned() };
    super::post(ctx, OWNER, REDEEM, &format!("redeem-{}", uuid::Uuid::new_v4()), &body).await
}

/// Hands a redeemed token back, so the applicant can try again.
pub async fn release(ctx: &ServiceContext, token: &str, claim: &str) -> Result<(), PeerError> {
    let body = Release { token: token.to_owned(), claim: claim.to_owned() };
    let key = format!("release-{}", uuid::Uuid::new_v4());
    super::post::<_, serde::de::IgnoredAny>(ctx, OWNER, RELEASE, &key, &body).await.map(|_| ())
}
