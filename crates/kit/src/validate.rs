//! Field rules more than one service applies (`validator` custom functions).

use chrono::{NaiveDate, Utc};
use validator::ValidationError;

fn fail(message: &'static str) -> ValidationError {
    ValidationError::new("invalid").with_message(message.into())
}

/// 7 to 20 digits, with spaces, `+`, `-` and parentheses allowed.
pub fn phone(p: &str) -> Result<(), ValidationError> {
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let allowed = p.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
    if allowed && (7..=20).contains(&digits) && p.len() <= 32 {
        Ok(())
    } else {
        Err(fail("must be a phone number (7 to 20 digits)"))
    }
}

/// A day in the past, not before 1900.
pub fn birth_date(d: &NaiveDate) -> Result<(), ValidationError> {
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    if *d >= earliest && *d < Utc::now().date_naive() {
        Ok(())
    } else {
        Err(fail("must be a past date after 1900"))
    }
}

/// The legacy values: `male` or `female`.
pub fn gender(g: &str) -> Result<(), ValidationError> {
    if matches!(g, "male" | "female") { Ok(()) } else { Err(fail("must be male or female")) }
}

/// An IANA time zone name known to the zone database (`Europe/Paris`).
pub fn time_zone(tz: &str) -> Result<(), ValidationError> {
    tz.parse::<chrono_tz::Tz>()
        .map(|_| ())
        .map_err(|_| fail("is not an IANA time zone (like Africa/Casablanca)"))
}

/// `%` and `_` in user input match literally in a `LIKE … ESCAPE '\'`.
pub fn like_contains(q: &str) -> String {
    let escaped = q.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert!(phone("+212 612-345678").is_ok());
        assert!(phone("12ab").is_err());
        assert!(birth_date(&NaiveDate::from_ymd_opt(1990, 1, 1).unwrap()).is_ok());
        assert!(birth_date(&NaiveDate::from_ymd_opt(2999, 1, 1).unwrap()).is_err());
        assert!(gender("female").is_ok() && gender("x").is_err());
        assert_eq!(like_contains("50%_A"), "%50\\%\\_a%");
    }
}
