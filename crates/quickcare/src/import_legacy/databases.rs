//! Each service's database, opened before any legacy row is checked: the
//! checks ask them which ids QuickCare has given rows of its own
//! (`taken`). A real run opens and migrates them as `up` / `serve` do; a
//! dry run writes nowhere and only looks into those that already exist
//! (`kit::db::connect_existing`).

use anyhow::Context;
use kit::config::Settings;
use sea_orm::DatabaseConnection;

/// One per service; `None` on a dry run whose database does not exist yet.
pub struct Databases {
    pub auth: Option<DatabaseConnection>,
    pub patient: Option<DatabaseConnection>,
    pub doctor: Option<DatabaseConnection>,
    pub appointment: Option<DatabaseConnection>,
    pub rating: Option<DatabaseConnection>,
    pub notification: Option<DatabaseConnection>,
}

impl Databases {
    pub async fn open(settings: &Settings, dry_run: bool) -> anyhow::Result<Self> {
        let dbs = Self {
            auth: one(settings, "auth", dry_run).await?,
            patient: one(settings, "patient", dry_run).await?,
            doctor: one(settings, "doctor", dry_run).await?,
            appointment: one(settings, "appointment", dry_run).await?,
            rating: one(settings, "rating", dry_run).await?,
            notification: one(settings, "notification", dry_run).await?,
        };
        if !dry_run {
            dbs.migrate().await?;
        }
        Ok(dbs)
    }

    /// Each service's name and database.
    pub fn each(&self) -> [(&'static str, Option<&DatabaseConnection>); 6] {
        [
            ("auth", self.auth.as_ref()),
            ("patient", self.patient.as_ref()),
            ("doctor", self.doctor.as_ref()),
            ("appointment", self.appointment.as_ref()),
            ("rating", self.rating.as_ref()),
            ("notification", self.notification.as_ref()),
        ]
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        if let Some(db) = &self.auth {
            auth::migrate(db).await?;
        }
        if let Some(db) = &self.patient {
            patient::migrate(db).await?;
        }
        if let Some(db) = &self.doctor {
            doctor::migrate(db).await?;
        }
        if let Some(db) = &self.appointment {
            appointment::migrate(db).await?;
        }
        if let Some(db) = &self.rating {
            rating::migrate(db).await?;
        }
        if let Some(db) = &self.notification {
            notification::migrate(db).await?;
        }
        Ok(())
    }
}

async fn one(
    settings: &Settings,
    name: &'static str,
    dry_run: bool,
) -> anyhow::Result<Option<DatabaseConnection>> {
    let what = || format!("{name} database");
    Ok(if dry_run {
        kit::db::connect_existing(settings, name).await.with_context(what)?
    } else {
        Some(kit::db::connect(settings, name).await.with_context(what)?)
    })
}
