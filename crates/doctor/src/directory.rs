//! The public directory of doctors: active profiles only, filtered by
//! specialty, city, name and minimum rating, best rated (or by name)
//! first, in pages that never repeat or skip a doctor.

use kit::{
    Error, Result,
    ids::SpecialtyId,
    pagination::{Page, Paging},
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};

use crate::entity::doctor;

/// What a directory search asks for; every part optional.
#[derive(Debug, Default, Clone)]
pub struct Search<'a> {
    pub specialty_id: Option<SpecialtyId>,
    /// Part of the city, any case.
    pub city: Option<&'a str>,
    /// Part of the doctor's name, any case.
    pub name: Option<&'a str>,
    /// Average rating at least this (0 to 5).
    pub min_rating: Option<f64>,
    /// `rating` (default: best rated first) or `name`.
    pub sort: Option<&'a str>,
}

/// `lower(column) LIKE '%text%'`, with `%` and `_` in the text matching literally.
fn contains(column: doctor::Column, text: &str) -> sea_orm::sea_query::SimpleExpr {
    let pattern = LikeExpr::new(kit::validate::like_contains(text)).escape('\\');
    Expr::expr(Func::lower(Expr::col(column))).like(pattern)
}

fn given(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// One page of active profiles matching `search`; 422 for a minimum
/// rating outside 0..=5 or an unknown sort.
pub async fn search(
    db: &DatabaseConnection,
    search: Search<'_>,
    paging: Paging,
) -> Result<Page<doctor::Model>> {
    let mut query = doctor::Entity::find().filter(doctor::Column::Status.eq(doctor::Status::Active));
    if let Some(id) = search.specialty_id {
        query = query.filter(doctor::Column::SpecialtyId.eq(id));
    }
    if let Some(city) = given(search.city) {
        query = query.filter(contains(doctor::Column::City, city));
    }
    if let Some(name) = given(search.name) {
        query = query.filter(contains(doctor::Column::Name, name));
    }
    if let Some(min) = search.min_rating {
        if !(0.0..=5.0).contains(&min) {
            return Err(Error::invalid("min_rating", "must be between 0 and 5"));
        }
        query = query.filter(doctor::Column::AvgRating.gte(min));
    }
    query = match search.sort {
        None | Some("rating") => query.order_by_desc(doctor::Column::AvgRating),
        Some("name") => query.order_by_asc(doctor::Column::Name),
        Some(_) => return Err(Error::invalid("sort", "must be rating or name")),
    }
    // Ties keep a stable order, so pages never repeat or skip a doctor.
    .order_by_asc(doctor::Column::Id);
    let total = query.clone().count(db).await?;
    let rows = query.offset(paging.offset()).limit(paging.per_page()).all(db).await?;
    Ok(Page::new(rows, paging, total))
}
