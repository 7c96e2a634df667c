//! Waking the outbox relay when a transaction that wrote to the outbox
//! has committed, so an event leaves within a moment instead of at the
//! relay's next idle poll.
//!
//! A transaction cannot tell anyone when it commits, but the unit of work
//! around it can: a request handler, an event handler, a job run. Such a
//! unit runs inside [`after_commit`], [`publish`](super::publish) notes the
//! source it wrote for in the unit's task-local set, and once the unit is
//! done — its transactions committed or rolled back — every relay of those
//! sources in this process is woken. A spurious wake (a rollback) costs
//! one empty query. Rows written elsewhere (another instance, a write
//! outside any unit) are still found by the relay's poll.

use std::{
    cell::RefCell,
    collections::{BTreeSet, HashMap},
    future::Future,
    sync::{Arc, LazyLock, Mutex, Weak},
};

use tokio::sync::Notify;

tokio::task_local! {
    static WRITTEN: RefCell<BTreeSet<String>>;
}

/// The relays of this process, by the source they publish for.
static RELAYS: LazyLock<Mutex<HashMap<String, Vec<Weak<Notify>>>>> = LazyLock::new(Default::default);

/// Runs `unit`, then wakes the relays of every source it published for.
/// Nested units wake when the outermost one is done.
pub async fn after_commit<F: Future>(unit: F) -> F::Output {
    if WRITTEN.try_with(|_| ()).is_ok() {
        return unit.await;
    }
    let (output, written) = WRITTEN
        .scope(RefCell::new(BTreeSet::new()), async move {
            let output = unit.await;
            (output, WRITTEN.with(|w| std::mem::take(&mut *w.borrow_mut())))
        })
        .await;
    for source in written {
        wake(&source);
    }
    output
}

/// Notes that the current unit of work wrote an event for `source`.
pub(super) fn written(source: &str) {
    let _ = WRITTEN.try_with(|w| {
        let mut w = w.borrow_mut();
        if !w.contains(source) {
            w.insert(source.to_owned());
        }
    });
}

/// A relay's doorbell: registered under its source for as long as it lives.
pub(super) fn register(source: &str) -> Arc<Notify> {
    let bell = Arc::new(Notify::new());
    if let Ok(mut relays) = RELAYS.lock() {
        let list = relays.entry(source.to_owned()).or_default();
        list.retain(|w| w.strong_count() > 0);
        list.push(Arc::downgrade(&bell));
    }
    bell
}

/// Wakes every live relay of `source` (a relay busy right now keeps the
/// permit and runs again as soon as it is done).
fn wake(source: &str) {
    let bells: Vec<Arc<Notify>> = match RELAYS.lock() {
        Ok(relays) => {
            relays.get(source).map(|l| l.iter().filter_map(Weak::upgrade).collect()).unwrap_or_default()
        }
        Err(_) => Vec::new(),
    };
    for bell in bells {
        bell.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_unit_that_wrote_rings_its_sources_relays_once_done() {
        let mine = register("wake-test-mine");
        let other = register("wake-test-other");
        after_commit(async {
            written("wake-test-mine");
            // Nothing rings before the unit is over.
            assert!(
                tokio::time::timeout(std::time::Duration::ZERO, mine.notified()).await.is_err(),
                "rang before the unit ended"
            );
        })
        .await;
        tokio::time::timeout(std::time::Duration::from_secs(5), mine.notified())
            .await
            .expect("the relay of the written source is woken");
        assert!(
            tokio::time::timeout(std::time::Duration::ZERO, other.notified()).await.is_err(),
            "another source's relay was woken"
        );
    }

    #[tokio::test]
    async fn a_write_outside_any_unit_rings_nothing() {
        let bell = register("wake-test-outside");
        written("wake-test-outside");
        assert!(tokio::time::timeout(std::time::Duration::ZERO, bell.notified()).await.is_err());
    }
}
