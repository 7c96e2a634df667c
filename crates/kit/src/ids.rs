//! Typed ids: a user id cannot be passed where a patient id is expected.
//!
//! Each is an `i64` on the wire (JSON, paths, query strings: `#[serde(transparent)]`,
//! an integer in OpenAPI) and in the database (SeaORM's `DeriveValueType`,
//! usable as an entity's column or primary key). The ids that cross
//! services live here; an id only one service knows is declared in that
//! service with [`id_type!`](crate::id_type).

/// Declares a typed id (see the module documentation).
#[macro_export]
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::sea_orm::DeriveValueType, ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    };
}

id_type!(
    /// An account in auth (`users.id`); the `sub` of every access token.
    UserId
);
id_type!(
    /// A patient record (patient service), not the user who owns it.
    PatientId
);
id_type!(
    /// A doctor profile (doctor service), not the user who owns it.
    DoctorId
);
id_type!(
    /// A specialty (doctor service).
    SpecialtyId
);
id_type!(
    /// A doctor application (doctor service).
    ApplicationId
);
id_type!(
    /// A weekly or one-off slot (appointment service).
    ScheduleId
);
id_type!(
    /// An appointment (appointment service).
    AppointmentId
);
id_type!(
    /// A rating (rating service).
    RatingId
);
id_type!(
    /// An in-app notification (notification service); it crosses services
    /// in `notification.created`.
    NotificationId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_a_plain_integer_on_the_wire() {
        assert_eq!(serde_json::to_string(&PatientId(7)).unwrap(), "7");
        let id: AppointmentId = serde_json::from_str("42").unwrap();
        assert_eq!(id, AppointmentId(42));
        assert_eq!(UserId(3).to_string(), "3");
    }
}
