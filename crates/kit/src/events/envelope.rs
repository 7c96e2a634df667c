//! The CloudEvents 1.0 JSON envelope.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use uuid::Uuid;

use super::catalog::EventType;

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

    pub fn data_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_value(self.data.clone())
    }
}
