//! Whole-platform test support: the `harness` crate driving this package's
//! own `quickcare` binary, plus an HTTP client for the API.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

pub mod api;
pub mod legacy;

#[allow(unused_imports)] // each test file uses a different part
pub use harness::{Mode, Options, Platform, modes, redis_server::PrivateRedis};

/// Starts a platform of this build's binary.
pub async fn start(mode: Mode, opts: Options) -> Platform {
    Platform::start(std::path::Path::new(env!("CARGO_BIN_EXE_quickcare")), mode, opts).await.unwrap()
}

/// The newest dev-mailbox mail to `to` whose text contains `needle`, once
/// it is there. Every process of a platform shares its data dir, so this is
/// where the notification service's mails land, in either mode; they come
/// a moment after the request that caused them (an event, then a delivery).
pub async fn wait_mail(p: &Platform, to: &str, needle: &str) -> kit::mail::Mail {
    let mailbox = kit::mail::DevMailbox::new(p.dir.path().join("mailbox"));
    let what = format!("a mail to {to} containing {needle:?}");
    kit::testing::eventually(&what, || async {
        // A listing may race a mail being written (renamed into place): try again.
        mailbox
            .list()
            .ok()
            .and_then(|mails| mails.into_iter().rev().find(|m| m.to.contains(to) && m.text.contains(needle)))
    })
    .await
}

/// The platform mode a test backend stands for: SQLite is the embedded
/// platform (one process), MariaDB + Redis the distributed one.
pub fn mode(backend: kit::testing::Backend) -> Mode {
    match backend {
        kit::testing::Backend::Sqlite => Mode::Embedded,
        kit::testing::Backend::MySql => Mode::Distributed,
    }
}

/// The password of every admin [`admin_token`] makes.
pub const ADMIN_PASSWORD: &str = "admin passphrase 1";

/// A fresh admin's access token (admins are made on the command line, as
/// an operator would).
pub async fn admin_token(p: &Platform, api: &api::Api) -> String {
    let email = api::unique_email("admin");
    p.create_admin(&email, ADMIN_PASSWORD).await.unwrap();
    api.login(&email, ADMIN_PASSWORD).await.body["access_token"].as_str().unwrap().to_owned()
}

/// `GET path`'s body once it answers 200 (what an event makes appears a
/// moment after the request that caused it).
pub async fn ready(api: &api::Api, path: &str, token: Option<&str>) -> serde_json::Value {
    kit::testing::eventually(&format!("{path} to answer 200"), || async {
        let r = api.get(path, token).await;
        (r.status == reqwest::StatusCode::OK).then_some(r.body)
    })
    .await
}

/// The first `day` at least two days ahead: far enough that no booking
/// rule about "too soon" applies, whatever the time of the run.
pub fn next(day: chrono::Weekday) -> chrono::NaiveDate {
    use chrono::Datelike;
    let mut d = chrono::Utc::now().date_naive() + chrono::Duration::days(2);
    while d.weekday() != day {
        d += chrono::Duration::days(1);
    }
    d
}
