//! What a teacher does to a course, each as one transaction: enrolling (again), withdrawing,
//! and completing a module, which completes the enrolment after its last required module and
//! then runs the certificate step.

use chrono::NaiveDateTime;
use diesel::result::Error;
use diesel::QueryResult;

use super::models::{self as m, Enrolment};
use crate::db::{self, AnyConnection};

/// Enrols the teacher, or brings a withdrawn enrolment back with its progress. Safe to repeat.
pub fn enrol(
    conn: &mut AnyConnection,
    user_id: i32,
    course_id: i32,
    now: NaiveDateTime,
) -> QueryResult<Enrolment> {
    db::transaction(conn, |conn| {
        if m::enrolment(conn, user_id, course_id)?.is_none() {
            m::insert_enrolment(conn, user_id, course_id, now)?;
        }
        m::reactivate(conn, user_id, course_id, now)?;
        m::enrolment(conn, user_id, course_id)?.ok_or(Error::NotFound)
    })
}

/// Withdraws the teacher's active enrolment on the course; the progress stays for a later
/// return. False when there was no active enrolment.
pub fn withdraw(
    conn: &mut AnyConnection,
    user_id: i32,
    course_id: i32,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    db::transaction(conn, |conn| match m::enrolment(conn, user_id, course_id)? {
        Some(enrolment) => m::set_withdrawn(conn, enrolment.id, now),
        None => Ok(false),
    })
}

/// Records an attempt at a module and, in the same transaction, completes the enrolment when
/// that was the last required module and runs the certificate step (issue at once in automatic
/// mode). Returns true when this call completed the enrolment.
#[allow(clippy::too_many_arguments)]
pub fn complete_module(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    course_id: i32,
    module_id: i32,
    score: Option<i32>,
    passed: bool,
    now: NaiveDateTime,
    base_url: &str,
) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        // Writing first takes the write lock up front: on PostgreSQL it orders racing attempts on
        // the enrolment row, and on SQLite it avoids upgrading a read snapshot (which fails at once).
        m::touch(conn, enrolment_id, now)?;
        m::record_progress(conn, enrolment_id, module_id, score, passed, now)?;
        let completed = m::complete_if_done(conn, enrolment_id, course_id, now)?;
        if completed {
            crate::certificates::ops::on_completion(conn, enrolment_id, course_id, now, base_url)?;
        }
        Ok(completed)
    })
}
