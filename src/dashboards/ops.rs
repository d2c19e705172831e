//! The dashboards' state-changing operations, each one transaction that also writes its audit
//! event (and its emails, through the outbox): reminders to stalled teachers, and adding,
//! changing and deleting targets.

use chrono::{Duration, NaiveDate, NaiveDateTime, SubsecRound};
use diesel::prelude::*;

use super::models::regional::{listing, StatusBasis, TeacherFilter, TeacherStatus};
use super::models::target::{
    self, find_target, last_national, NewTarget, TargetChanges, TargetInput,
};
use super::models::Target;
use crate::audit::models::{self as audit, AuditAction, AuditSubject};
use crate::db::{self, now, AnyConnection};
use crate::domain::{Role, Version};
use crate::i18n::{Arg, Lang};
use crate::mail::{self, OutgoingEmail};
use crate::on_backend;
use crate::schema::{targets, users};
use crate::schools::models::region_code;

/// At most one reminder per teacher in this many days.
pub const REMINDER_EVERY_DAYS: i64 = 7;
/// Ids bound into one statement at most (SQLite allows 32,766 parameters, PostgreSQL 65,535).
const ID_CHUNK: usize = 10_000;

// ---- Reminders ------------------------------------------------------------------------------

/// Reminders sent and teachers skipped (reminded in the last 7 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderOutcome {
    pub sent: i64,
    pub skipped: i64,
}

/// Reminds the stalled teachers of the filter who were not reminded in the last 7 days (and
/// whose account is not disabled): marks them, queues each an email in their language, and
/// writes one audit event — all in one transaction. Marking comes first and re-checks the
/// 7 days, so two requests at once cannot remind the same teacher twice.
pub fn send_reminders(
    conn: &mut AnyConnection,
    actor_id: i32,
    filter: &TeacherFilter,
    basis: &StatusBasis,
    base_url: &str,
    at: NaiveDateTime,
) -> QueryResult<ReminderOutcome> {
    let filter = TeacherFilter {
        status: Some(TeacherStatus::Stalled),
        ..filter.clone()
    };
    // Read before the transaction: its first statement is the write (see SQLite's deferred
    // transactions).
    let stalled = listing(&filter, basis).ids;
    // Whole microseconds, as PostgreSQL stores them, so the marked rows are found again below.
    let at = at.trunc_subsecs(6);
    let week_ago = at - Duration::days(REMINDER_EVERY_DAYS);
    db::transaction(conn, |conn| {
        // Those whose account is not disabled: reminded now, or skipped.
        let mut reachable: i64 = 0;
        for chunk in stalled.chunks(ID_CHUNK) {
            let enabled = || {
                users::table
                    .filter(users::id.eq_any(chunk))
                    .filter(users::disabled_at.is_null())
            };
            diesel::update(enabled())
                .filter(
                    users::last_reminded_at
                        .is_null()
                        .or(users::last_reminded_at.le(week_ago)),
                )
                .set(users::last_reminded_at.eq(at))
                .execute(conn)?;
            reachable += enabled().count().get_result::<i64>(conn)?;
        }
        // The teachers this request marked (another one at the same moment marks others).
        let recipients: Vec<(String, String, String)> = users::table
            .filter(users::role.eq(Role::Teacher.as_str()))
            .filter(users::region_id.eq(filter.region_id))
            .filter(users::last_reminded_at.eq(at))
            .order(users::id.asc())
            .select((users::email, users::full_name, users::language))
            .load(conn)?;
        let link = format!("{}/learn", base_url.trim_end_matches('/'));
        for (email, name, language) in &recipients {
            let lang = Lang::parse(language).unwrap_or_default();
            let args = [
                ("name", Arg::from(name.as_str())),
                ("link", Arg::from(link.as_str())),
            ];
            mail::enqueue(
                conn,
                &OutgoingEmail {
                    to: email.clone(),
                    to_name: name.clone(),
                    lang,
                    subject: lang.t_args("email-reminder-subject", &args),
                    text: lang.t_args("email-reminder-body", &args),
                    html: None,
                },
            )?;
        }
        let sent = recipients.len() as i64;
        let outcome = ReminderOutcome {
            sent,
            skipped: (reachable - sent).max(0),
        };
        audit::record(
            conn,
            Some(actor_id),
            AuditAction::RemindersSent,
            AuditSubject::Region,
            Some(filter.region_id),
            serde_json::json!({
                "after": {
                    "sent": outcome.sent,
                    "skipped": outcome.skipped,
                    "search": filter.search,
                }
            }),
        )?;
        Ok(outcome)
    })
}

// ---- Targets --------------------------------------------------------------------------------

