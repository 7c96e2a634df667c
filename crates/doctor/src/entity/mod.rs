//! The doctor service's tables.

pub mod application;
pub mod appointment_fact;
pub mod credential;
pub mod doctor;
pub mod specialty;
