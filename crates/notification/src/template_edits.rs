//! Admins' versions of the message templates: the templates as they apply
//! now (an admin's version or the built-in one), and storing a new version.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel};

use crate::{entity::template, templates};

/// One template per built-in key and locale, as it applies now.
#[derive(Debug, Clone, PartialEq)]
pub struct Effective {
    pub key: String,
    pub locale: String,
    pub subject: String,
    pub body: String,
    /// An admin's version rather than the built-in one.
    pub customized: bool,
}

/// Every built-in template, with the admin's version where one is stored.
pub async fn effective(db: &DatabaseConnection) -> kit::Result<Vec<Effective>> {
    let stored = template::Entity::find().all(db).await?;
    Ok(templates::BUILT_IN
        .iter()
        .map(|(key, locale, subject, body)| {
            let own = stored.iter().find(|t| t.key == *key && t.locale == *locale);
            Effective {
                key: (*key).to_owned(),
                locale: (*locale).to_owned(),
                subject: own.map(|t| t.subject.clone()).unwrap_or_else(|| (*subject).to_owned()),
                body: own.map(|t| t.body.clone()).unwrap_or_else(|| (*body).to_owned()),
                customized: own.is_some(),
            }
        })
        .collect())
}

/// Stores the admin's version of template `key` in `locale`: `NotFound`
/// for a key and locale with no built-in template (nothing would send it),
/// 422 on `subject` or `body` when it does not render.
pub async fn customize(
    db: &DatabaseConnection,
    key: &str,
    locale: &str,
    subject: &str,
    body: &str,
) -> kit::Result<Effective> {
    if templates::built_in(key, locale).is_none() {
        return Err(kit::Error::NotFound);
    }
    for (field, source) in [("subject", subject), ("body", body)] {
        templates::check(source).map_err(|e| kit::Error::invalid(field, e))?;
    }
    let row = template::Model {
        key: key.to_owned(),
        locale: locale.to_owned(),
        subject: subject.to_owned(),
        body: body.to_owned(),
        updated_at: Utc::now(),
    };
    let txn = kit::db::begin_write(db).await?;
    let exists = template::Entity::find_by_id((key.to_owned(), locale.to_owned())).one(&txn).await?.is_some();
    let active = row.into_active_model().reset_all();
    if exists {
        active.update(&txn).await?;
    } else {
        active.insert(&txn).await?;
    }
    txn.commit().await?;
    Ok(Effective {
        key: key.to_owned(),
        locale: locale.to_owned(),
        subject: subject.to_owned(),
        body: body.to_owned(),
        customized: true,
    })
}
