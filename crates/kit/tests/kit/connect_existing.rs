//! `db::connect_existing` looks without creating: nothing before a
//! service's database exists, that database once it does.

use kit::testing::TestEnv;
use sea_orm::ConnectionTrait;

kit::per_backend! {
    async fn connect_existing_creates_nothing_and_finds_what_connect_made(backend: Backend) {
        let env = TestEnv::new(backend);
        assert!(kit::db::connect_existing(&env.settings, "lookout").await.unwrap().is_none());
        assert!(
            kit::db::connect_existing(&env.settings, "lookout").await.unwrap().is_none(),
            "{backend:?}: the first look left a database behind"
        );
        let db = kit::db::connect(&env.settings, "lookout").await.unwrap();
        db.execute_unprepared("CREATE TABLE seen (id INT PRIMARY KEY)").await.unwrap();
        db.execute_unprepared("INSERT INTO seen (id) VALUES (7)").await.unwrap();
        let found = kit::db::connect_existing(&env.settings, "lookout").await.unwrap().expect("the database");
        let row = found.query_one_raw(sea_orm::Statement::from_string(found.get_database_backend(), "SELECT id FROM seen"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get_by_index::<i32>(0).unwrap(), 7);
        found.close().await.unwrap();
        db.close().await.unwrap();
        env.cleanup().await;
    }
}
