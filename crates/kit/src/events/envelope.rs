//! The CloudEvents 1.0 JSON envelope.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::catalog::{EventType, Payload};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    pub specversion: String,
    pub id: Uuid,
    /// The wire name of an [`EventType`], kept as the string that came in:
    /// an envelope of a type this build does not know still reads (to be
    /// skipped, or dead-lettered as it was), see [`Event::event_type`].
    #[serde(rename = "type")]
    pub kind: String,
    pub source: String,
    pub time: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub datacontenttype: String,
    pub data: serde_json::Value,
    /// W3C trace context of the change that produced the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traceparent: Option<String>,
}

impl Event {
    /// A new event (UUIDv7 id, now) carrying the current trace context.
    pub fn new(source: &str, kind: EventType, subject: Option<String>, data: serde_json::Value) -> Self {
        Self {
            specversion: "1.0".into(),
            id: Uuid::now_v7(),
            kind: kind.as_str().into(),
            source: source.into(),
            time: Utc::now(),
            subject,
            datacontenttype: "application/json".into(),
            data,
            traceparent: crate::telemetry::current_traceparent(),
        }
    }

    /// The event's type, `None` for one this build does not know.
    pub fn event_type(&self) -> Option<EventType> {
        self.kind.parse().ok()
    }

    /// The payload, when this event's type carries `P` (see
    /// [`Payload`]); a mismatch is an error like a payload that does not
    /// parse.
    pub fn data_as<P: Payload>(&self) -> Result<P, serde_json::Error> {
        if !self.event_type().is_some_and(P::travels_as) {
            return Err(serde::de::Error::custom(format!(
                "{} does not carry {}",
                self.kind,
                std::any::type_name::<P>()
            )));
        }
        serde_json::from_value(self.data.clone())
    }
}
