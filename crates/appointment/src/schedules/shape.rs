//! A slot's shape as a request gives it, checked.

use chrono::{NaiveDate, NaiveTime};
use kit::{Error, Result};

use crate::slots;

/// A slot's shape, checked: exactly one of day / specific_date, start
/// before end, both on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// `Monday` … `Sunday` on weekly rows.
    pub day: Option<String>,
    pub specific_date: Option<NaiveDate>,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// Checks and normalizes a slot: times `HH:MM` (the end defaults to the
/// legacy slot length), day names in any case; 422 naming the field.
pub fn shape(
    day: Option<&str>,
    specific_date: Option<NaiveDate>,
    start: &str,
    end: Option<&str>,
) -> Result<Slot> {
    let start = slots::parse_time(start).ok_or_else(|| Error::invalid("start", "must be HH:MM"))?;
    let end = match end {
        Some(e) => slots::parse_time(e).ok_or_else(|| Error::invalid("end", "must be HH:MM"))?,
        None => slots::default_end(start),
    };
    if end <= start {
        return Err(Error::invalid("end", "must be after start, on the same day"));
    }
    let day = match (day, specific_date) {
        (Some(_), Some(_)) => {
            return Err(Error::invalid("day", "give either day (weekly) or specific_date (one-off)"));
        }
        (None, None) => return Err(Error::invalid("day", "give day (weekly) or specific_date")),
        (Some(d), None) => Some(
            slots::parse_day(d)
                .map(|w| slots::day_name(w).to_owned())
                .ok_or_else(|| Error::invalid("day", "must be a day name, Monday to Sunday"))?,
        ),
        (None, Some(_)) => None,
    };
    Ok(Slot { day, specific_date, start, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(r: Result<Slot>) -> String {
        match r {
            Err(Error::Invalid { field, message }) => format!("{field}: {message}"),
            other => format!("not a 422: {other:?}"),
        }
    }

    #[test]
    fn a_weekly_slot_gets_the_legacy_day_name_and_length() {
        let slot = shape(Some("wednesday"), None, "09:00", None).unwrap();
        assert_eq!(slot.day.as_deref(), Some("Wednesday"));
        assert_eq!(slots::format_time(slot.end), "09:30");
    }

    #[test]
    fn malformed_slots_name_the_field() {
        assert_eq!(refusal(shape(Some("Someday"), None, "9am", None)), "start: must be HH:MM");
        assert_eq!(
            refusal(shape(Some("Someday"), None, "09:00", None)),
            "day: must be a day name, Monday to Sunday"
        );
        assert_eq!(
            refusal(shape(Some("Monday"), None, "10:00", Some("09:00"))),
            "end: must be after start, on the same day"
        );
        assert_eq!(refusal(shape(None, None, "09:00", None)), "day: give day (weekly) or specific_date");
        let date = NaiveDate::from_ymd_opt(2030, 1, 1);
        assert_eq!(
            refusal(shape(Some("Monday"), date, "09:00", None)),
            "day: give either day (weekly) or specific_date (one-off)"
        );
    }
}
