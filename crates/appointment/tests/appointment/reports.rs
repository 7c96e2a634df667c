//! Reports read back with real parsers: csv (csv), xlsx (calamine), pdf
//! (lopdf); travel times; the confirmation PDF and who may fetch it.
use std::io::Cursor;

use crate::support::{TestApp, next_weekday};
use appointment::documents::pdf::LINES_PER_PAGE;
use calamine::{Reader, Xlsx};
use chrono::{Duration, Utc, Weekday};
use serde_json::json;

kit::per_backend! {
    async fn reports_open_in_their_formats_with_the_right_rows(backend: Backend) {
        let f = TestApp::start(backend).await;
        let doc = f.doctor(50, 5050, "Africa/Casablanca").await;
        let other = f.doctor(51, 5051, "Africa/Casablanca").await;
        let p = f.patient(500, 7500).await;
        let stranger = f.patient(501, 7501).await;
        let mut slots = Vec::new();
        for i in 0..10 {
            let start = format!("{:02}:{:02}", 8 + i / 2, (i % 2) * 30);
            slots.push(f.slot(&doc, json!({"day": "Monday", "start": start})).await);
        }
        let first = next_weekday(Utc::now().date_naive() + Duration::days(1), Weekday::Mon);
        let mut ids = Vec::new();
        for week in 0..10 {
            for s in &slots {
                let r = f.book(&p, 50, *s, first + Duration::weeks(week)).await;
                assert_eq!(r.status, 201, "{}", r.body);
                ids.push(r.id());
            }
        }
        for (id, minutes) in [(ids[0], 10), (ids[1], 20)] {
            f.act(&doc, id, "approve", json!({})).await;
            f.act(&doc, id, "check-in", json!({})).await;
            let out = f.act(&doc, id, "check-out", json!({"travel_time_minutes": minutes})).await;
            assert_eq!(out.status, 200, "{}", out.body);
        }

        let base = "/api/v1/reports/appointments?doctor_id=50";
        let json_report = f.api.get(base).bearer(&f.admin).send().await;
        assert_eq!(json_report.body["total"], 100);
        assert_eq!(json_report.body["rows"][0]["patient_name"], "Patient 500");
        assert_eq!(f.api.get(base).bearer(&other).send().await.body["total"], 0, "doctors see their own only");
        assert_eq!(f.api.get(base).bearer(&p).send().await.status, 403);
        assert_eq!(f.api.get(&format!("{base}&format=doc")).bearer(&f.admin).send().await.status, 422);

        let (status, mime, csv_bytes) = f.download(&format!("{base}&format=csv"), &f.admin).await;
        assert_eq!((status.as_u16(), mime.starts_with("text/csv")), (200, true));
        let mut reader = csv::Reader::from_reader(csv_bytes.as_slice());
        assert_eq!(reader.headers().unwrap().get(0), Some("id"));
        assert_eq!(reader.records().count(), 100);

        let (_, _, xlsx) = f.download(&format!("{base}&format=xlsx"), &doc).await;
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
        let sheet = book.worksheet_range("Report").unwrap();
        assert_eq!(sheet.height(), 101, "header and 100 rows");

        let (_, mime, pdf) = f.download(&format!("{base}&format=pdf"), &f.admin).await;
        assert_eq!(mime, "application/pdf");
        assert!(pdf.starts_with(b"%PDF"));
        let pages = lopdf::Document::load_mem(&pdf).unwrap().get_pages().len();
        assert_eq!(pages, 101usize.div_ceil(LINES_PER_PAGE), "header line plus 100 rows");

        let travel = f.api.get("/api/v1/reports/travel-times").bearer(&f.admin).send().await;
        assert_eq!(
            travel.body,
            json!([{"doctor_id": 50, "count": 2, "total": 30, "avg": 15.0, "min": 10, "max": 20}])
        );
        assert_eq!(f.api.get("/api/v1/reports/travel-times").bearer(&other).send().await.body, json!([]));

        let (status, _, confirmation) =
            f.download(&format!("/api/v1/appointments/{}/pdf", ids[5]), &p).await;
        assert_eq!(status, 200);
        assert_eq!(lopdf::Document::load_mem(&confirmation).unwrap().get_pages().len(), 1);
        let (status, _, _) = f.download(&format!("/api/v1/appointments/{}/pdf", ids[5]), &stranger).await;
        assert_eq!(status, 404);
        f.cleanup().await;
    }
}
