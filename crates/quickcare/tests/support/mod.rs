//! Whole-platform test support: the `harness` crate driving this package's
//! own `quickcare` binary, plus an HTTP client for the API.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

pub mod api;

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
    for _ in 0..400 {
        // A listing may race a mail being written (renamed into place): try again.
        let found = mailbox
            .list()
            .ok()
            .and_then(|mails| mails.into_iter().rev().find(|m| m.to.contains(to) && m.text.contains(needle)));
        if let Some(mail) = found {
            return mail;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("no mail to {to} containing {needle:?}");
}
