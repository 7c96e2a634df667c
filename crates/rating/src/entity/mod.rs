//! Tables of the rating service: its own (`ratings`, `rating_reports`,
//! `doctor_summaries`) and the read models fed by other services' events
//! (`patient_directory`, `visits`).

pub mod patient;
pub mod rating;
pub mod report;
pub mod summary;
pub mod visit;
