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

/// What a template would send, rendered by the real engine with sample
/// variables (the caller's `vars` win over the samples).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Preview {
    pub subject: String,
    /// The message as plain text (mail bodies and SMS are sent as text).
    pub text: String,
}

/// Values for the variables the built-in templates use, so a preview
/// reads like a real message.
fn sample_vars() -> serde_json::Map<String, serde_json::Value> {
    let samples = serde_json::json!({
        "name": "Amina El Amrani", "doctor": "Dr Tazi", "patient": "Amina El Amrani",
        "when": "mardi 3 décembre 2030, 09:00", "reason": "Consultation", "minutes": 60, "hours": 24,
        "expires": "2030-12-03 10:00", "link": "https://quickcare.example/reset?token=sample",
        "token": "sample-token", "application_id": 42, "applicant": "Dr Alami",
        "applicant_email": "alami@example.com", "title": "QuickCare", "message": "Bonjour",
    });
    match samples {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// Renders an unsaved `subject` and `body` of template `key` in `locale`:
/// `NotFound` as [`customize`], 422 on the field that does not parse or
/// exceeds the limits.
pub fn preview(
    key: &str,
    locale: &str,
    subject: &str,
    body: &str,
    vars: Option<serde_json::Map<String, serde_json::Value>>,
) -> kit::Result<Preview> {
    if templates::built_in(key, locale).is_none() {
        return Err(kit::Error::NotFound);
    }
    for (field, source) in [("subject", subject), ("body", body)] {
        templates::check(source).map_err(|e| kit::Error::invalid(field, e))?;
    }
    let mut all = sample_vars();
    all.extend(vars.unwrap_or_default());
    let render = |field: &'static str, source: &str| {
        templates::render_source(source, &all)
            .map_err(|e| kit::Error::invalid(field, format!("does not render: {e}")))
    };
    Ok(Preview { subject: render("subject", subject)?, text: render("body", body)? })
}
