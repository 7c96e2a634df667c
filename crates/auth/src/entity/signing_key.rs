use sea_orm::entity::prelude::*;

/// An Ed25519 signing key; `private_key` is the PKCS#8 DER sealed with the
/// platform keyring. The newest unretired key signs; the JWKS publishes it
/// and the one before. "Newest" is by `id`: timestamps have one-second
/// precision on MySQL, too coarse to order two quick rotations.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub kid: String,
    #[sea_orm(column_type = "Text")]
    pub private_key: String,
    pub created_at: DateTimeUtc,
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
