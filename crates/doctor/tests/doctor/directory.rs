//! The public directory: filters, sorting and pages.

use crate::support::*;

/// Four rated doctors: a (Dr. Amina Benali, cardiology, Rabat, 4.5 × 10),
/// b (Dr. Karim Chraibi, cardiology, Casablanca, 3.0 × 2), c (Dr. Zineb
/// Alaoui, dermatology, Casablanca, 4.9 × 30) and d (Dr. Hamza O'Brien,
/// dermatology, Marrakech, unrated).
async fn directory(backend: Backend) -> (TestApp, [i64; 4]) {
    let s = start(backend).await;
    doctor::seed_demo(&s.ctx.db).await.unwrap();
    let a = s.register(801, "Dr. Amina Benali", 2, "Rabat").await["id"].as_i64().unwrap();
    let b = s.register(802, "Dr. Karim Chraibi", 2, "Casablanca").await["id"].as_i64().unwrap();
    let c = s.register(803, "Dr. Zineb Alaoui", 3, "Casablanca").await["id"].as_i64().unwrap();
    let d = s.register(804, "Dr. Hamza O'Brien", 3, "Marrakech").await["id"].as_i64().unwrap();
    s.rate(a, 4.5, 10).await;
    s.rate(b, 3.0, 2).await;
    s.rate(c, 4.9, 30).await;
    (s, [a, b, c, d])
}

/// `GET /api/v1/doctors{query}`, anonymous.
async fn list(s: &TestApp, query: &str) -> Reply {
    s.api.get(&format!("/api/v1/doctors{query}")).send().await
}

/// The ids of a page, in order.
fn ids(page: &Reply) -> Vec<i64> {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body["data"].as_array().unwrap().iter().map(|x| x["id"].as_i64().unwrap()).collect()
}

kit::per_backend! {
    async fn the_directory_lists_the_best_rated_first_as_summaries(backend: Backend) {
        let (s, [a, b, c, d]) = directory(backend).await;
        let page = list(&s, "").await;
        assert_eq!(ids(&page), vec![c, a, b, d], "{backend:?}: ties by id");
        let first = &page.body["data"][0];
        assert_eq!(first["specialty"], json!({"id": 3, "name": "Dermatology"}));
        assert_eq!(first["avg_rating"], 4.9);
        assert_eq!(first["rating_count"], 30);
        assert!(first.get("bio").is_none(), "the summary is not the detail");
        s.stop().await;
    }

    async fn the_directory_filters_and_sorts(backend: Backend) {
        let (s, [a, b, c, d]) = directory(backend).await;
        for (query, want, why) in [
            ("?sort=name", vec![a, d, b, c], "by name"),
            ("?specialty_id=2", vec![a, b], "one specialty"),
            ("?city=casa", vec![c, b], "part of a city"),
            ("?name=ZINEB", vec![c], "any case"),
            ("?name=o%27brien", vec![d], "quotes are data"),
            ("?name=%25", vec![], "% matches literally"),
            ("?min_rating=4.5", vec![c, a], "a minimum rating"),
            ("?specialty_id=3&city=casa&min_rating=1", vec![c], "all together"),
        ] {
            assert_eq!(ids(&list(&s, query).await), want, "{backend:?} {query}: {why}");
        }
        s.stop().await;
    }

    async fn the_directory_pages(backend: Backend) {
        let (s, [.., d]) = directory(backend).await;
        let p2 = list(&s, "?per_page=3&page=2").await;
        assert_eq!(
            (p2.body["page"].as_u64(), p2.body["per_page"].as_u64(), p2.body["total"].as_u64()),
            (Some(2), Some(3), Some(4))
        );
        assert_eq!(ids(&p2), vec![d], "{backend:?}");
        s.stop().await;
    }

    async fn a_bad_directory_query_names_the_parameter(backend: Backend) {
        let (s, _) = directory(backend).await;
        for (query, field) in [("?sort=price", "sort"), ("?min_rating=7", "min_rating")] {
            let Reply { status, body, .. } = list(&s, query).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?} {query}");
            assert!(body["errors"][field].is_array(), "{body}");
        }
        s.stop().await;
    }

    async fn a_doctors_detail_adds_the_rest_and_unknown_ids_are_not_found(backend: Backend) {
        let (s, [a, ..]) = directory(backend).await;
        let Reply { status, body: detail, .. } = list(&s, &format!("/{a}")).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        for key in ["bio", "languages", "status", "timezone", "specialty", "avg_rating"] {
            assert!(detail.get(key).is_some(), "{key} missing: {detail}");
        }
        assert_eq!(list(&s, "/999999").await.status, StatusCode::NOT_FOUND);
        s.stop().await;
    }
}
