//! A doctor's profile comes into being for an account: from auth's
//! `user.registered` (see `events`), or at once when an admin enrols a
//! doctor (`POST /api/v1/doctors`), whichever comes first; the unique user
//! id settles a tie.

use chrono::{DateTime, NaiveDate, Utc};
use kit::{
    Error, Result,
    ids::{SpecialtyId, UserId},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};

use crate::{announce, entity::doctor};

/// What a new profile starts from.
#[derive(Debug, Clone)]
pub struct Seed {
    pub user_id: UserId,
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    pub degree: String,
    pub specialty_id: SpecialtyId,
    pub city: Option<String>,
    /// `None`: the platform default.
    pub timezone: Option<String>,
}

impl Seed {
    /// The new, active profile's row: no bio, languages, picture or ratings yet.
    pub fn into_row(self, now: DateTime<Utc>) -> doctor::ActiveModel {
        doctor::ActiveModel {
            user_id: Set(self.user_id),
            name: Set(self.name),
            birth_date: Set(self.birth_date),
            degree: Set(self.degree),
            status: Set(doctor::Status::Active),
            specialty_id: Set(self.specialty_id),
            city: Set(self.city),
            bio: Set(None),
            languages: Set("[]".into()),
            timezone: Set(self.timezone.unwrap_or_else(|| doctor::DEFAULT_TIMEZONE.into())),
            img_url: Set(None),
            avg_rating: Set(0.0),
            rating_count: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
    }
}

/// The profile of `seed.user_id`: the one already here (the event came
/// first), else a new one, announced.
pub async fn enrol(txn: &DatabaseTransaction, seed: Seed) -> Result<doctor::Model> {
    let user_id = seed.user_id;
    let of_user = || doctor::Entity::find().filter(doctor::Column::UserId.eq(user_id)).one(txn);
    if let Some(existing) = of_user().await? {
        return Ok(existing);
    }
    match seed.into_row(Utc::now()).insert(txn).await {
        Ok(profile) => {
            announce::changed(txn, &profile).await?;
            Ok(profile)
        }
        // The event's handler created it between our read and our insert
        // (the unique user id said so): it is the same profile.
        Err(e) if kit::db::is_unique_violation(&e) => of_user().await?.ok_or(Error::Internal(e.into())),
        Err(e) => Err(e.into()),
    }
}
