use kit::ids::{DoctorId, SpecialtyId, UserId};
use sea_orm::entity::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

/// Whether a profile is listed (stored and sent as its lower-case name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
#[schema(as = DoctorStatus)]
pub enum Status {
    /// Listed publicly and bookable.
    #[sea_orm(string_value = "active")]
    Active,
    /// Hidden from everyone but admins and the doctor.
    #[sea_orm(string_value = "inactive")]
    Inactive,
}

impl Status {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Inactive => "inactive",
        }
    }

    /// The status named `s`, if any.
    pub fn parse(s: &str) -> Option<Self> {
        [Status::Active, Status::Inactive].into_iter().find(|v| v.as_str() == s)
    }
}
/// The monolith's zone: every legacy doctor practises in Morocco.
pub const DEFAULT_TIMEZONE: &str = "Africa/Casablanca";

/// The legacy `doctors` row, widened with the profile fields the listing
/// shows. `name` is a copy of the account's (auth owns it; user events keep
/// it current) so a listing needs no call to auth. `specialty_id` has no
/// foreign key: a registration may name a specialty this service has not
/// seen yet (the producer validated it), and the profile must not be lost.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "doctors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: DoctorId,
    #[sea_orm(unique)]
    pub user_id: UserId,
    pub name: String,
    pub birth_date: Option<Date>,
    pub degree: String,
    /// `active` or `inactive`; only active doctors are listed publicly.
    pub status: Status,
    pub specialty_id: SpecialtyId,
    pub city: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub bio: Option<String>,
    /// A JSON array of strings.
    pub languages: String,
    /// IANA zone the doctor's slots are written in.
    pub timezone: String,
    pub img_url: Option<String>,
    pub avg_rating: f64,
    pub rating_count: i64,
    /// Version of the rating summary these two come from (see `read_models::summary`).
    pub rating_version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The stored languages; a value that is not a JSON string array (only
    /// possible through a hand-edited row) reads as none rather than failing the page.
    pub fn language_list(&self) -> Vec<String> {
        serde_json::from_str(&self.languages).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_keep_their_stored_and_wire_names() {
        for (status, name) in [(Status::Active, "active"), (Status::Inactive, "inactive")] {
            assert_eq!(status.as_str(), name);
            assert_eq!(status.to_value(), name);
            assert_eq!(Status::parse(name), Some(status));
            assert_eq!(serde_json::to_value(status).unwrap(), name);
        }
        assert_eq!(Status::parse("Active"), None);
    }
}
