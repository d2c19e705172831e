//! Enrolments and progress. Every write that can race (two tabs, double clicks) is made safe by
//! the unique constraints plus idempotent updates, inside one transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::Error;

use crate::db::is_unique_violation;
use crate::db::{self, AnyConnection};
use crate::domain::EnrolmentStatus;
use crate::schema::{enrolments, module_progress, modules};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = enrolments)]
pub struct Enrolment {
    pub id: i32,
    pub user_id: i32,
    pub course_id: i32,
    pub status: String,
    pub enrolled_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub last_activity_at: NaiveDateTime,
}

impl Enrolment {
    /// The stored status (the schema CHECKs the code; anything else would read as withdrawn).
    pub fn status(&self) -> EnrolmentStatus {
        EnrolmentStatus::parse(&self.status).unwrap_or(EnrolmentStatus::Withdrawn)
    }

    /// Active and completed enrolments may open the course's modules.
    pub fn may_study(&self) -> bool {
        matches!(
            self.status(),
            EnrolmentStatus::Active | EnrolmentStatus::Completed
        )
    }
}

pub fn enrolment(
    conn: &mut AnyConnection,
    user_id: i32,
    course_id: i32,
) -> QueryResult<Option<Enrolment>> {
    enrolments::table
        .filter(enrolments::user_id.eq(user_id))
        .filter(enrolments::course_id.eq(course_id))
        .select(Enrolment::as_select())
        .first(conn)
        .optional()
}

/// Enrols the teacher, or brings a withdrawn enrolment back with its progress. Safe to repeat.
pub fn enrol(
    conn: &mut AnyConnection,
    user_id: i32,
    course_id: i32,
    now: NaiveDateTime,
) -> QueryResult<Enrolment> {
    db::transaction(conn, |conn| {
        if enrolment(conn, user_id, course_id)?.is_none() {
            // A savepoint: a concurrent enrolment makes this insert fail without spoiling the transaction.
            let inserted = db::transaction(conn, |conn| {
                diesel::insert_into(enrolments::table)
                    .values((
                        enrolments::user_id.eq(user_id),
                        enrolments::course_id.eq(course_id),
                        enrolments::status.eq(EnrolmentStatus::Active.as_str()),
                        enrolments::enrolled_at.eq(now),
                        enrolments::last_activity_at.eq(now),
                    ))
                    .execute(conn)
            });
            match inserted {
                Ok(_) => {}
                Err(e) if is_unique_violation(&e) => {}
                Err(e) => return Err(e),
            }
        }
        diesel::update(
            enrolments::table
                .filter(enrolments::user_id.eq(user_id))
                .filter(enrolments::course_id.eq(course_id))
                .filter(enrolments::status.eq(EnrolmentStatus::Withdrawn.as_str())),
        )
        .set((
            enrolments::status.eq(EnrolmentStatus::Active.as_str()),
            enrolments::withdrawn_at.eq(None::<NaiveDateTime>),
            enrolments::last_activity_at.eq(now),
        ))
        .execute(conn)?;
        enrolment(conn, user_id, course_id)?.ok_or(Error::NotFound)
    })
}

