//! A doctor's slots: weekly rows and one-off rows, never overlapping, never
//! moved or deleted from under an active appointment.

pub mod changes;
pub mod management;
pub mod overlap;
pub mod shape;
