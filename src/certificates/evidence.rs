//! The evidence behind a completion, read for the review queue: the quiz attempts, the practical
//! tasks submitted with their scores and files, and the earlier returns of the completion. Other
//! areas write these tables (learning, the task review); this file only reads them.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::domain::SubmissionStatus;
use crate::schema::{
    certificates, completion_returns, courses, enrolments, modules, quiz_attempts, schools,
    task_criteria, task_files, task_scores, task_submissions, users,
};

/// What a queue row shows of a completion's evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceSummary {
    /// Submitted quiz attempts.
    pub attempts: i64,
    pub best_score: Option<i32>,
    /// Task submissions, and how many of them passed.
    pub tasks: i64,
    pub tasks_passed: i64,
    /// Points of the latest scored submission of each task, out of the most they could earn.
    pub task_points: Option<(i64, i64)>,
}

/// The evidence summaries of these enrolments (an enrolment without any evidence has none).
pub fn summaries(
    conn: &mut AnyConnection,
    enrolment_ids: &[i32],
) -> QueryResult<HashMap<i32, EvidenceSummary>> {
    let mut out: HashMap<i32, EvidenceSummary> = HashMap::new();
    let attempts: Vec<(i32, Option<i32>)> = quiz_attempts::table
        .filter(quiz_attempts::enrolment_id.eq_any(enrolment_ids))
        .filter(quiz_attempts::submitted_at.is_not_null())
        .select((quiz_attempts::enrolment_id, quiz_attempts::score))
        .load(conn)?;
    for (enrolment_id, score) in attempts {
        let summary = out.entry(enrolment_id).or_default();
        summary.attempts += 1;
        summary.best_score = summary.best_score.max(score);
    }
    let submissions: Vec<(i32, i32, i32, String)> = task_submissions::table
        .filter(task_submissions::enrolment_id.eq_any(enrolment_ids))
        .order(task_submissions::id.asc())
        .select((
            task_submissions::id,
            task_submissions::enrolment_id,
            task_submissions::module_id,
            task_submissions::status,
        ))
        .load(conn)?;
    let ids: Vec<i32> = submissions.iter().map(|s| s.0).collect();
    let points = points_of(conn, &ids)?;
    // The latest scored submission of each (enrolment, task) counts.
    let mut latest: HashMap<(i32, i32), (i64, i64)> = HashMap::new();
    for (id, enrolment_id, module_id, status) in submissions {
        let summary = out.entry(enrolment_id).or_default();
        summary.tasks += 1;
        if SubmissionStatus::parse(&status) == Some(SubmissionStatus::Passed) {
            summary.tasks_passed += 1;
        }
        if let Some(p) = points.get(&id) {
            latest.insert((enrolment_id, module_id), *p);
        }
    }
    for ((enrolment_id, _), (scored, max)) in latest {
        let summary = out.entry(enrolment_id).or_default();
        let (s, m) = summary.task_points.unwrap_or((0, 0));
        summary.task_points = Some((s + scored, m + max));
    }
    Ok(out)
}

/// (points scored, most possible) of each scored submission.
fn points_of(
    conn: &mut AnyConnection,
    submission_ids: &[i32],
) -> QueryResult<HashMap<i32, (i64, i64)>> {
    let rows: Vec<(i32, i32, i32)> = task_scores::table
        .inner_join(task_criteria::table)
        .filter(task_scores::submission_id.eq_any(submission_ids))
        .select((
            task_scores::submission_id,
            task_scores::score,
            task_criteria::max_score,
        ))
        .load(conn)?;
    let mut out: HashMap<i32, (i64, i64)> = HashMap::new();
    for (id, score, max) in rows {
        let entry = out.entry(id).or_default();
        entry.0 += i64::from(score);
        entry.1 += i64::from(max);
    }
    Ok(out)
}

/// A completion under review: whose, of what, and where it stands.
#[derive(Debug, Clone)]
pub struct Completion {
    pub enrolment_id: i32,
    pub status: String,
    pub enrolled_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
    pub user_id: i32,
    pub teacher_name: String,
    pub teacher_email: String,
    pub region_id: Option<i32>,
    pub school: Option<String>,
    pub course_id: i32,
    pub course_title: String,
    pub certificate_mode: String,
    /// The serial of the enrolment's certificate, once issued.
    pub certificate: Option<String>,
}

