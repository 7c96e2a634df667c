//! Booking: a patient on one of a doctor's slots for a date. The rules the
//! booking and reschedule routes share, and the importer calls directly.

pub mod book;
pub mod booker;
pub mod double_booking;
pub mod patient_overlap;
pub mod placement;
pub mod reminder;
