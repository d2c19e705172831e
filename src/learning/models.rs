//! Enrolments and progress: rows and queries. Every write that can race (two tabs, double
//! clicks) is made safe by the unique constraints plus idempotent updates; `ops` runs them in
//! one transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

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

/// Runs `insert` in a savepoint: when a concurrent request inserted the same row first, the
/// unique constraint refuses this one without spoiling the transaction, and it counts as done.
pub fn insert_once(
    conn: &mut AnyConnection,
    insert: impl FnMut(&mut AnyConnection) -> QueryResult<usize>,
) -> QueryResult<()> {
    match db::transaction(conn, insert) {
        Err(e) if !is_unique_violation(&e) => Err(e),
        _ => Ok(()),
    }
}

/// A new active enrolment of the teacher on the course, unless they have one (of any status).
pub fn insert_enrolment(
    conn: &mut AnyConnection,
    user_id: i32,
    course_id: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    insert_once(conn, |conn| {
        diesel::insert_into(enrolments::table)
            .values((
                enrolments::user_id.eq(user_id),
                enrolments::course_id.eq(course_id),
                enrolments::status.eq(EnrolmentStatus::Active.as_str()),
                enrolments::enrolled_at.eq(now),
                enrolments::last_activity_at.eq(now),
            ))
            .execute(conn)
    })
}

/// Makes the teacher's withdrawn enrolment on the course active again (its progress kept).
pub fn reactivate(
    conn: &mut AnyConnection,
    user_id: i32,
    course_id: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
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
    .execute(conn)
    .map(|_| ())
}

/// Withdraws an active enrolment; the progress stays for a later return. False when it was
/// not active.
pub fn set_withdrawn(
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

/// Notes activity on the enrolment now.
pub fn touch(conn: &mut AnyConnection, enrolment_id: i32, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(enrolments::table.find(enrolment_id))
        .set(enrolments::last_activity_at.eq(now))
        .execute(conn)
        .map(|_| ())
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
    ensure_progress_row(conn, enrolment_id, module_id, now)?;
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
    touch(conn, enrolment_id, now)
}

/// Notes that the teacher opened the module (the first time only), creating its progress row.
pub fn record_opened(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    module_id: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    ensure_progress_row(conn, enrolment_id, module_id, now)?;
    diesel::update(
        module_progress::table
            .filter(module_progress::enrolment_id.eq(enrolment_id))
            .filter(module_progress::module_id.eq(module_id))
            .filter(module_progress::opened_at.is_null()),
    )
    .set(module_progress::opened_at.eq(now))
    .execute(conn)
    .map(|_| ())
}

/// Creates the module's progress row once, whatever the concurrency.
fn ensure_progress_row(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    module_id: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let exists: bool = diesel::select(diesel::dsl::exists(
        module_progress::table
            .filter(module_progress::enrolment_id.eq(enrolment_id))
            .filter(module_progress::module_id.eq(module_id)),
    ))
    .get_result(conn)?;
    if exists {
        return Ok(());
    }
    insert_once(conn, |conn| {
        diesel::insert_into(module_progress::table)
            .values((
                module_progress::enrolment_id.eq(enrolment_id),
                module_progress::module_id.eq(module_id),
                module_progress::attempts.eq(0),
                module_progress::updated_at.eq(now),
            ))
            .execute(conn)
    })
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
    /// When the teacher first opened the module.
    pub opened_at: Option<NaiveDateTime>,
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