type CompletionRow = (
    (i32, String, NaiveDateTime, Option<NaiveDateTime>),
    (i32, String, String, Option<i32>, Option<i32>),
    (i32, String, String),
);

pub fn completion(conn: &mut AnyConnection, enrolment_id: i32) -> QueryResult<Option<Completion>> {
    let row: Option<CompletionRow> = enrolments::table
        .inner_join(users::table)
        .inner_join(courses::table)
        .filter(enrolments::id.eq(enrolment_id))
        .select((
            (
                enrolments::id,
                enrolments::status,
                enrolments::enrolled_at,
                enrolments::completed_at,
            ),
            (
                users::id,
                users::full_name,
                users::email,
                users::region_id,
                users::school_id,
            ),
            (courses::id, courses::title, courses::certificate_mode),
        ))
        .first(conn)
        .optional()?;
    let Some(((id, status, enrolled_at, completed_at), user, course)) = row else {
        return Ok(None);
    };
    let (user_id, teacher_name, teacher_email, region_id, school_id) = user;
    let school = match school_id {
        Some(school_id) => schools::table
            .find(school_id)
            .select(schools::name)
            .first(conn)
            .optional()?,
        None => None,
    };
    let certificate = certificates::table
        .filter(certificates::enrolment_id.eq(id))
        .select(certificates::serial)
        .first(conn)
        .optional()?;
    Ok(Some(Completion {
        enrolment_id: id,
        status,
        enrolled_at,
        completed_at,
        user_id,
        teacher_name,
        teacher_email,
        region_id,
        school,
        course_id: course.0,
        course_title: course.1,
        certificate_mode: course.2,
        certificate,
    }))
}

/// A quiz attempt of the enrolment, submitted or not.
#[derive(Debug, Clone, Queryable)]
pub struct Attempt {
    pub module_title: String,
    pub drawn_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub score: Option<i32>,
    pub passed: Option<bool>,
}

/// The enrolment's quiz attempts, in the order they were made.
pub fn attempts(conn: &mut AnyConnection, enrolment_id: i32) -> QueryResult<Vec<Attempt>> {
    quiz_attempts::table
        .inner_join(modules::table)
        .filter(quiz_attempts::enrolment_id.eq(enrolment_id))
        .order((quiz_attempts::drawn_at.asc(), quiz_attempts::id.asc()))
        .select((
            modules::title,
            quiz_attempts::drawn_at,
            quiz_attempts::submitted_at,
            quiz_attempts::score,
            quiz_attempts::passed,
        ))
        .load(conn)
}

/// One criterion of a submission's score.
#[derive(Debug, Clone)]
pub struct CriterionScore {
    pub title: String,
    pub score: i32,
    pub max_score: i32,
}

/// A file attached to a submission (its content stays in the database).
#[derive(Debug, Clone)]
pub struct AttachedFile {
    pub id: i32,
    pub file_name: String,
    pub size_bytes: i32,
}

/// A practical task's submission with its review.
#[derive(Debug, Clone)]
pub struct Submission {
    pub id: i32,
    pub module_title: String,
    pub body: String,
    pub status: String,
    pub submitted_at: NaiveDateTime,
    pub reviewed_at: Option<NaiveDateTime>,
    pub reviewer: Option<String>,
    pub feedback: Option<String>,
    pub scores: Vec<CriterionScore>,
    pub files: Vec<AttachedFile>,
}

type SubmissionRow = (
    i32,
    String,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<i32>,
    Option<String>,
);

