//! Who may do what with a task, and loading what the pages need: the task of a path with the
//! teacher's enrolment, and a submission with everything its review shows.

use diesel::QueryResult;

use super::forms::DecisionInput;
use super::models::{self as m, Submission, Submitter};
use super::section::{self, criterion_views, CriterionView, SubmissionView};
use crate::courses::markdown::to_safe_html;
use crate::courses::models::{self as courses, Course, Criterion, Module};
use crate::db::AnyConnection;
use crate::domain::{Role, SubmissionStatus};
use crate::learning::models as learning;
use crate::learning::rules::blockers;
use crate::web::extractors::CurrentUser;

/// Whether the user reviews practical tasks at all: administrators and tutors.
pub fn is_reviewer(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Admin | Role::Tutor)
}

/// Whether the user may review the course's tasks: an administrator, or its appointed tutor.
pub fn may_review(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    course_id: i32,
) -> QueryResult<bool> {
    match user.role {
        Role::Admin => Ok(true),
        Role::Tutor => m::is_tutor_of(conn, user.id, course_id),
        Role::Teacher | Role::Coordinator => Ok(false),
    }
}

/// The task module of a published course, and the user's enrolment id when it lets them study.
pub struct TaskOfPath {
    pub course: Course,
    pub module: Module,
    pub enrolment: Option<i32>,
    /// Modules before it are still to be done (a course taken in order): the task's page says
    /// which, and a submission is refused.
    pub locked: bool,
}

pub fn task_of_path(
    conn: &mut AnyConnection,
    user_id: i32,
    course_slug: &str,
    module_slug: &str,
) -> QueryResult<Option<TaskOfPath>> {
    let Some(course) = courses::published_course_by_slug(conn, course_slug)? else {
        return Ok(None);
    };
    let modules = courses::modules_of(conn, course.id, false)?;
    let Some(module) = modules
        .iter()
        .find(|m| m.slug == module_slug && m.is_task())
        .cloned()
    else {
        return Ok(None);
    };
    let enrolment = learning::enrolment(conn, user_id, course.id)?
        .filter(|e| e.may_study())
        .map(|e| e.id);
    let locked = match enrolment {
        Some(id) => {
            let progress = learning::progress_of(conn, id)?;
            !blockers(course.sequential, &modules, &progress, &module).is_empty()
        }
        None => false,
    };
    Ok(Some(TaskOfPath {
        course,
        module,
        enrolment,
        locked,
    }))
}

/// A submission as its review page shows it.
pub struct Review {
    pub submission: Submission,
    pub teacher: Submitter,
    pub course_title: String,
    pub module_title: String,
    pub instructions_html: String,
    pub criteria: Vec<Criterion>,
    pub rubric: Vec<CriterionView>,
    pub current: SubmissionView,
    /// The teacher's other submissions of the task, newest first.
    pub history: Vec<SubmissionView>,
    pub reviewer_name: String,
}

impl Review {
    pub fn waiting(&self) -> bool {
        self.submission.status() == SubmissionStatus::Submitted
    }

    /// The score form as the submission stands (empty while it waits).
    pub fn input(&self) -> DecisionInput {
        DecisionInput {
            scores: self
                .criteria
                .iter()
                .map(|c| {
                    let score = self
                        .current
                        .scores
                        .iter()
                        .find(|s| s.criterion_id == c.id)
                        .map(|s| s.score.to_string());
                    (c.id, score.unwrap_or_default())
                })
                .collect(),
            feedback: self.current.feedback.clone(),
        }
    }
}

pub fn review_file_href(file_id: i32) -> String {
    format!("/review/files/{file_id}")
}

/// The submission and what its review shows; None when there is no such submission.
pub fn review_of(conn: &mut AnyConnection, id: i32) -> QueryResult<Option<Review>> {
    let Some(submission) = m::submission_by_id(conn, id)? else {
        return Ok(None);
    };
    let teacher = m::submitter(conn, submission.enrolment_id)?;
    let module = courses::module_by_id(conn, submission.module_id)?;
    let course = courses::course_by_id(conn, module.course_id)?;
    let criteria = courses::criteria_of(conn, module.id)?;
    let all = m::submissions_of(conn, submission.enrolment_id, module.id)?;
    let mut views = section::submission_views(conn, &criteria, &all, review_file_href)?.into_iter();
    let (mut current, mut history) = (None, Vec::new());
    for view in views.by_ref() {
        if view.id == id {
            current = Some(view);
        } else {
            history.push(view);
        }
    }
    let Some(current) = current else {
        return Ok(None);
    };
    let reviewer_name = match submission.reviewer_id {
        Some(by) => m::user_name(conn, by)?,
        None => String::new(),
    };
    Ok(Some(Review {
        teacher,
        course_title: course.title,
        module_title: module.title,
        instructions_html: to_safe_html(&module.body_markdown),
        rubric: criterion_views(&criteria),
        criteria,
        current,
        history,
        reviewer_name,
        submission,
    }))
}
