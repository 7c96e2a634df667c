use kit::ids::UserId;
use sea_orm::entity::prelude::*;

kit::id_type!(
    /// One refresh token row (auth only).
    RefreshTokenId
);

/// One refresh token, stored as a SHA-256 of the secret. Tokens of one
/// login form a family; rotation marks the old one used, and presenting a
/// used one revokes the family (it was stolen, or the client is broken) —
/// unless within `rotation::REPLAY_WINDOW` of its use, when the sealed
/// successor is the answer again.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "refresh_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: RefreshTokenId,
    pub user_id: UserId,
    pub family_id: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    /// The pair this token was rotated into, sealed under this token
    /// (`rotation::replay`); `None` until used.
    #[sea_orm(column_type = "Text", nullable)]
    pub successor_sealed: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