/// The enrolment's task submissions, oldest first, each with its scores and files.
pub fn submissions(conn: &mut AnyConnection, enrolment_id: i32) -> QueryResult<Vec<Submission>> {
    let rows: Vec<SubmissionRow> = task_submissions::table
        .inner_join(modules::table)
        .filter(task_submissions::enrolment_id.eq(enrolment_id))
        .order((
            task_submissions::submitted_at.asc(),
            task_submissions::id.asc(),
        ))
        .select((
            task_submissions::id,
            modules::title,
            task_submissions::body,
            task_submissions::status,
            task_submissions::submitted_at,
            task_submissions::reviewed_at,
            task_submissions::reviewer_id,
            task_submissions::feedback,
        ))
        .load(conn)?;
    let ids: Vec<i32> = rows.iter().map(|r| r.0).collect();
    let reviewers: Vec<i32> = rows.iter().filter_map(|r| r.6).collect();
    let names: HashMap<i32, String> = users::table
        .filter(users::id.eq_any(reviewers))
        .select((users::id, users::full_name))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect();
    let mut scores: HashMap<i32, Vec<CriterionScore>> = HashMap::new();
    let score_rows: Vec<(i32, String, i32, i32)> = task_scores::table
        .inner_join(task_criteria::table)
        .filter(task_scores::submission_id.eq_any(&ids))
        .order((
            task_scores::submission_id.asc(),
            task_criteria::position.asc(),
        ))
        .select((
            task_scores::submission_id,
            task_criteria::title,
            task_scores::score,
            task_criteria::max_score,
        ))
        .load(conn)?;
    for (id, title, score, max_score) in score_rows {
        scores.entry(id).or_default().push(CriterionScore {
            title,
            score,
            max_score,
        });
    }
    let mut files: HashMap<i32, Vec<AttachedFile>> = HashMap::new();
    let file_rows: Vec<(i32, i32, String, i32)> = task_files::table
        .filter(task_files::submission_id.eq_any(&ids))
        .order((task_files::submission_id.asc(), task_files::position.asc()))
        .select((
            task_files::submission_id,
            task_files::id,
            task_files::file_name,
            task_files::size_bytes,
        ))
        .load(conn)?;
    for (submission_id, id, file_name, size_bytes) in file_rows {
        files.entry(submission_id).or_default().push(AttachedFile {
            id,
            file_name,
            size_bytes,
        });
    }
    Ok(rows
        .into_iter()
        .map(
            |(id, module_title, body, status, submitted_at, reviewed_at, reviewer, feedback)| {
                Submission {
                    id,
                    module_title,
                    body,
                    status,
                    submitted_at,
                    reviewed_at,
                    reviewer: reviewer.and_then(|r| names.get(&r).cloned()),
                    feedback,
                    scores: scores.remove(&id).unwrap_or_default(),
                    files: files.remove(&id).unwrap_or_default(),
                }
            },
        )
        .collect())
}

/// An earlier return of the completion to the teacher.
#[derive(Debug, Clone)]
pub struct Return {
    pub reason: String,
    pub returned_by: String,
    pub completed_at: NaiveDateTime,
    pub returned_at: NaiveDateTime,
}

/// The enrolment's returns, newest first.
pub fn returns(conn: &mut AnyConnection, enrolment_id: i32) -> QueryResult<Vec<Return>> {
    let rows: Vec<(String, String, NaiveDateTime, NaiveDateTime)> = completion_returns::table
        .inner_join(users::table)
        .filter(completion_returns::enrolment_id.eq(enrolment_id))
        .order((
            completion_returns::returned_at.desc(),
            completion_returns::id.desc(),
        ))
        .select((
            completion_returns::reason,
            users::full_name,
            completion_returns::completed_at,
            completion_returns::returned_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(reason, returned_by, completed_at, returned_at)| Return {
            reason,
            returned_by,
            completed_at,
            returned_at,
        })
        .collect())
}

/// The latest return of an enrolment: (when, the reason), for the teacher's course page.
pub fn latest_return(
    conn: &mut AnyConnection,
    enrolment_id: i32,
) -> QueryResult<Option<(NaiveDateTime, String)>> {
    completion_returns::table
        .filter(completion_returns::enrolment_id.eq(enrolment_id))
        .order((
            completion_returns::returned_at.desc(),
            completion_returns::id.desc(),
        ))
        .select((completion_returns::returned_at, completion_returns::reason))
        .first(conn)
        .optional()
}

/// A module the teacher may be asked to redo.
#[derive(Debug, Clone, Queryable)]
pub struct Redoable {
    pub id: i32,
    pub title: String,
    pub kind: String,
}

/// The course's modules (not archived), in order.
pub fn course_modules(conn: &mut AnyConnection, course_id: i32) -> QueryResult<Vec<Redoable>> {
    modules::table
        .filter(modules::course_id.eq(course_id))
        .filter(modules::archived_at.is_null())
        .order(modules::position.asc())
        .select((modules::id, modules::title, modules::kind))
        .load(conn)
}
