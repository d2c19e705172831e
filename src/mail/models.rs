//! The outbox table: written in the transaction of the event that causes an email, read and
//! updated by the worker.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::schema::outbox_emails;
use crate::telemetry::{redact_secrets, REDACTED};

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

/// What is kept of a message once it has gone (or will never go): its body with every link token
/// blanked (`telemetry::redact_secrets`), so the table holds no working reset, invitation or
/// confirmation link; recipient, subject and status stay for the record.
#[derive(Debug, Clone, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = outbox_emails, treat_none_as_null = true)]
pub(super) struct KeptBody {
    pub body_text: String,
    pub body_html: Option<String>,
}

impl KeptBody {
    pub fn of(text: &str, html: Option<&str>) -> Self {
        Self {
            body_text: redact_secrets(text).into_owned(),
            body_html: html.map(|h| redact_secrets(h).into_owned()),
        }
    }
}

pub(super) fn mark_sent(
    conn: &mut AnyConnection,
    id: i32,
    now: NaiveDateTime,
    kept: &KeptBody,
) -> QueryResult<()> {
    diesel::update(outbox_emails::table.filter(outbox_emails::id.eq(id)))
        .set((outbox_emails::sent_at.eq(now), kept))
        .execute(conn)
        .map(|_| ())
}

/// Records a failed try; `given_up` (the last try) also keeps only the redacted body, as for a
/// sent message, since the row stays in the table for an operator.
pub(super) fn mark_failed(
    conn: &mut AnyConnection,
    id: i32,
    error: &str,
    retry_at: NaiveDateTime,
    given_up: Option<&KeptBody>,
) -> QueryResult<()> {
    let unsent = outbox_emails::table
        .filter(outbox_emails::id.eq(id))
        .filter(outbox_emails::sent_at.is_null());
    let failure = (
        outbox_emails::attempts.eq(outbox_emails::attempts + 1),
        outbox_emails::last_error.eq(error),
        outbox_emails::send_after.eq(retry_at),
    );
    match given_up {
        Some(kept) => diesel::update(unsent).set((failure, kept)).execute(conn),
        None => diesel::update(unsent).set(failure).execute(conn),
    }
    .map(|_| ())
}

/// Messages that are done with (sent, or tried `max_attempts` times) whose body may still hold a
/// link, written before bodies were redacted at sending; `limit` of them with ids above `after`.
pub(super) fn done_with_links(
    conn: &mut AnyConnection,
    max_attempts: i32,
    after: i32,
    limit: i64,
) -> QueryResult<Vec<(i32, String, Option<String>)>> {
    outbox_emails::table
        .filter(outbox_emails::id.gt(after))
        .filter(
            outbox_emails::sent_at
                .is_not_null()
                .or(outbox_emails::attempts.ge(max_attempts)),
        )
        .filter(
            outbox_emails::body_text
                .like("%/password/reset/%")
                .or(outbox_emails::body_text.like("%/account/confirm/%")),
        )
        .filter(outbox_emails::body_text.not_like(format!("%{REDACTED}%")))
        .order(outbox_emails::id.asc())
        .limit(limit)
        .select((
            outbox_emails::id,
            outbox_emails::body_text,
            outbox_emails::body_html,
        ))
        .load(conn)
}

pub(super) fn keep_only(conn: &mut AnyConnection, id: i32, kept: &KeptBody) -> QueryResult<()> {
    diesel::update(outbox_emails::table.filter(outbox_emails::id.eq(id)))
        .set(kept)
        .execute(conn)
        .map(|_| ())
}
