//! The public directory: filters, sorting and pages.

use crate::support::*;

kit::per_backend! {
    async fn the_directory_filters_sorts_and_pages(backend: Backend) {
        let s = start(backend).await;
        let app = &s.app;
        doctor::seed_demo(&s.ctx.db).await.unwrap();
        let a = s.register(801, "Dr. Amina Benali", 2, "Rabat").await["id"].as_i64().unwrap();
        let b = s.register(802, "Dr. Karim Chraibi", 2, "Casablanca").await["id"].as_i64().unwrap();
        let c = s.register(803, "Dr. Zineb Alaoui", 3, "Casablanca").await["id"].as_i64().unwrap();
        let d = s.register(804, "Dr. Hamza O'Brien", 3, "Marrakech").await["id"].as_i64().unwrap();
        s.rate(a, 4.5, 10).await;
        s.rate(b, 3.0, 2).await;
        s.rate(c, 4.9, 30).await;

        let ids = |page: &Value| -> Vec<i64> {
            page["data"].as_array().unwrap().iter().map(|x| x["id"].as_i64().unwrap()).collect()
        };
        let get = |q: &str| {
            let path = format!("/api/v1/doctors{q}");
            async move { call(app, "GET", &path, None, None).await }
        };

        // Default: best rated first, ties by id.
        let (status, page) = get("").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ids(&page), vec![c, a, b, d], "{backend:?}: {page}");
        let first = &page["data"][0];
        assert_eq!(first["specialty"], json!({"id": 3, "name": "Dermatology"}));
        assert_eq!(first["avg_rating"], 4.9);
        assert_eq!(first["rating_count"], 30);
        assert!(first.get("bio").is_none(), "the summary is not the detail");

        assert_eq!(ids(&get("?sort=name").await.1), vec![a, d, b, c]);
        assert_eq!(ids(&get("?specialty_id=2").await.1), vec![a, b]);
        assert_eq!(ids(&get("?city=casa").await.1), vec![c, b]);
        assert_eq!(ids(&get("?name=ZINEB").await.1), vec![c]);
        assert_eq!(ids(&get("?name=o%27brien").await.1), vec![d], "quotes are data");
        assert_eq!(ids(&get("?name=%25").await.1), Vec::<i64>::new(), "% matches literally");
        assert_eq!(ids(&get("?min_rating=4.5").await.1), vec![c, a]);
        assert_eq!(ids(&get("?specialty_id=3&city=casa&min_rating=1").await.1), vec![c]);

        // Pages.
        let (_, p2) = get("?per_page=3&page=2").await;
        assert_eq!(
            (p2["page"].as_u64(), p2["per_page"].as_u64(), p2["total"].as_u64()),
            (Some(2), Some(3), Some(4))
        );
        assert_eq!(ids(&p2), vec![d]);

        // Bad values: 422 naming the parameter.
        for (q, field) in [("?sort=price", "sort"), ("?min_rating=7", "min_rating")] {
            let (status, body) = get(q).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
            assert!(body["errors"][field].is_array(), "{body}");
        }

        // The detail adds bio, languages, status, timezone; unknown ids are 404.
        let (status, detail) = get(&format!("/{a}")).await;
        assert_eq!(status, StatusCode::OK);
        for key in ["bio", "languages", "status", "timezone", "specialty", "avg_rating"] {
            assert!(detail.get(key).is_some(), "{key} missing: {detail}");
        }
        assert_eq!(get("/999999").await.0, StatusCode::NOT_FOUND);
        s.stop().await;
    }
}
