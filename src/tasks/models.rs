//! The rows of practical tasks: submissions, their files and scores, the tutors of a course, and
//! the review queue.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::domain::SubmissionStatus;
use crate::schema::{
    course_tutors, courses, enrolments, modules, task_files, task_scores, task_submissions, users,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = task_submissions)]
pub struct Submission {
    pub id: i32,
    pub enrolment_id: i32,
    pub module_id: i32,
    pub body: String,
    pub status: String,
    pub submitted_at: NaiveDateTime,
    pub reviewed_at: Option<NaiveDateTime>,
    pub reviewer_id: Option<i32>,
    pub feedback: Option<String>,
    pub version: i32,
}

impl Submission {
    /// The stored status (the schema CHECKs the code; anything else would read as waiting).
    pub fn status(&self) -> SubmissionStatus {
        SubmissionStatus::parse(&self.status).unwrap_or(SubmissionStatus::Submitted)
    }
}

/// A file's description, without its content.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = task_files)]
pub struct FileInfo {
    pub id: i32,
    pub submission_id: i32,
    pub position: i32,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub sha256: String,
}

/// A file to store: its content already recognised.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub file_name: String,
    pub content_type: &'static str,
    pub sha256: String,
    pub content: Vec<u8>,
}

/// A file to send: (name, type, content).
pub type StoredFile = (String, String, Vec<u8>);

pub fn insert_submission(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    module_id: i32,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    crate::on_backend!(conn, |c| diesel::insert_into(task_submissions::table)
        .values((
            task_submissions::enrolment_id.eq(enrolment_id),
            task_submissions::module_id.eq(module_id),
            task_submissions::body.eq(body),
            task_submissions::status.eq(SubmissionStatus::Submitted.as_str()),
            task_submissions::submitted_at.eq(now),
        ))
        .returning(task_submissions::id)
        .get_result(c))
}

