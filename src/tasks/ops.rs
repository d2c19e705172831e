//! What happens to a practical task, each as one transaction with its audit event and email:
//! a teacher submits it, a reviewer passes it (completing the module) or returns it.

use chrono::NaiveDateTime;
use diesel::QueryResult;
use serde_json::json;

use super::forms::{Decision, SubmitTask};
use super::models as m;
use crate::audit::models::{self as audit, AuditAction, AuditSubject};
use crate::courses::models as courses;
use crate::db::{self, is_unique_violation, AnyConnection};
use crate::domain::SubmissionStatus;
use crate::i18n::{Arg, Lang};
use crate::mail::{self, OutgoingEmail};

/// Stores the submission and its files. None when one already waits for review or the task is
/// passed (and its completion not returned since): nothing is written (the unique index `task_submissions_waiting` guards the race).
pub fn submit(
    conn: &mut AnyConnection,
    actor_id: i32,
    enrolment_id: i32,
    module_id: i32,
    task: &SubmitTask,
    now: NaiveDateTime,
) -> QueryResult<Option<i32>> {
    let result = db::transaction(conn, |conn| {
        let earlier = m::submissions_of(conn, enrolment_id, module_id)?;
        let has = |status| earlier.iter().any(|s| s.status() == status);
        if has(SubmissionStatus::Submitted)
            || (has(SubmissionStatus::Passed) && m::task_done(conn, enrolment_id, module_id)?)
        {
            return Ok(None);
        }
        let id = m::insert_submission(conn, enrolment_id, module_id, &task.body, now)?;
        for (position, file) in (1..).zip(&task.files) {
            m::insert_file(conn, id, position, file)?;
        }
        audit::record(
            conn,
            Some(actor_id),
            AuditAction::TaskSubmitted,
            AuditSubject::TaskSubmission,
            Some(id),
            json!({ "after": { "module_id": module_id, "files": task.files.len() } }),
        )?;
        Ok(Some(id))
    });
    match result {
        Err(e) if is_unique_violation(&e) => Ok(None),
        other => other,
    }
}

/// How a decision ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    /// Recorded; true when the pass completed the course.
    Done(bool),
    /// Another reviewer decided first (their name); nothing was written.
    AlreadyReviewed(String),
}

/// Passes or returns the submission shown at `decision.version`: the decision, the scores, the
/// audit event and the teacher's email; a pass also completes the module (score = percent of
/// the rubric's points), which completes the course after its last required module.
pub fn decide(
    conn: &mut AnyConnection,
    reviewer_id: i32,
    submission: &m::Submission,
    decision: &Decision,
    now: NaiveDateTime,
    base_url: &str,
) -> QueryResult<Decided> {
    let status = if decision.pass {
        SubmissionStatus::Passed
    } else {
        SubmissionStatus::Returned
    };
    db::transaction(conn, |conn| {
        let id = submission.id;
        let (version, feedback) = (decision.version, decision.feedback.as_str());
        if !m::decide(conn, id, version, status, reviewer_id, feedback, now)? {
            let current = m::submission_by_id(conn, id)?.ok_or(diesel::NotFound)?;
            let by = match current.reviewer_id {
                Some(by) => m::user_name(conn, by)?,
                None => String::new(),
            };
            return Ok(Decided::AlreadyReviewed(by));
        }
        for (criterion, score) in &decision.scores {
            m::insert_score(conn, id, *criterion, *score)?;
        }
        let criteria = courses::criteria_of(conn, submission.module_id)?;
        let percent = percent_of(&criteria, &decision.scores);
        audit::record(
            conn,
            Some(reviewer_id),
            if decision.pass {
                AuditAction::TaskPassed
            } else {
                AuditAction::TaskReturned
            },
            AuditSubject::TaskSubmission,
            Some(id),
            json!({ "after": { "status": status.as_str(), "score": percent } }),
        )?;
        let teacher = m::submitter(conn, submission.enrolment_id)?;
        let completed = if decision.pass {
            let (course, module) = (teacher.course_id, submission.module_id);
            let enrolment = submission.enrolment_id;
            crate::learning::ops::complete_module(
                conn,
                enrolment,
                course,
                module,
                Some(percent),
                true,
                now,
                base_url,
            )?
        } else {
            false
        };
        let email = decision_email(conn, &teacher, submission, status, feedback, base_url)?;
        mail::enqueue(conn, &email)?;
        Ok(Decided::Done(completed))
    })
}

/// The scores as a percent of the rubric's points (rounded down; 100 for an empty rubric).
pub fn percent_of(criteria: &[courses::Criterion], scores: &[(i32, i32)]) -> i32 {
    let max: i32 = criteria.iter().map(|c| c.max_score).sum();
    let got: i32 = scores.iter().map(|(_, s)| s).sum();
    if max == 0 {
        100
    } else {
        (got * 100 / max).clamp(0, 100)
    }
}

fn decision_email(
    conn: &mut AnyConnection,
    teacher: &m::Submitter,
    submission: &m::Submission,
    status: SubmissionStatus,
    feedback: &str,
    base_url: &str,
) -> QueryResult<OutgoingEmail> {
    let module = courses::module_by_id(conn, submission.module_id)?;
    let course = courses::course_by_id(conn, module.course_id)?;
    let lang = Lang::parse(&teacher.language).unwrap_or_default();
    let args = [
        ("name", Arg::from(teacher.full_name.as_str())),
        ("course", Arg::from(course.title.as_str())),
        ("task", Arg::from(module.title.as_str())),
        ("feedback", Arg::from(feedback)),
        (
            "link",
            Arg::from(format!("{base_url}/learn/{}/{}", course.slug, module.slug)),
        ),
    ];
    let kind = status.as_str();
    Ok(OutgoingEmail {
        to: teacher.email.clone(),
        to_name: teacher.full_name.clone(),
        lang,
        subject: lang.t_args(&format!("email-task-{kind}-subject"), &args),
        text: lang.t_args(&format!("email-task-{kind}-body"), &args),
        html: None,
    })
}
