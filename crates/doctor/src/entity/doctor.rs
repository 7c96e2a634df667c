/// Whether a profile is listed: kit's, as `doctor.changed` carries it to
/// the read models of other services.
pub use kit::events::catalog::DoctorStatus as Status;
use kit::ids::{DoctorId, SpecialtyId, UserId};
use sea_orm::entity::prelude::*;
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
