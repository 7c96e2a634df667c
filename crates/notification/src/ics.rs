//! Calendar attachments (RFC 5545) for booking, reschedule and
//! cancellation mails. The UID is stable per appointment and the SEQUENCE
//! grows, so calendars update the one entry in place instead of adding.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use kit::ids::AppointmentId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Invite {
    /// `REQUEST` (new or moved) or `CANCEL`.
    pub method: String,
    pub content: String,
}

pub fn uid(appointment_id: AppointmentId) -> String {
    format!("appointment-{appointment_id}@quickcare")
}

/// A calendar with one event; `cancel` marks it cancelled.
pub fn invite(
    appointment_id: AppointmentId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    summary: &str,
    cancel: bool,
) -> Invite {
    let method = if cancel { "CANCEL" } else { "REQUEST" };
    // Later changes must carry a higher sequence: the clock provides one.
    let sequence = u32::try_from((Utc::now().timestamp() - 1_700_000_000).max(0) / 10).unwrap_or(u32::MAX);
    let mut event = Event::new();
    event
        .uid(&uid(appointment_id))
        .summary(summary)
        .starts(start)
        .ends(end)
        .sequence(sequence)
        .timestamp(Utc::now());
    if cancel {
        event.status(EventStatus::Cancelled);
    } else {
        event.status(EventStatus::Confirmed);
    }
    let mut calendar = Calendar::new();
    calendar.append_property(("METHOD", method)).push(event.done());
    Invite { method: method.to_owned(), content: calendar.done().to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invites_parse_back_with_their_uid_and_method() {
        let start: DateTime<Utc> = "2026-12-01T09:00:00Z".parse().unwrap();
        let ics = invite(AppointmentId(7), start, start + chrono::Duration::minutes(30), "Dr Tazi", false);
        let parsed: Calendar = ics.content.parse().unwrap();
        let event = parsed.components.iter().find_map(|c| c.as_event()).unwrap();
        assert_eq!(event.get_uid(), Some("appointment-7@quickcare"));
        assert!(ics.content.contains("METHOD:REQUEST"));
        assert!(invite(AppointmentId(7), start, start, "x", true).content.contains("STATUS:CANCELLED"));
    }
}
