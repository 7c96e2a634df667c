use kit::{identity::Role, ids::UserId};
use sea_orm::entity::prelude::*;

/// A new contact's language until the patient service says otherwise.
pub const DEFAULT_LOCALE: &str = "fr";
/// A new contact's zone until the patient service says otherwise (the
/// legacy platform's).
pub const DEFAULT_TIMEZONE: &str = "Africa/Casablanca";

/// Read model of accounts (auth's `user.*`, the patient service's
/// preferences): where and how to reach someone, never fetched per message.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// `None` only on a [`Model::transient`] contact (an applicant, or an
    /// account not known here yet), which is never stored.
    pub role: Option<Role>,
    /// `en` or `fr` (others fall back to `fr`, the monolith's language).
    pub locale: String,
    pub timezone: String,
    pub disabled: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// Someone to write to who has no row here: an applicant (`user_id`
    /// [`super::delivery::NO_ACCOUNT`]), or an account the read model has
    /// not caught up with. No phone, the default zone; never stored.
    pub fn transient(user_id: UserId, name: String, email: String, locale: &str) -> Self {
        Self {
            user_id,
            name,
            email,
            phone: String::new(),
            role: None,
            locale: locale.to_owned(),
            timezone: DEFAULT_TIMEZONE.to_owned(),
            disabled: false,
        }
    }
}
