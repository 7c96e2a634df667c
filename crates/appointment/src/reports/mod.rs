//! Reports for admins (everything) and doctors (their own), built on the
//! caller's [`scope`](crate::scope): the appointment table and home-visit
//! travel times per doctor.

pub mod appointment_rows;
pub mod stats;
pub mod travel_times;
