//! What a teacher does to a course, each as one transaction: enrolling (again), withdrawing,
//! and completing a module, which completes the enrolment after its last required module and
//! then runs the certificate step; opening a module, and drawing and submitting quiz attempts.

use chrono::NaiveDateTime;
use diesel::result::Error;
use diesel::QueryResult;

use super::attempts::{self as a, Attempt, AttemptQuestion};
use super::models::{self as m, Enrolment};
use super::quiz::{self, QuestionKey};
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

/// Notes that the teacher opened the module (once), so a lesson may then be completed.
pub fn open_module(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    module_id: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    db::transaction(conn, |conn| {
        m::record_opened(conn, enrolment_id, module_id, now)
    })
}

/// The attempt a teacher opening a quiz sees, with its questions in the order shown.
pub struct Opened {
    pub attempt: Attempt,
    pub questions: Vec<AttemptQuestion>,
    /// The open attempt was drawn again because the author changed the quiz under it.
    pub redrawn: bool,
}

/// Whether a stored attempt still fits the quiz: as many questions as an attempt draws now, none
/// of them gone (a deleted question leaves a gap in the positions), each in the pool with the
/// same options.
fn still_fits(
    questions: &[AttemptQuestion],
    pool: &[QuestionKey],
    draw_count: Option<i32>,
) -> bool {
    let expected = draw_count
        .and_then(|n| usize::try_from(n).ok())
        .map_or(pool.len(), |n| n.min(pool.len()));
    questions.len() == expected
        && (1..)
            .zip(questions)
            .all(|(position, q)| q.position == position)
        && questions.iter().all(|stored| {
            pool.iter().any(|key| {
                let mut shown = quiz::decode_ids(&stored.option_order).unwrap_or_default();
                let mut options: Vec<i32> = key.options.iter().map(|(id, _)| *id).collect();
                shown.sort_unstable();
                options.sort_unstable();
                key.id == stored.question_id && shown == options
            })
        })
}

/// The teacher's open attempt at the quiz, or a new one drawn from `pool` and stored. However
/// many requests open the quiz at once, one attempt is stored and all of them show it.
pub fn open_attempt(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    module_id: i32,
    pool: &[QuestionKey],
    draw_count: Option<i32>,
    now: NaiveDateTime,
) -> QueryResult<Opened> {
    db::transaction(conn, |conn| {
        let mut redrawn = false;
        if let Some(open) = a::open_attempt(conn, enrolment_id, module_id)? {
            let questions = a::questions_of(conn, open.id)?;
            if still_fits(&questions, pool, draw_count) {
                return Ok(Opened {
                    attempt: open,
                    questions,
                    redrawn,
                });
            }
            a::discard_open(conn, open.id)?;
            redrawn = true;
        }
        let drawn = quiz::draw(pool, draw_count, &mut rand::rng());
        a::insert_attempt(conn, enrolment_id, module_id, &drawn, now)?;
        let attempt = a::open_attempt(conn, enrolment_id, module_id)?.ok_or(Error::NotFound)?;
        Ok(Opened {
            questions: a::questions_of(conn, attempt.id)?,
            attempt,
            redrawn,
        })
    })
}

/// A graded attempt to record: what was chosen for each of its questions and the grade.
pub struct Graded {
    pub attempt_id: i32,
    pub enrolment_id: i32,
    pub course_id: i32,
    pub module_id: i32,
    /// (question id, option ids chosen, right?)
    pub answers: Vec<(i32, Vec<i32>, bool)>,
    pub score: i32,
    pub passed: bool,
}

/// Records a graded attempt and the progress it makes, in one transaction. An attempt is
/// graded once: false (and nothing recorded) when it was submitted already.
pub fn submit_attempt(
    conn: &mut AnyConnection,
    graded: &Graded,
    now: NaiveDateTime,
    base_url: &str,
) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        if !a::mark_submitted(conn, graded.attempt_id, graded.score, graded.passed, now)? {
            return Ok(false);
        }
        for (question_id, chosen, correct) in &graded.answers {
            a::set_answer(conn, graded.attempt_id, *question_id, chosen, *correct)?;
        }
        complete_module(
            conn,
            graded.enrolment_id,
            graded.course_id,
            graded.module_id,
            Some(graded.score),
            graded.passed,
            now,
            base_url,
        )?;
        Ok(true)
    })
}
