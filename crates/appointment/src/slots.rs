//! Wall-clock slots and the instants they stand for.
//!
//! A schedule row says "Mondays 09:00–09:30" in the doctor's zone; a
//! booking needs UTC instants for one date. The conversion goes through
//! the zone database (chrono-tz), so it is right on both sides of a DST
//! change: the same 09:00 in Paris is 08:00Z in summer and 07:00Z in winter.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use crate::entity::schedule;

/// The legacy slot length, used when a new slot names no end.
pub const DEFAULT_SLOT_MINUTES: i64 = 30;

/// `Monday` … `Sunday`, as the legacy `day` column writes them.
pub fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// Accepts a day name in any case (`monday`, `Monday`, `MONDAY`).
pub fn parse_day(name: &str) -> Option<Weekday> {
    let day = name.parse::<Weekday>().ok()?;
    Some(day)
}

/// The doctor's zone; an unknown name (bad data) falls back to the
/// platform default rather than failing every availability query.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::Africa::Casablanca)
}

/// `HH:MM`.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

pub fn format_time(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// Whether a schedule row offers a slot on `date`.
pub fn applies(row: &schedule::Model, date: NaiveDate) -> bool {
    match (row.specific_date, row.day.as_deref()) {
        (Some(d), _) => d == date,
        (None, Some(day)) => parse_day(day) == Some(date.weekday()),
        (None, None) => false,
    }
}

/// The UTC instants of a slot on `date` in `tz`. `None` when the start
/// does not exist that day (it falls in a spring-forward gap); an
/// ambiguous start (autumn fold) takes the earlier instant. The end keeps
/// the slot's length, so a slot across a change is never stretched.
pub fn instants(
    tz: Tz,
    date: NaiveDate,
    start: NaiveTime,
    end: NaiveTime,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let local = tz.from_local_datetime(&date.and_time(start)).earliest()?;
    let start_at = local.with_timezone(&Utc);
    Some((start_at, start_at + (end - start)))
}

/// Half-open intervals `[a0, a1)` and `[b0, b1)` share a moment.
pub fn overlaps<T: PartialOrd>(a0: T, a1: T, b0: T, b1: T) -> bool {
    a0 < b1 && b0 < a1
}

/// The slot's end when none is given.
pub fn default_end(start: NaiveTime) -> NaiveTime {
    start + Duration::minutes(DEFAULT_SLOT_MINUTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn paris_nine_oclock_moves_with_dst() {
        let tz = zone("Europe/Paris");
        // 2026-10-25 is the last Sunday of October: summer time ends.
        let (before, _) = instants(tz, d(2026, 10, 19), t(9, 0), t(9, 30)).unwrap();
        let (after, end) = instants(tz, d(2026, 10, 26), t(9, 0), t(9, 30)).unwrap();
        assert_eq!(before.to_rfc3339(), "2026-10-19T07:00:00+00:00");
        assert_eq!(after.to_rfc3339(), "2026-10-26T08:00:00+00:00");
        assert_eq!(end - after, Duration::minutes(30));
    }

    #[test]
    fn gap_starts_do_not_exist_and_folds_take_the_first() {
        let tz = zone("Europe/Paris");
        assert!(instants(tz, d(2026, 3, 29), t(2, 30), t(3, 0)).is_none());
        let (fold, _) = instants(tz, d(2026, 10, 25), t(2, 30), t(3, 0)).unwrap();
        assert_eq!(fold.to_rfc3339(), "2026-10-25T00:30:00+00:00");
    }

    #[test]
    fn rows_apply_on_their_weekday_or_their_date() {
        let now = Utc::now();
        let weekly = schedule::Model {
            id: kit::ids::ScheduleId(1),
            doctor_id: kit::ids::DoctorId(1),
            day: Some("monday".into()),
            specific_date: None,
            start: t(9, 0),
            end: t(9, 30),
            created_at: now,
            updated_at: now,
        };
        assert!(applies(&weekly, d(2026, 11, 30)));
        assert!(!applies(&weekly, d(2026, 12, 1)));
        let once = schedule::Model { day: None, specific_date: Some(d(2026, 12, 1)), ..weekly };
        assert!(applies(&once, d(2026, 12, 1)));
        assert!(!applies(&once, d(2026, 12, 8)));
    }

    #[test]
    fn intervals_touching_do_not_overlap() {
        assert!(!overlaps(t(9, 0), t(9, 30), t(9, 30), t(10, 0)));
        assert!(overlaps(t(9, 0), t(9, 30), t(9, 15), t(9, 45)));
        assert_eq!(parse_day("SUNDAY"), Some(Weekday::Sun));
        assert_eq!(day_name(Weekday::Sun), "Sunday");
    }
}
