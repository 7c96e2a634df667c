//! The patient service's tables.

pub mod access_log;
pub mod address;
pub mod care;
pub mod directory;
pub mod history;
pub mod insurance;
pub mod patient;
pub mod preferences;
