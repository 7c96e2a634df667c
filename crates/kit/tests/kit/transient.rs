//! A real InnoDB deadlock is recognised as transient: `Retry` runs the
//! transaction again and, if it keeps failing, the answer is 503 with
//! `Retry-After` rather than 500. A unique violation is not transient. An
//! exhausted pool is 503 too, but not rerun in place.

use std::time::Duration;

use kit::{
    db::{Retry, Transient, is_transient},
    testing::{Backend, TestEnv},
};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};

async fn table(db: &DatabaseConnection) {
    db.execute_unprepared("CREATE TABLE pair (id INT PRIMARY KEY, v INT NOT NULL)").await.unwrap();
    db.execute_unprepared("INSERT INTO pair (id, v) VALUES (1, 0), (2, 0)").await.unwrap();
}

/// Two transactions lock rows 1 and 2 in opposite orders; InnoDB picks a
/// victim and answers it with error 1213.
async fn deadlock(db: &DatabaseConnection) -> DbErr {
    let first = kit::db::begin_write(db).await.unwrap();
    let second = kit::db::begin_write(db).await.unwrap();
    first.execute_unprepared("UPDATE pair SET v = v + 1 WHERE id = 1").await.unwrap();
    second.execute_unprepared("UPDATE pair SET v = v + 1 WHERE id = 2").await.unwrap();
    let crossing = tokio::spawn(async move {
        let r = first.execute_unprepared("UPDATE pair SET v = v + 1 WHERE id = 2").await;
        (first, r)
    });
    // Let the first one block on row 2 before the second closes the cycle.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second_result = second.execute_unprepared("UPDATE pair SET v = v + 1 WHERE id = 1").await;
    let (first, first_result) = crossing.await.unwrap();
    let victim = match (first_result, second_result) {
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => e,
        other => panic!("expected exactly one deadlock victim, got {other:?}"),
    };
    let _ = first.rollback().await;
    let _ = second.rollback().await;
    victim
}

#[tokio::test]
async fn a_deadlock_victim_is_retried_and_then_answers_503() {
    if !kit::testing::backends().contains(&Backend::MySql) {
        return;
    }
    let env = TestEnv::new(Backend::MySql);
    let db = kit::db::connect(&env.settings, "transient").await.unwrap();
    table(&db).await;

    let victim = deadlock(&db).await;
    assert!(is_transient(&victim), "{victim}");
    let mut retry = Retry::default();
    let mut runs = 1;
    while retry.again(&victim).await {
        runs += 1;
    }
    assert_eq!(runs, Retry::ATTEMPTS, "retried until the attempts ran out");

    assert_eq!(answered(deadlock(&db).await.into()), (503, Some(1)));

    let duplicate = db.execute_unprepared("INSERT INTO pair (id, v) VALUES (1, 5)").await.unwrap_err();
    assert!(!duplicate.is_transient());
    assert!(!Retry::default().again(&duplicate).await);
    assert_eq!(answered(duplicate.into()).0, 500);
    db.close().await.unwrap();
    env.cleanup().await;
}

/// The status and `Retry-After` an unexpected error answers with.
fn answered(cause: anyhow::Error) -> (u16, Option<u64>) {
    let res = axum::response::IntoResponse::into_response(kit::Error::Internal(cause));
    let retry = res.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse().ok());
    (res.status().as_u16(), retry)
}

kit::per_backend! {
    async fn an_exhausted_pool_is_unavailable_not_a_500(backend: Backend) {
        let mut env = TestEnv::new(backend);
        env.settings.database_max_connections = Some(1);
        env.settings.database_acquire_timeout_ms = 200;
        let db = kit::db::connect(&env.settings, "transient").await.unwrap();
        let held = sea_orm::TransactionTrait::begin(&db).await.unwrap();
        let timed_out = kit::db::ping(&db).await.unwrap_err();
        assert!(kit::db::is_unavailable(&timed_out), "{backend:?}: {timed_out}");
        assert!(!timed_out.is_transient(), "not worth rerunning at once");
        assert!(!Retry::default().again(&timed_out).await);
        let chained = anyhow::Error::from(timed_out).context("loading a row");
        assert_eq!(answered(chained), (503, Some(1)), "through a context chain");
        assert_eq!(answered(kit::db::ping(&db).await.unwrap_err().into()).0, 503);
        drop(held);
        kit::db::ping(&db).await.unwrap();
        db.close().await.unwrap();
        env.cleanup().await;
    }
}
