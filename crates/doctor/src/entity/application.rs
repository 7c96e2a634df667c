use kit::ids::ApplicationId;
use sea_orm::{Iterable, entity::prelude::*};
use serde::Serialize;
use utoipa::ToSchema;

/// Where an application stands (stored and sent as its lower-case name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
#[schema(as = ApplicationStatus)]
pub enum Status {
    /// Waiting for an admin.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Accepted: a registration token is out (or was used).
    #[sea_orm(string_value = "approved")]
    Approved,
    /// Refused, with a reason.
    #[sea_orm(string_value = "rejected")]
    Rejected,
}

impl Status {
    /// The status named `s` (exactly as stored), if any.
    pub fn parse(s: &str) -> Option<Self> {
        Self::iter().find(|v| v.to_value() == s)
    }
}

/// The legacy `applications` row plus what the platform tracks. The
/// registration token is stored as a SHA-256 (the monolith kept it in
/// clear); `token_used_at` makes it single-use, `claim_hash` lets only the
/// redeemer undo a redemption (see `routes::applications`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: ApplicationId,
    pub name: String,
    pub email: String,
    #[sea_orm(column_type = "Text")]
    pub details: String,
    /// Object-store key of the CV.
    pub cv: String,
    pub cv_content_type: String,
    pub status: Status,
    #[sea_orm(unique)]
    pub registration_token: Option<String>,
    pub token_expiry: Option<DateTimeUtc>,
    pub token_used_at: Option<DateTimeUtc>,
    pub claim_hash: Option<String>,
    pub reject_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_keep_their_stored_names() {
        for (name, status) in
            [("pending", Status::Pending), ("approved", Status::Approved), ("rejected", Status::Rejected)]
        {
            assert_eq!(Status::parse(name), Some(status));
            assert_eq!(serde_json::to_value(status).unwrap(), name);
        }
        assert_eq!(Status::parse("Pending"), None);
    }
}
