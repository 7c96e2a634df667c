//! Availability across the October DST change in Europe/Paris. The
//! expected instants come from the zone database directly (the date of the
//! change is found by scanning offsets), not from the code under test.
use crate::support::{self, TestApp, next_weekday};
use chrono::{Datelike, Duration, NaiveDate, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;
use serde_json::json;

/// The first October day whose noon offset differs from the day before's.
fn october_change(year: i32) -> NaiveDate {
    let offset =
        |d: NaiveDate| Paris.from_local_datetime(&d.and_hms_opt(12, 0, 0).unwrap()).unwrap().offset().fix();
    let mut d = NaiveDate::from_ymd_opt(year, 10, 1).unwrap();
    while offset(d) == offset(d.pred_opt().unwrap()) {
        d = d.succ_opt().unwrap();
    }
    d
}

kit::per_backend! {
    async fn a_paris_monday_nine_oclock_is_seven_then_eight_utc(backend: Backend) {
    let today = Utc::now().date_naive();
    let mut year = today.year();
    while october_change(year) - Duration::days(7) <= today {
        year += 1;
    }
    let change = october_change(year);
    let before = next_weekday(change - Duration::days(7), Weekday::Mon);
    let after = next_weekday(change, Weekday::Mon);
    let expect = |d: NaiveDate| {
        Paris.from_local_datetime(&d.and_hms_opt(9, 0, 0).unwrap()).unwrap().with_timezone(&Utc)
    };
    assert_eq!(expect(before).format("%H:%M").to_string(), "07:00");
    assert_eq!(expect(after).format("%H:%M").to_string(), "08:00");

    let f = TestApp::start(backend).await;
        let doc = f.doctor(30, 5030, "Europe/Paris").await;
        let slot = f.slot(&doc, json!({"day": "Monday", "start": "09:00"})).await;
        for day in [before, after] {
            let r = f.availability(&format!("doctor_id=30&date={day}")).await;
            let slots = r.body.as_array().unwrap();
            assert_eq!(slots.len(), 1, "{day}: {}", r.body);
            assert_eq!(slots[0]["schedule_id"], slot);
            assert_eq!(support::instant(slots[0]["start_at"].as_str().unwrap()), expect(day));
            assert_eq!(
                support::instant(slots[0]["end_at"].as_str().unwrap()),
                expect(day) + Duration::minutes(30)
            );
            assert_eq!(slots[0]["start"], "09:00");
        }
        // A range over both Mondays gives both, in order; a range over 31 days is refused.
        let r = f.availability(&format!("doctor_id=30&from={before}&to={after}")).await;
        let starts: Vec<_> = r
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|s| support::instant(s["start_at"].as_str().unwrap()))
            .collect();
        assert_eq!(starts, vec![expect(before), expect(after)]);
        let wide = f.availability(&format!("doctor_id=30&from={before}&to={}", before + Duration::days(31))).await;
        assert_eq!(wide.status, 422);
        let by_specialty = f.availability(&format!("specialty_id=1&date={before}")).await;
        assert_eq!(by_specialty.body.as_array().unwrap().len(), 1);
        f.cleanup().await;
    }
}
