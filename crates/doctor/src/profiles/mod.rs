//! Doctor profiles: how one is created for an account, found for its
//! doctor, changed, and shown.

pub mod enrolment;
pub mod own;
pub mod patch;
pub mod view;