pub fn insert_file(
    conn: &mut AnyConnection,
    submission_id: i32,
    position: i32,
    file: &NewFile,
) -> QueryResult<()> {
    diesel::insert_into(task_files::table)
        .values((
            task_files::submission_id.eq(submission_id),
            task_files::position.eq(position),
            task_files::file_name.eq(&file.file_name),
            task_files::content_type.eq(file.content_type),
            task_files::size_bytes.eq(i32::try_from(file.content.len()).unwrap_or(i32::MAX)),
            task_files::sha256.eq(&file.sha256),
            task_files::content.eq(&file.content),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Whether the task's module is complete in the enrolment now. A passed submission stops
/// further ones only while it is: an administrator who returns the completion reopens the task.
pub fn task_done(conn: &mut AnyConnection, enrolment_id: i32, module_id: i32) -> QueryResult<bool> {
    use crate::schema::module_progress;
    diesel::select(diesel::dsl::exists(
        module_progress::table
            .filter(module_progress::enrolment_id.eq(enrolment_id))
            .filter(module_progress::module_id.eq(module_id))
            .filter(module_progress::completed_at.is_not_null()),
    ))
    .get_result(conn)
}

/// A teacher's submissions of a task, newest first.
pub fn submissions_of(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    module_id: i32,
) -> QueryResult<Vec<Submission>> {
    task_submissions::table
        .filter(task_submissions::enrolment_id.eq(enrolment_id))
        .filter(task_submissions::module_id.eq(module_id))
        .order((
            task_submissions::submitted_at.desc(),
            task_submissions::id.desc(),
        ))
        .select(Submission::as_select())
        .load(conn)
}

pub fn submission_by_id(conn: &mut AnyConnection, id: i32) -> QueryResult<Option<Submission>> {
    task_submissions::table
        .find(id)
        .select(Submission::as_select())
        .first(conn)
        .optional()
}

/// The files of these submissions, in order.
pub fn files_of(conn: &mut AnyConnection, submission_ids: &[i32]) -> QueryResult<Vec<FileInfo>> {
    task_files::table
        .filter(task_files::submission_id.eq_any(submission_ids))
        .order((task_files::submission_id.asc(), task_files::position.asc()))
        .select(FileInfo::as_select())
        .load(conn)
}

/// The scores of these submissions: (submission, criterion, score).
pub fn scores_of(
    conn: &mut AnyConnection,
    submission_ids: &[i32],
) -> QueryResult<Vec<(i32, i32, i32)>> {
    task_scores::table
        .filter(task_scores::submission_id.eq_any(submission_ids))
        .select((
            task_scores::submission_id,
            task_scores::criterion_id,
            task_scores::score,
        ))
        .load(conn)
}

/// A file of one of this teacher's own submissions of this module.
pub fn own_file(
    conn: &mut AnyConnection,
    file_id: i32,
    user_id: i32,
    module_id: i32,
) -> QueryResult<Option<StoredFile>> {
    task_files::table
        .inner_join(task_submissions::table.inner_join(enrolments::table))
        .filter(task_files::id.eq(file_id))
        .filter(enrolments::user_id.eq(user_id))
        .filter(task_submissions::module_id.eq(module_id))
        .select((
            task_files::file_name,
            task_files::content_type,
            task_files::content,
        ))
        .first(conn)
        .optional()
}

/// A file with the course its submission belongs to.
pub fn file_with_course(
    conn: &mut AnyConnection,
    file_id: i32,
) -> QueryResult<Option<(i32, StoredFile)>> {
    task_files::table
        .inner_join(task_submissions::table.inner_join(enrolments::table))
        .filter(task_files::id.eq(file_id))
        .select((
            enrolments::course_id,
            (
                task_files::file_name,
                task_files::content_type,
                task_files::content,
            ),
        ))
        .first(conn)
        .optional()
}

/// Whether the user is appointed tutor of the course.
pub fn is_tutor_of(conn: &mut AnyConnection, user_id: i32, course_id: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        course_tutors::table
            .filter(course_tutors::user_id.eq(user_id))
            .filter(course_tutors::course_id.eq(course_id)),
    ))
    .get_result(conn)
}

/// The courses with tasks a reviewer may review, by title: every course for an administrator
/// (`None`), else the courses the user tutors.
pub fn reviewable_courses(
    conn: &mut AnyConnection,
    tutor: Option<i32>,
) -> QueryResult<Vec<(i32, String)>> {
    let mut query = courses::table
        .filter(diesel::dsl::exists(
            modules::table
                .filter(modules::course_id.eq(courses::id))
                .filter(modules::kind.eq(crate::domain::ModuleKind::Task.as_str())),
        ))
        .order((courses::title.asc(), courses::id.asc()))
        .select((courses::id, courses::title))
        .into_boxed();
    if let Some(user_id) = tutor {
        query = query.filter(
            courses::id.eq_any(
                course_tutors::table
                    .filter(course_tutors::user_id.eq(user_id))
                    .select(course_tutors::course_id),
            ),
        );
    }
    query.load(conn)
}

/// A submission waiting for review, as the queue lists it.
#[derive(Debug, Clone, Queryable)]
pub struct Waiting {
    pub id: i32,
    pub submitted_at: NaiveDateTime,
    pub course_title: String,
    pub module_title: String,
    pub teacher_name: String,
}

/// The submissions waiting in these courses, oldest first.
pub fn waiting_in(conn: &mut AnyConnection, course_ids: &[i32]) -> QueryResult<Vec<Waiting>> {
    task_submissions::table
        .inner_join(
            enrolments::table
                .inner_join(courses::table)
                .inner_join(users::table),
        )
        .inner_join(modules::table)
        .filter(task_submissions::status.eq(SubmissionStatus::Submitted.as_str()))
        .filter(enrolments::course_id.eq_any(course_ids))
        .order((
            task_submissions::submitted_at.asc(),
            task_submissions::id.asc(),
        ))
        .select((
            task_submissions::id,
            task_submissions::submitted_at,
            courses::title,
            modules::title,
            users::full_name,
        ))
        .limit(500)
        .load(conn)
}

/// Who submitted: (user id, full name, email, language) and the course id.
#[derive(Debug, Clone, Queryable)]
pub struct Submitter {
    pub user_id: i32,
    pub full_name: String,
    pub email: String,
    pub language: String,
    pub course_id: i32,
}

pub fn submitter(conn: &mut AnyConnection, enrolment_id: i32) -> QueryResult<Submitter> {
    enrolments::table
        .inner_join(users::table)
        .filter(enrolments::id.eq(enrolment_id))
        .select((
            users::id,
            users::full_name,
            users::email,
            users::language,
            enrolments::course_id,
        ))
        .first(conn)
}

pub fn user_name(conn: &mut AnyConnection, user_id: i32) -> QueryResult<String> {
    users::table
        .find(user_id)
        .select(users::full_name)
        .first(conn)
}

/// Records the decision if the submission still waits at `version`; false when another
/// reviewer decided first (nothing written).
pub fn decide(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    status: SubmissionStatus,
    reviewer_id: i32,
    feedback: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        task_submissions::table
            .filter(task_submissions::id.eq(id))
            .filter(task_submissions::status.eq(SubmissionStatus::Submitted.as_str()))
            .filter(task_submissions::version.eq(version)),
    )
    .set((
        task_submissions::status.eq(status.as_str()),
        task_submissions::reviewer_id.eq(reviewer_id),
        task_submissions::reviewed_at.eq(now),
        task_submissions::feedback.eq(feedback),
        task_submissions::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn insert_score(
    conn: &mut AnyConnection,
    submission_id: i32,
    criterion_id: i32,
    score: i32,
) -> QueryResult<()> {
    diesel::insert_into(task_scores::table)
        .values((
            task_scores::submission_id.eq(submission_id),
            task_scores::criterion_id.eq(criterion_id),
            task_scores::score.eq(score),
        ))
        .execute(conn)
        .map(|_| ())
}
