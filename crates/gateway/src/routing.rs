//! Which service answers which path (api.md), matched on whole segments.

/// Matched in order, on whole path segments.
const TABLE: &[(&str, &str)] = &[
    ("/api/v1/auth", "auth"),
    ("/api/v1/admin/users", "auth"),
    ("/.well-known", "auth"),
    ("/api/v1/patients", "patient"),
    ("/api/v1/specialties", "doctor"),
    ("/api/v1/doctors", "doctor"),
    ("/api/v1/doctor-applications", "doctor"),
    ("/api/v1/schedules", "appointment"),
    ("/api/v1/availability", "appointment"),
    ("/api/v1/appointments", "appointment"),
    ("/api/v1/reports", "appointment"),
    ("/api/v1/notifications", "notification"),
    ("/api/v1/notification-templates", "notification"),
    ("/api/v1/notification-deliveries", "notification"),
    ("/api/v1/ratings", "rating"),
];

/// The service for `path`, if any.
pub fn service_for(path: &str) -> Option<&'static str> {
    TABLE.iter().find(|(prefix, _)| matches_prefix(path, prefix)).map(|(_, s)| *s)
}

fn matches_prefix(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_on_segment_boundaries() {
        assert_eq!(service_for("/api/v1/auth/login"), Some("auth"));
        assert_eq!(service_for("/api/v1/auth/register/doctor"), Some("auth"));
        assert_eq!(service_for("/api/v1/auth/register"), Some("auth"));
        assert_eq!(service_for("/api/v1/patients"), Some("patient"));
        assert_eq!(service_for("/api/v1/patients/7/medical-history"), Some("patient"));
        assert_eq!(service_for("/api/v1/patientsX"), None);
        assert_eq!(service_for("/.well-known/jwks.json"), Some("auth"));
        assert_eq!(service_for("/api/v1/notifications/stream"), Some("notification"));
        assert_eq!(service_for("/elsewhere"), None);
    }
}
