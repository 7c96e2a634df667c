//! Instants as the recipient reads them: on their clock, in their words.
//! Patients arriving hours early because a confirmation showed UTC is the
//! top complaint of systems like ours; no message here shows UTC.

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;

const DAYS_FR: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
const DAYS_EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const DAYS_AR: [&str; 7] = ["الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"];
const MONTHS_AR: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

/// The locales messages are written in (every template exists in each).
pub const LOCALES: [&str; 3] = ["en", "fr", "ar"];

/// The locale of a language; anything unknown reads French, the language
/// most of the monolith's users wrote.
pub fn locale(language: &str) -> &'static str {
    LOCALES.into_iter().find(|l| language.eq_ignore_ascii_case(l)).unwrap_or("fr")
}

pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::Africa::Casablanca)
}

/// Whole minutes from `from` to `to`, rounded: how long a link works,
/// counted from the event (a few milliseconds after the expiry was set)
/// so it reads "60", not "59".
pub fn minutes_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    ((to - from).num_milliseconds().max(0) + 30_000) / 60_000
}

/// `mardi 1 décembre 2026 à 10:00` / `Tuesday 1 December 2026 at 10:00`,
/// on the wall clock of `tz`.
pub fn spell(at: DateTime<Utc>, tz: Tz, locale: &str) -> String {
    let local = at.with_timezone(&tz);
    let day = local.weekday().num_days_from_monday() as usize;
    let month = local.month0() as usize;
    let (h, m) = (local.hour(), local.minute());
    if locale == "en" {
        format!("{} {} {} {} at {h:02}:{m:02}", DAYS_EN[day], local.day(), MONTHS_EN[month], local.year())
    } else if locale == "ar" {
        format!(
            "{} {} {} {} على الساعة {h:02}:{m:02}",
            DAYS_AR[day],
            local.day(),
            MONTHS_AR[month],
            local.year()
        )
    } else {
        format!("{} {} {} {} à {h:02}:{m:02}", DAYS_FR[day], local.day(), MONTHS_FR[month], local.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_on_the_recipients_clock() {
        let at: DateTime<Utc> = "2026-12-01T09:00:00Z".parse().unwrap();
        assert_eq!(spell(at, zone("Europe/Paris"), "fr"), "mardi 1 décembre 2026 à 10:00");
        assert_eq!(spell(at, zone("Africa/Casablanca"), "en"), "Tuesday 1 December 2026 at 10:00");
        assert_eq!(spell(at, zone("America/New_York"), "en"), "Tuesday 1 December 2026 at 04:00");
        assert_eq!(spell(at, zone("Africa/Casablanca"), "ar"), "الثلاثاء 1 ديسمبر 2026 على الساعة 10:00");
        assert_eq!(locale("EN"), "en");
        assert_eq!(locale("ar"), "ar");
        let expiry = at + chrono::Duration::minutes(60);
        assert_eq!(minutes_between(at + chrono::Duration::milliseconds(7), expiry), 60);
        assert_eq!(minutes_between(expiry, at), 0);
    }
}
