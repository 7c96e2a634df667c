//! `GET /api/v1/notifications/stream`: a user's new in-app notifications
//! as server-sent events, live. Whichever instance handles the event that
//! creates a notification, every instance hears of it (kit fan-out: Redis
//! pub/sub when distributed) and pushes it to the streams it holds.

use std::{convert::Infallible, time::Duration};

use axum::{
    extract::State,
    response::sse::{Event, KeepAlive, Sse},
};
use futures::{Stream, StreamExt};
use kit::{events::catalog::NotificationCreated, identity::AuthUser};
use tokio_stream::wrappers::BroadcastStream;

use crate::state::AppState;

pub const TOPIC: &str = "notifications";

#[utoipa::path(get, path = "/api/v1/notifications/stream", tag = "notifications",
    params(("access_token" = Option<String>, Query, description = "for clients that cannot set headers (EventSource)")),
    responses((status = 200, content_type = "text/event-stream", description = "`notification` events, JSON"), (status = 401)))]
pub async fn stream(
    State(state): State<AppState>,
    caller: AuthUser,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let user_id = caller.user_id;
    let live = BroadcastStream::new(state.ctx.fanout.subscribe()).filter_map(move |message| async move {
        // A lagging stream skips what it missed; the list endpoint has it all.
        let message = message.ok()?;
        if message.topic != TOPIC {
            return None;
        }
        let n: NotificationCreated = serde_json::from_str(&message.payload).ok()?;
        if n.user_id != user_id {
            return None;
        }
        let body = serde_json::json!({
            "id": n.notification_id, "title": n.title, "message": n.message,
            "is_read": false, "created_at": n.created_at,
        });
        Some(Ok(Event::default()
            .event("notification")
            .id(n.notification_id.to_string())
            .data(body.to_string())))
    });
    Sse::new(live).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
