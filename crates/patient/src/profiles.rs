//! Patient profiles: how a record is shown to those who may see it, how
//! the patient changes it, and which records a listing covers (an admin:
//! all; a doctor: those they care for).

use chrono::{NaiveDate, Utc};
use kit::{
    Result,
    http::ClientIp,
    identity::{AuthUser, Role},
    ids::{PatientId, UserId},
    pagination::Paging,
    service::ServiceContext,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Set,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    access::{self, Action, Resource},
    entity::{address, care, directory, patient},
};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AddressDto {
    #[validate(custom(function = "kit::validate::required"))]
    pub street: String,
    #[validate(custom(function = "kit::validate::required"))]
    pub city: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Profile {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub cin: String,
    pub birth_date: NaiveDate,
    pub gender: String,
    pub phone: String,
    pub address: Option<AddressDto>,
}

/// What the patient may change; `None` keeps the current value.
#[derive(Default)]
pub struct Changes {
    pub phone: Option<String>,
    pub address: Option<AddressDto>,
    pub birth_date: Option<NaiveDate>,
}

/// The profile as shown to an authorized caller: cin opened, contact data
/// from the directory.
pub async fn render<C: ConnectionTrait>(
    ctx: &ServiceContext,
    conn: &C,
    p: &patient::Model,
) -> Result<Profile> {
    let user = directory::Entity::find_by_id(p.user_id).one(conn).await?;
    let addr = match p.address_id {
        Some(id) => address::Entity::find_by_id(id).one(conn).await?,
        None => None,
    };
    Ok(Profile {
        id: p.id.0,
        user_id: p.user_id.0,
        name: user.as_ref().map(|u| u.name.clone()).unwrap_or_default(),
        email: user.as_ref().map(|u| u.email.clone()).unwrap_or_default(),
        cin: ctx.keyring.open_str(&p.cin).map_err(kit::Error::internal)?,
        birth_date: p.birth_date,
        gender: user.as_ref().map(|u| u.gender.clone()).unwrap_or_default(),
        phone: user.as_ref().map(|u| u.phone.clone()).unwrap_or_default(),
        address: addr.map(|a| AddressDto { street: a.rue, city: a.ville }),
    })
}

/// Applies the patient's `changes` to their record `p`, logs the change and
/// returns the new profile. The phone is the account's (auth owns it): set
/// here it shows at once, and the next `user.updated` from auth wins.
/// Address and birth date are ours.
pub async fn update(
    ctx: &ServiceContext,
    caller: &AuthUser,
    client: ClientIp,
    p: patient::Model,
    changes: Changes,
) -> Result<Profile> {
    let txn = kit::db::begin_write(&ctx.db).await?;
    let now = Utc::now();
    let mut active = p.clone().into_active_model();
    if let Some(a) = changes.address {
        let existing = match p.address_id {
            Some(id) => address::Entity::find_by_id(id).one(&txn).await?,
            None => None,
        };
        match existing {
            Some(row) => {
                let mut row = row.into_active_model();
                row.rue = Set(a.street.trim().into());
                row.ville = Set(a.city.trim().into());
                row.updated_at = Set(now);
                row.update(&txn).await?;
            }
            None => {
                let row = address::ActiveModel {
                    rue: Set(a.street.trim().into()),
                    ville: Set(a.city.trim().into()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                active.address_id = Set(Some(row.id));
            }
        }
    }
    if let Some(d) = changes.birth_date {
        active.birth_date = Set(d);
    }
    active.updated_at = Set(now);
    let p = active.update(&txn).await?;
    if let Some(phone) = changes.phone
        && let Some(u) = directory::Entity::find_by_id(p.user_id).one(&txn).await?
    {
        let mut u = u.into_active_model();
        u.phone = Set(phone);
        u.update(&txn).await?;
    }
    access::record(&txn, p.id, caller, client, Action::Update, Resource::Profile).await?;
    let profile = render(ctx, &txn, &p).await?;
    txn.commit().await?;
    Ok(profile)
}

/// The records `caller` may list: all for an admin, a doctor's own
/// patients (a care relationship) for a doctor.
async fn listable(ctx: &ServiceContext, caller: &AuthUser) -> Result<Select<patient::Entity>> {
    let query = patient::Entity::find();
    if !caller.is(Role::Doctor) {
        return Ok(query);
    }
    let mine: Vec<PatientId> = care::Entity::find()
        .filter(care::Column::DoctorUserId.eq(caller.user_id))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|c| c.patient_id)
        .collect();
    Ok(query.filter(patient::Column::Id.is_in(mine)))
}

/// One page of the records `caller` may list (see [`listable`]) whose
/// name or email contains `text`, and the total; each listed record's
/// access is logged.
pub async fn search(
    ctx: &ServiceContext,
    caller: &AuthUser,
    client: ClientIp,
    text: Option<&str>,
    paging: Paging,
) -> Result<(Vec<Profile>, u64)> {
    let mut query = listable(ctx, caller).await?;
    if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = kit::validate::like_contains(text);
        let like = || LikeExpr::new(pattern.clone()).escape('\\');
        let users: Vec<UserId> = directory::Entity::find()
            .filter(
                Condition::any()
                    .add(Expr::expr(Func::lower(Expr::col(directory::Column::Name))).like(like()))
                    .add(Expr::col(directory::Column::Email).like(like())),
            )
            .all(&ctx.db)
            .await?
            .into_iter()
            .map(|u| u.user_id)
            .collect();
        query = query.filter(patient::Column::UserId.is_in(users));
    }
    let total = query.clone().count(&ctx.db).await?;
    let rows = query
        .order_by_asc(patient::Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page())
        .all(&ctx.db)
        .await?;
    let txn = kit::db::begin_write(&ctx.db).await?;
    let mut data = Vec::with_capacity(rows.len());
    for p in &rows {
        access::record(&txn, p.id, caller, client, Action::List, Resource::Profile).await?;
        data.push(render(ctx, &txn, p).await?);
    }
    txn.commit().await?;
    Ok((data, total))
}