/// Withdraws an active enrolment; the progress stays for a later return.
pub fn withdraw(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        enrolments::table
            .find(enrolment_id)
            .filter(enrolments::status.eq(EnrolmentStatus::Active.as_str())),
    )
    .set((
        enrolments::status.eq(EnrolmentStatus::Withdrawn.as_str()),
        enrolments::withdrawn_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Records an attempt at a module: `score` for quizzes (kept if best), `passed` completes it.
/// Creates the progress row once, whatever the concurrency.
pub fn record_progress(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    module_id: i32,
    score: Option<i32>,
    passed: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let exists = |conn: &mut AnyConnection| -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            module_progress::table
                .filter(module_progress::enrolment_id.eq(enrolment_id))
                .filter(module_progress::module_id.eq(module_id)),
        ))
        .get_result(conn)
    };
    if !exists(conn)? {
        let inserted = db::transaction(conn, |conn| {
            diesel::insert_into(module_progress::table)
                .values((
                    module_progress::enrolment_id.eq(enrolment_id),
                    module_progress::module_id.eq(module_id),
                    module_progress::attempts.eq(0),
                    module_progress::updated_at.eq(now),
                ))
                .execute(conn)
        });
        match inserted {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => {}
            Err(e) => return Err(e),
        }
    }
    let row = module_progress::table
        .filter(module_progress::enrolment_id.eq(enrolment_id))
        .filter(module_progress::module_id.eq(module_id));
    if let Some(score) = score {
        diesel::update(row)
            .set((
                module_progress::attempts.eq(module_progress::attempts + 1),
                module_progress::updated_at.eq(now),
            ))
            .execute(conn)?;
        // Only ever raise the best score (a single conditional update, so racing attempts agree).
        diesel::update(
            row.filter(
                module_progress::best_score
                    .is_null()
                    .or(module_progress::best_score.lt(score)),
            ),
        )
        .set(module_progress::best_score.eq(score))
        .execute(conn)?;
    }
    if passed {
        diesel::update(row.filter(module_progress::completed_at.is_null()))
            .set(module_progress::completed_at.eq(now))
            .execute(conn)?;
    }
    diesel::update(enrolments::table.find(enrolment_id))
        .set(enrolments::last_activity_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// (required modules completed, required modules) of the course, archived modules left out.
pub fn required_progress(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    course_id: i32,
) -> QueryResult<(i64, i64)> {
    let required: i64 = modules::table
        .filter(modules::course_id.eq(course_id))
        .filter(modules::required.eq(true))
        .filter(modules::archived_at.is_null())
        .count()
        .get_result(conn)?;
    let done: i64 = module_progress::table
        .inner_join(modules::table)
        .filter(module_progress::enrolment_id.eq(enrolment_id))
        .filter(module_progress::completed_at.is_not_null())
        .filter(modules::required.eq(true))
        .filter(modules::archived_at.is_null())
        .count()
        .get_result(conn)?;
    Ok((done, required))
}

/// Marks the enrolment completed when every required module is done. Returns true only for the
/// call that completed it (so the certificate step runs once).
pub fn complete_if_done(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    course_id: i32,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let (done, required) = required_progress(conn, enrolment_id, course_id)?;
    if required == 0 || done < required {
        return Ok(false);
    }
    let changed = diesel::update(
        enrolments::table
            .find(enrolment_id)
            .filter(enrolments::status.ne(EnrolmentStatus::Completed.as_str())),
    )
    .set((
        enrolments::status.eq(EnrolmentStatus::Completed.as_str()),
        enrolments::completed_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// One module's progress within an enrolment.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = module_progress)]
pub struct ModuleProgress {
    pub module_id: i32,
    pub completed_at: Option<NaiveDateTime>,
    pub best_score: Option<i32>,
    pub attempts: i32,
}

/// Progress of an enrolment, one row per module attempted.
pub fn progress_of(
    conn: &mut AnyConnection,
    enrolment_id: i32,
) -> QueryResult<Vec<ModuleProgress>> {
    module_progress::table
        .filter(module_progress::enrolment_id.eq(enrolment_id))
        .select(ModuleProgress::as_select())
        .load(conn)
}

/// A teacher's enrolments with their courses, most recently active first.
pub fn enrolments_of(
    conn: &mut AnyConnection,
    user_id: i32,
) -> QueryResult<Vec<(Enrolment, crate::courses::models::Course)>> {
    use crate::courses::models::Course;
    use crate::schema::courses;
    enrolments::table
        .inner_join(courses::table)
        .filter(enrolments::user_id.eq(user_id))
        .order((enrolments::last_activity_at.desc(), enrolments::id.desc()))
        .select((Enrolment::as_select(), Course::as_select()))
        .load(conn)
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
        diesel::update(enrolments::table.find(enrolment_id))
            .set(enrolments::last_activity_at.eq(now))
            .execute(conn)?;
        record_progress(conn, enrolment_id, module_id, score, passed, now)?;
        let completed = complete_if_done(conn, enrolment_id, course_id, now)?;
        if completed {
            crate::certificates::ops::on_completion(conn, enrolment_id, course_id, now, base_url)?;
        }
        Ok(completed)
    })
}
