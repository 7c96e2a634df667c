//! The outbox table and the one way to write to it.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, QueryOrder, Set, entity::prelude::*};
use uuid::Uuid;

use super::{
    Event,
    catalog::{EventType, Payload},
};

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
    pub subject: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Writes an event to the outbox of `conn` — call it with the transaction
/// that makes the change, so both commit or neither does. Inside an
/// [`after_commit`](super::after_commit) unit the relay is woken once the
/// unit is done.
pub async fn publish<C: ConnectionTrait, P: Payload>(
    conn: &C,
    source: &str,
    kind: EventType,
    subject: Option<String>,
    data: &P,
) -> Result<Uuid, DbErr> {
    if !P::travels_as(kind) {
        return Err(DbErr::Custom(format!("{} is not the payload of {kind}", std::any::type_name::<P>())));
    }
    let data = serde_json::to_value(data).map_err(|e| DbErr::Custom(format!("event data: {e}")))?;
    let event = Event::new(source, kind, subject.clone(), data);
    let payload = serde_json::to_string(&event).map_err(|e| DbErr::Custom(format!("event: {e}")))?;
    ActiveModel {
        event_id: Set(event.id.to_string()),
        kind: Set(event.kind.clone()),
        payload: Set(payload),
        created_at: Set(event.time),
        published_at: Set(None),
        subject: Set(subject),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    super::wake::written(source);
    Ok(event.id)
}

/// The first event of `kind` about `subject` this service wrote (published
/// or not; published rows are kept a day), for a read model elsewhere that
/// missed it: the first one, so applying it early keeps the order of what
/// follows about the same subject.
pub async fn first_written<C: ConnectionTrait>(
    conn: &C,
    kind: EventType,
    subject: &str,
) -> Result<Option<Event>, DbErr> {
    let row = Entity::find()
        .filter(Column::Subject.eq(subject))
        .filter(Column::Kind.eq(kind.as_str()))
        .order_by_asc(Column::Id)
        .one(conn)
        .await?;
    row.map(|r| serde_json::from_str(&r.payload).map_err(|e| DbErr::Custom(format!("outbox row: {e}"))))
        .transpose()
}

/// The latest event this service wrote about `subject`, whatever its kind
/// (published rows are kept a day): the current picture of a subject
/// whose every change is announced whole, for a reader that keeps the
/// newest and ignores older ones.
pub async fn last_written<C: ConnectionTrait>(conn: &C, subject: &str) -> Result<Option<Event>, DbErr> {
    let row = Entity::find().filter(Column::Subject.eq(subject)).order_by_desc(Column::Id).one(conn).await?;
    row.map(|r| serde_json::from_str(&r.payload).map_err(|e| DbErr::Custom(format!("outbox row: {e}"))))
        .transpose()
}
