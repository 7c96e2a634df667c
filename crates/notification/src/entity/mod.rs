//! The notification service's tables and read models.

pub mod contact;
pub mod delivery;
pub mod doctor;
pub mod notification;
pub mod preference;
pub mod template;
