//! Field rules more than one service applies (`validator` custom functions).

use chrono::{NaiveDate, Utc};
use validator::ValidationError;

fn fail(message: impl Into<std::borrow::Cow<'static, str>>) -> ValidationError {
    ValidationError::new("invalid").with_message(message.into())
}

/// What a required text of at most `max` characters answers when missing,
/// empty or too long: the one wording, for the `validator` rules below and
/// for checks written by hand (a field trimmed first, a multipart form).
pub fn required_message(max: usize) -> String {
    format!("is required (at most {max} characters)")
}

/// A required text of 1 to `MAX` characters. A `validator` rule takes no
/// arguments, so the limit is a const parameter:
/// `#[validate(custom(function = "kit::validate::required_up_to::<500>"))]`.
pub fn required_up_to<const MAX: usize>(s: &str) -> Result<(), ValidationError> {
    if (1..=MAX).contains(&s.chars().count()) { Ok(()) } else { Err(fail(required_message(MAX))) }
}

/// A required line of text (a name, a title, a street): 1 to 255
/// characters, as the columns that keep them allow.
pub fn required(s: &str) -> Result<(), ValidationError> {
    required_up_to::<255>(s)
}

/// A password's length: 8 to 128 characters (long passphrases welcome,
/// but not megabytes for the hasher to chew on).
pub fn password(p: &str) -> Result<(), ValidationError> {
    if (8..=128).contains(&p.chars().count()) { Ok(()) } else { Err(fail("must be 8 to 128 characters")) }
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
        assert!(required("Dr Who").is_ok() && required("").is_err() && required(&"é".repeat(256)).is_err());
        assert!(required(&"é".repeat(255)).is_ok(), "characters, not bytes");
        assert!(required_up_to::<3>("abc").is_ok() && required_up_to::<3>("abcd").is_err());
        let refused = required_up_to::<500>("").unwrap_err();
        assert_eq!(refused.message.as_deref(), Some("is required (at most 500 characters)"));
        assert!(
            password("12345678").is_ok()
                && password("1234567").is_err()
                && password(&"x".repeat(129)).is_err()
        );
        assert_eq!(like_contains("50%_A"), "%50\\%\\_a%");
    }
}
