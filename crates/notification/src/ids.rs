//! The ids only this service knows (the ones that cross services are in
//! `kit::ids`).

kit::id_type!(
    /// An in-app notification (`notifications.id`).
    NotificationId
);
kit::id_type!(
    /// One message on one channel (`notification_deliveries.id`).
    DeliveryId
);
