//! The outbox table: written in the transaction of the event that causes an email, read and
//! updated by the worker.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::schema::outbox_emails;

#[derive(Debug, Insertable)]
#[diesel(table_name = outbox_emails)]
pub(super) struct NewOutboxRow<'a> {
    pub recipient: &'a str,
    pub recipient_name: &'a str,
    pub language: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub send_after: NaiveDateTime,
}

/// A message that has not been sent yet.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox_emails)]
pub struct PendingEmail {
    pub id: i32,
    pub recipient: String,
    pub recipient_name: String,
    pub language: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub created_at: NaiveDateTime,
    pub attempts: i32,
}

pub(super) fn insert(conn: &mut AnyConnection, row: &NewOutboxRow<'_>) -> QueryResult<()> {
    diesel::insert_into(outbox_emails::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Up to `limit` unsent messages whose time has come, oldest first. Messages that failed
/// `max_attempts` times stay in the table (for an operator to look at) but are no longer tried.
pub(super) fn due(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    max_attempts: i32,
    limit: i64,
) -> QueryResult<Vec<PendingEmail>> {
    outbox_emails::table
        .filter(outbox_emails::sent_at.is_null())
        .filter(outbox_emails::send_after.le(now))
        .filter(outbox_emails::attempts.lt(max_attempts))
        .order((outbox_emails::send_after.asc(), outbox_emails::id.asc()))
        .limit(limit)
        .select(PendingEmail::as_select())
        .load(conn)
}

/// Takes a due message for this worker by pushing its `send_after` to `lease_until`; true when
/// this call won it. The condition is re-checked by the UPDATE itself, so of several instances
/// racing for one row exactly one sees a changed row. If this process dies while sending, the
/// message becomes due again when the lease ends.
pub(super) fn claim(
    conn: &mut AnyConnection,
    id: i32,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        outbox_emails::table
            .filter(outbox_emails::id.eq(id))
            .filter(outbox_emails::sent_at.is_null())
            .filter(outbox_emails::send_after.le(now)),
    )
    .set(outbox_emails::send_after.eq(lease_until))
    .execute(conn)?;
    Ok(changed == 1)
}

pub(super) fn mark_sent(conn: &mut AnyConnection, id: i32, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(outbox_emails::table.filter(outbox_emails::id.eq(id)))
        .set(outbox_emails::sent_at.eq(now))
        .execute(conn)
        .map(|_| ())
}

pub(super) fn mark_failed(
    conn: &mut AnyConnection,
    id: i32,
    error: &str,
    retry_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        outbox_emails::table
            .filter(outbox_emails::id.eq(id))
            .filter(outbox_emails::sent_at.is_null()),
    )
    .set((
        outbox_emails::attempts.eq(outbox_emails::attempts + 1),
        outbox_emails::last_error.eq(error),
        outbox_emails::send_after.eq(retry_at),
    ))
    .execute(conn)
    .map(|_| ())
}
