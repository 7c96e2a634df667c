use sea_orm::entity::prelude::*;

/// The legacy `applications` row plus what the platform tracks. The
/// registration token is stored as a SHA-256 (the monolith kept it in
/// clear); `token_used_at` makes it single-use, `claim_hash` lets only the
/// redeemer undo a redemption (see `routes::applications`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub email: String,
    #[sea_orm(column_type = "Text")]
    pub details: String,
    /// Object-store key of the CV.
    pub cv: String,
    pub cv_content_type: String,
    pub status: String,
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