/// What the audit log keeps of a target: its fields, the region as its code.
fn audit_fields(
    name: &str,
    teachers: i32,
    starts_on: NaiveDate,
    deadline: NaiveDate,
    region: Option<&str>,
) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "teachers": teachers,
        "starts_on": starts_on.to_string(),
        "deadline": deadline.to_string(),
        "region": region,
    })
}

fn audit_fields_of(conn: &mut AnyConnection, target: &Target) -> QueryResult<serde_json::Value> {
    let region = region_code(conn, target.region_id)?;
    Ok(audit_fields(
        &target.name,
        target.teachers,
        target.starts_on,
        target.deadline,
        region.as_deref(),
    ))
}

fn audit_fields_of_input(input: &TargetInput) -> serde_json::Value {
    audit_fields(
        &input.name,
        input.teachers,
        input.starts_on,
        input.deadline,
        input.region_code(),
    )
}

/// Whether a change or a deletion happened, or was refused: the home page shows a national
/// target, so the last one can neither become regional nor be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Done,
    LastNational,
}

/// Adds a target with its audit event, in one transaction; returns its id.
pub fn create_target(
    conn: &mut AnyConnection,
    admin_id: i32,
    input: &TargetInput,
) -> QueryResult<i32> {
    db::transaction(conn, |conn| {
        let row = NewTarget {
            name: &input.name,
            teachers: input.teachers,
            starts_on: input.starts_on,
            deadline: input.deadline,
            region_id: input.region_id(),
            created_at: now(),
        };
        let id: i32 = on_backend!(conn, |c| diesel::insert_into(targets::table)
            .values(&row)
            .returning(targets::id)
            .get_result(c))?;
        audit::record(
            conn,
            Some(admin_id),
            AuditAction::TargetCreated,
            AuditSubject::Target,
            Some(id),
            serde_json::json!({ "after": audit_fields_of_input(input) }),
        )?;
        Ok(id)
    })
}

/// The result of changing a target.
#[derive(Debug, Clone)]
pub enum Updated {
    Done,
    /// Refused: the last national target cannot become regional.
    LastNational,
    /// The target changed after the form was opened and nothing was written: it as it is now.
    Stale(Target),
}

/// Changes the target at `version` with its audit event (nothing, and no event, when nothing
/// changes), in one transaction.
pub fn update_target(
    conn: &mut AnyConnection,
    admin_id: i32,
    id: i32,
    version: Version,
    input: &TargetInput,
) -> QueryResult<Updated> {
    db::transaction(conn, |conn| {
        let existing = find_target(conn, id)?;
        if existing.version != version.get() {
            return Ok(Updated::Stale(existing));
        }
        if existing.region_id.is_none() && input.region.is_some() && last_national(conn, id)? {
            return Ok(Updated::LastNational);
        }
        let before = audit_fields_of(conn, &existing)?;
        let after = audit_fields_of_input(input);
        // Saving the form unchanged is not an event.
        if before == after {
            return Ok(Updated::Done);
        }
        if !target::update_target(conn, id, version, &TargetChanges::from(input))? {
            return Ok(Updated::Stale(find_target(conn, id)?));
        }
        audit::record(
            conn,
            Some(admin_id),
            AuditAction::TargetUpdated,
            AuditSubject::Target,
            Some(id),
            serde_json::json!({ "before": before, "after": after }),
        )?;
        Ok(Updated::Done)
    })
}

/// Deletes a target with its audit event, in one transaction.
pub fn delete_target(conn: &mut AnyConnection, admin_id: i32, id: i32) -> QueryResult<Outcome> {
    db::transaction(conn, |conn| {
        let target = find_target(conn, id)?;
        if target.region_id.is_none() && last_national(conn, id)? {
            return Ok(Outcome::LastNational);
        }
        let before = audit_fields_of(conn, &target)?;
        diesel::delete(targets::table.find(id)).execute(conn)?;
        audit::record(
            conn,
            Some(admin_id),
            AuditAction::TargetDeleted,
            AuditSubject::Target,
            Some(id),
            serde_json::json!({ "before": before }),
        )?;
        Ok(Outcome::Done)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn audit_fields_name_the_region_by_code() {
        let fields = audit_fields("Plan", 5, date(2026, 1, 1), date(2026, 12, 31), None);
        assert_eq!(fields["region"], serde_json::Value::Null);
        assert_eq!(fields["starts_on"], "2026-01-01");
        let fields = audit_fields(
            "Plan",
            5,
            date(2026, 1, 1),
            date(2026, 12, 31),
            Some("KZ-75"),
        );
        assert_eq!(fields["region"], "KZ-75");
    }
}
