//! Quiz attempts: rows and queries. An attempt is drawn once (one open attempt per enrolment
//! and quiz, by the unique partial index `quiz_attempts_open`) and graded once (a conditional
//! update on `submitted_at IS NULL`); `ops` runs them in one transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::learning::models::insert_once;
use crate::learning::quiz::{encode_ids, Drawn};
use crate::learning::rules::Tried;
use crate::schema::{quiz_attempt_questions, quiz_attempts};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = quiz_attempts)]
pub struct Attempt {
    pub id: i32,
    pub enrolment_id: i32,
    pub module_id: i32,
    pub drawn_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub score: Option<i32>,
    pub passed: Option<bool>,
}

/// One question of an attempt, in the order shown.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = quiz_attempt_questions)]
pub struct AttemptQuestion {
    pub position: i32,
    pub question_id: i32,
    /// The option ids as shown (`encode_ids`).
    pub option_order: String,
    /// The option ids chosen, once submitted.
    pub chosen: Option<String>,
    pub correct: Option<bool>,
}

/// The teacher's open (not yet submitted) attempt at the quiz, if any.
pub fn open_attempt(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    module_id: i32,
) -> QueryResult<Option<Attempt>> {
    quiz_attempts::table
        .filter(quiz_attempts::enrolment_id.eq(enrolment_id))
        .filter(quiz_attempts::module_id.eq(module_id))
        .filter(quiz_attempts::submitted_at.is_null())
        .select(Attempt::as_select())
        .first(conn)
        .optional()
}

/// An attempt of the enrolment at the quiz, by id.
/// Takes the attempt's row lock (a write that changes nothing): racing posts of one attempt
/// then grade it one after the other, and the later ones find it graded.
pub fn lock(conn: &mut AnyConnection, id: i32) -> QueryResult<()> {
    diesel::update(quiz_attempts::table.find(id))
        .set(quiz_attempts::drawn_at.eq(quiz_attempts::drawn_at))
        .execute(conn)
        .map(|_| ())
}

pub fn attempt_of(
    conn: &mut AnyConnection,
    id: i32,
    enrolment_id: i32,
    module_id: i32,
) -> QueryResult<Option<Attempt>> {
    quiz_attempts::table
        .find(id)
        .filter(quiz_attempts::enrolment_id.eq(enrolment_id))
        .filter(quiz_attempts::module_id.eq(module_id))
        .select(Attempt::as_select())
        .first(conn)
        .optional()
}

pub fn questions_of(
    conn: &mut AnyConnection,
    attempt_id: i32,
) -> QueryResult<Vec<AttemptQuestion>> {
    quiz_attempt_questions::table
        .filter(quiz_attempt_questions::attempt_id.eq(attempt_id))
        .order(quiz_attempt_questions::position.asc())
        .select(AttemptQuestion::as_select())
        .load(conn)
}

/// The submitted attempts of the enrolment at the quiz, newest first.
pub fn submitted(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    module_id: i32,
) -> QueryResult<Vec<Attempt>> {
    quiz_attempts::table
        .filter(quiz_attempts::enrolment_id.eq(enrolment_id))
        .filter(quiz_attempts::module_id.eq(module_id))
        .filter(quiz_attempts::submitted_at.is_not_null())
        .order((quiz_attempts::submitted_at.desc(), quiz_attempts::id.desc()))
        .select(Attempt::as_select())
        .load(conn)
}

/// Submitted attempts as the attempt policy counts them.
pub fn tried(attempts: &[Attempt]) -> Vec<Tried> {
    attempts
        .iter()
        .filter_map(|a| {
            Some(Tried {
                at: a.submitted_at?,
                passed: a.passed.unwrap_or(false),
            })
        })
        .collect()
}

/// Stores a drawn attempt, unless the enrolment has an open one at the quiz already (then the
/// concurrent request that stored it first wins and this one stores nothing).
pub fn insert_attempt(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    module_id: i32,
    drawn: &[Drawn],
    now: NaiveDateTime,
) -> QueryResult<()> {
    insert_once(conn, |conn| {
        let id: i32 = diesel::insert_into(quiz_attempts::table)
            .values((
                quiz_attempts::enrolment_id.eq(enrolment_id),
                quiz_attempts::module_id.eq(module_id),
                quiz_attempts::drawn_at.eq(now),
            ))
            .returning(quiz_attempts::id)
            .get_result(conn)?;
        for (position, question) in (1..).zip(drawn) {
            diesel::insert_into(quiz_attempt_questions::table)
                .values((
                    quiz_attempt_questions::attempt_id.eq(id),
                    quiz_attempt_questions::position.eq(position),
                    quiz_attempt_questions::question_id.eq(question.question_id),
                    quiz_attempt_questions::option_order.eq(encode_ids(&question.option_order)),
                ))
                .execute(conn)?;
        }
        Ok(1)
    })
}

/// Removes an open attempt (its questions go with it): the author changed the quiz under it.
pub fn discard_open(conn: &mut AnyConnection, attempt_id: i32) -> QueryResult<()> {
    diesel::delete(
        quiz_attempts::table
            .find(attempt_id)
            .filter(quiz_attempts::submitted_at.is_null()),
    )
    .execute(conn)
    .map(|_| ())
}

/// Marks the open attempt submitted with its result. False when it was submitted already (a
/// racing or repeated request), so the caller records nothing more.
pub fn mark_submitted(
    conn: &mut AnyConnection,
    attempt_id: i32,
    score: i32,
    passed: bool,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        quiz_attempts::table
            .find(attempt_id)
            .filter(quiz_attempts::submitted_at.is_null()),
    )
    .set((
        quiz_attempts::submitted_at.eq(now),
        quiz_attempts::score.eq(score),
        quiz_attempts::passed.eq(passed),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Records what the teacher chose for one question of the attempt and whether it was right.
pub fn set_answer(
    conn: &mut AnyConnection,
    attempt_id: i32,
    question_id: i32,
    chosen: &[i32],
    correct: bool,
) -> QueryResult<()> {
    diesel::update(
        quiz_attempt_questions::table
            .filter(quiz_attempt_questions::attempt_id.eq(attempt_id))
            .filter(quiz_attempt_questions::question_id.eq(question_id)),
    )
    .set((
        quiz_attempt_questions::chosen.eq(encode_ids(chosen)),
        quiz_attempt_questions::correct.eq(correct),
    ))
    .execute(conn)
    .map(|_| ())
}
