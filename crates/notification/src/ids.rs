//! The ids only this service knows (the ones that cross services are in
//! `kit::ids`).

pub use kit::ids::NotificationId;

kit::id_type!(
    /// One message on one channel (`notification_deliveries.id`).
    DeliveryId
);
