//! The outbox table and the one way to write to it.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set, entity::prelude::*};
use serde::Serialize;
use uuid::Uuid;

use super::Event;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "kit_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: String,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub created_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Writes an event to the outbox of `conn` — call it with the transaction
/// that makes the change, so both commit or neither does.
pub async fn publish<C: ConnectionTrait>(
    conn: &C,
    source: &str,
    kind: &str,
    subject: Option<String>,
    data: &impl Serialize,
) -> Result<Uuid, DbErr> {
    let data = serde_json::to_value(data).map_err(|e| DbErr::Custom(format!("event data: {e}")))?;
    let event = Event::new(source, kind, subject, data);
    let payload = serde_json::to_string(&event).map_err(|e| DbErr::Custom(format!("event: {e}")))?;
    ActiveModel {
        event_id: Set(event.id.to_string()),
        kind: Set(event.kind.clone()),
        payload: Set(payload),
        created_at: Set(event.time),
        published_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(event.id)
}
