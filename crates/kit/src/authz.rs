//! Role checks as extractors, so a route's "who" is decided before its
//! "what": axum runs request-parts extractors in argument order and the
//! body extractor last, so a handler taking `Authorized<Admins>` first
//! answers 401/403 before any path, query or body is looked at. A patient
//! probing an admin route learns "not yours" (403), never which fields the
//! route expects (422).
//!
//! Finer rules (its doctor, its patient, care relationships) stay in the
//! handlers: they need the resource, and answer 404 rather than leak it.

use std::{marker::PhantomData, ops::Deref};

use axum::{extract::FromRequestParts, http::request::Parts};

use crate::identity::{AuthUser, Role};

/// A set of roles a route admits.
pub trait Roles: Send + Sync + 'static {
    const ROLES: &'static [Role];
}

/// Admins only.
pub struct Admins;
/// Doctors only.
pub struct Doctors;
/// Patients only.
pub struct Patients;
/// Doctors and admins.
pub struct DoctorsAndAdmins;
/// Patients and doctors (who write medical history).
pub struct PatientsAndDoctors;

impl Roles for Admins {
    const ROLES: &'static [Role] = &[Role::Admin];
}
impl Roles for Doctors {
    const ROLES: &'static [Role] = &[Role::Doctor];
}
impl Roles for Patients {
    const ROLES: &'static [Role] = &[Role::Patient];
}
impl Roles for DoctorsAndAdmins {
    const ROLES: &'static [Role] = &[Role::Doctor, Role::Admin];
}
impl Roles for PatientsAndDoctors {
    const ROLES: &'static [Role] = &[Role::Patient, Role::Doctor];
}

/// An authenticated caller whose role is one of `R::ROLES`: 401 without a
/// valid token, 403 with another role. Derefs to the [`AuthUser`].
pub struct Authorized<R: Roles> {
    pub user: AuthUser,
    roles: PhantomData<R>,
}

impl<R: Roles> Deref for Authorized<R> {
    type Target = AuthUser;
    fn deref(&self) -> &AuthUser {
        &self.user
    }
}

impl<R: Roles> std::fmt::Debug for Authorized<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authorized").field("user", &self.user).field("roles", &R::ROLES).finish()
    }
}

impl<S: Send + Sync, R: Roles> FromRequestParts<S> for Authorized<R> {
    type Rejection = crate::Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        user.require(R::ROLES)?;
        Ok(Self { user, roles: PhantomData })
    }
}
