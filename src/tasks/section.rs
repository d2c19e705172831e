//! What a task module's page shows below its instructions: the rubric, the teacher's
//! submissions so far, and the form to submit (unless one waits for review or one passed).
//! The learning area's module page includes it; the review page shows the same history.

use chrono::NaiveDate;
use diesel::QueryResult;

use super::forms::{Errors, MAX_FILES};
use super::models::{self as m, FileInfo, Submission};
use crate::courses::models::{self as courses, Criterion, Module};
use crate::db::AnyConnection;
use crate::domain::SubmissionStatus;
use crate::i18n::{Arg, Lang};

#[derive(Clone)]
pub struct CriterionView {
    pub id: i32,
    pub title: String,
    pub description: String,
    pub max_score: i32,
}

#[derive(Clone)]
pub struct FileView {
    pub href: String,
    pub name: String,
    pub size_bytes: i32,
}

impl FileView {
    /// "120 KB", "2.5 MB".
    pub fn size(&self, lang: &Lang) -> String {
        size_label(*lang, self.size_bytes)
    }
}

#[derive(Clone)]
pub struct ScoreView {
    pub criterion_id: i32,
    pub criterion: String,
    pub score: i32,
    pub max_score: i32,
}

#[derive(Clone)]
pub struct SubmissionView {
    pub id: i32,
    pub submitted_on: NaiveDate,
    pub status: SubmissionStatus,
    pub body: String,
    pub feedback: String,
    pub scores: Vec<ScoreView>,
    pub files: Vec<FileView>,
}

impl SubmissionView {
    pub fn submitted(&self, lang: &Lang) -> String {
        lang.date(self.submitted_on)
    }

    pub fn status_class(&self) -> &'static str {
        match self.status {
            SubmissionStatus::Submitted => "status-waiting",
            SubmissionStatus::Passed => "status-passed",
            SubmissionStatus::Returned => "status-returned",
        }
    }
}

/// A task's part of its module page.
#[derive(Clone)]
pub struct TaskSection {
    pub action: String,
    pub criteria: Vec<CriterionView>,
    pub submissions: Vec<SubmissionView>,
    /// The form is shown (an enrolled teacher, nothing waiting, not passed).
    pub may_submit: bool,
    pub waiting: bool,
    pub passed: bool,
    pub body: String,
    pub errors: Errors,
}

impl TaskSection {
    pub fn files_hint(&self, lang: &Lang) -> String {
        lang.t_args("task-files-hint", &[("max", Arg::from(MAX_FILES as i64))])
    }

    pub fn error(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map_or("", |(_, m)| m.as_str())
    }
}

pub fn criterion_views(criteria: &[Criterion]) -> Vec<CriterionView> {
    criteria
        .iter()
        .map(|c| CriterionView {
            id: c.id,
            title: c.title.clone(),
            description: c.description.clone(),
            max_score: c.max_score,
        })
        .collect()
}

fn size_label(lang: Lang, bytes: i32) -> String {
    let kb = (i64::from(bytes) + 1023) / 1024;
    if kb < 1024 {
        lang.t_args("task-size-kb", &[("size", Arg::from(lang.number(kb)))])
    } else {
        let tenths = (kb * 10 + 512) / 1024;
        let mb = format!("{}.{}", tenths / 10, tenths % 10);
        lang.t_args("task-size-mb", &[("size", Arg::from(mb))])
    }
}

/// The submissions with their files and scores, each file linked through `file_href(id)`.
pub fn submission_views(
    conn: &mut AnyConnection,
    criteria: &[Criterion],
    submissions: &[Submission],
    file_href: impl Fn(i32) -> String,
) -> QueryResult<Vec<SubmissionView>> {
    let ids: Vec<i32> = submissions.iter().map(|s| s.id).collect();
    let files: Vec<FileInfo> = m::files_of(conn, &ids)?;
    let scores = m::scores_of(conn, &ids)?;
    Ok(submissions
        .iter()
        .map(|s| SubmissionView {
            id: s.id,
            submitted_on: s.submitted_at.date(),
            status: s.status(),
            body: s.body.clone(),
            feedback: s.feedback.clone().unwrap_or_default(),
            scores: criteria
                .iter()
                .filter_map(|c| {
                    let (_, _, score) = scores
                        .iter()
                        .find(|(sub, crit, _)| *sub == s.id && *crit == c.id)?;
                    Some(ScoreView {
                        criterion_id: c.id,
                        criterion: c.title.clone(),
                        score: *score,
                        max_score: c.max_score,
                    })
                })
                .collect(),
            files: files
                .iter()
                .filter(|f| f.submission_id == s.id)
                .map(|f| FileView {
                    href: file_href(f.id),
                    name: f.file_name.clone(),
                    size_bytes: f.size_bytes,
                })
                .collect(),
        })
        .collect())
}

/// The task part of a module page; None when the module is no task. `enrolment` is the
/// teacher's (None in an administrator's preview: the rubric, no form).
pub fn task_section(
    conn: &mut AnyConnection,
    course_slug: &str,
    module: &Module,
    enrolment: Option<i32>,
) -> QueryResult<Option<TaskSection>> {
    if !module.is_task() {
        return Ok(None);
    }
    let criteria = courses::criteria_of(conn, module.id)?;
    let base = format!("/learn/{course_slug}/{}", module.slug);
    let submissions = match enrolment {
        Some(enrolment) => m::submissions_of(conn, enrolment, module.id)?,
        None => vec![],
    };
    let views = submission_views(conn, &criteria, &submissions, |id| {
        format!("{base}/files/{id}")
    })?;
    let has = |status| submissions.iter().any(|s| s.status() == status);
    let waiting = has(SubmissionStatus::Submitted);
    let passed = match enrolment {
        Some(enrolment) => {
            has(SubmissionStatus::Passed) && m::task_done(conn, enrolment, module.id)?
        }
        None => false,
    };
    Ok(Some(TaskSection {
        action: format!("{base}/task"),
        criteria: criterion_views(&criteria),
        submissions: views,
        may_submit: enrolment.is_some() && !waiting && !passed,
        waiting,
        passed,
        body: String::new(),
        errors: vec![],
    }))
}
