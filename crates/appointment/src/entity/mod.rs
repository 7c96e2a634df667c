//! Tables of the appointment service: its own (`schedules`,
//! `appointments`) and the read models fed by other services' events.

pub mod appointment;
pub mod doctor;
pub mod patient;
pub mod schedule;
