//! The starter courses (`ustaz seed-courses`): real lessons in inclusive education, shipped in the
//! binary as JSON under `src/courses/seed/`. `install` adds the courses not there yet; `refresh`
//! brings the quizzes (pools and attempt policy), the description that states the quiz rules and
//! the practical task of the installed ones up to what is shipped.

mod models;
mod refresh;

use anyhow::{bail, Context};
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::models::{self as courses, CourseFields, ModuleFields, QuizSettings};
use crate::db::{self, AnyConnection};
use crate::domain::{CertificateMode, CourseStatus, ModuleKind, QuizFeedback};

pub use refresh::{refresh, RefreshOutcome, Refreshed};

const FILES: [&str; 5] = [
    include_str!("seed/foundations-of-inclusive-education-kk.json"),
    include_str!("seed/foundations-of-inclusive-education-ru.json"),
    include_str!("seed/foundations-of-inclusive-education-en.json"),
    include_str!("seed/supporting-learners-with-sen-ru.json"),
    include_str!("seed/supporting-learners-with-sen-en.json"),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCourse {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub language: String,
    pub hours: i32,
    pub competency_area: String,
    pub audience: Vec<String>,
    pub counts_toward_target: bool,
    pub certificate_mode: String,
    pub modules: Vec<SeedModule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedModule {
    /// `lesson`, `quiz` or `task` (`ModuleKind`).
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub required: bool,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub video_url: Option<String>,
    #[serde(default)]
    pub transcript: Option<String>,
    #[serde(default)]
    pub pass_mark: Option<i32>,
    /// A quiz: how many questions an attempt draws from `questions` (all when absent).
    #[serde(default)]
    pub draw_count: Option<i32>,
    /// A quiz: attempts allowed per `attempt_period_hours` (unlimited when absent).
    #[serde(default)]
    pub attempts_allowed: Option<i32>,
    #[serde(default)]
    pub attempt_period_hours: Option<i32>,
    /// A quiz: minutes to wait after an attempt that did not pass.
    #[serde(default)]
    pub retry_wait_minutes: i32,
    /// A quiz: what an attempt shows (`QuizFeedback`; `after_pass` when absent).
    #[serde(default)]
    pub feedback: Option<String>,
    #[serde(default)]
    pub questions: Vec<SeedQuestion>,
    /// A task: the rubric a reviewer scores.
    #[serde(default)]
    pub criteria: Vec<SeedCriterion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedQuestion {
    pub prompt: String,
    pub multiple: bool,
    /// Why the right answer is right, shown with the feedback.
    #[serde(default)]
    pub explanation: String,
    pub options: Vec<SeedOption>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOption {
    pub label: String,
    pub correct: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCriterion {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub max_score: i32,
}

impl SeedModule {
    /// The module's kind; `None` only for a file that failed `starter_courses`' checks.
    pub fn kind(&self) -> Option<ModuleKind> {
        ModuleKind::parse(&self.kind)
    }

    /// The quiz's attempt policy as stored.
    pub fn quiz_settings(&self) -> QuizSettings {
        QuizSettings {
            draw_count: self.draw_count,
            attempts_allowed: self.attempts_allowed,
            attempt_period_hours: self.attempt_period_hours,
            retry_wait_minutes: self.retry_wait_minutes,
            feedback: self.feedback().as_str().to_owned(),
        }
    }

    fn feedback(&self) -> QuizFeedback {
        self.feedback
            .as_deref()
            .and_then(QuizFeedback::parse)
            .unwrap_or(QuizFeedback::AfterPass)
    }

    fn fields(&self, now: NaiveDateTime) -> ModuleFields {
        ModuleFields {
            title: self.title.clone(),
            slug: self.slug.clone(),
            body_markdown: self.body.clone(),
            video_url: self.video_url.clone(),
            transcript: self.transcript.clone(),
            pass_mark: self.pass_mark,
            required: self.required,
            updated_at: now,
        }
    }

    /// The pool as `(prompt, multiple, explanation, [(label, correct)])`, in order.
    fn pool(&self) -> Vec<PoolQuestion> {
        self.questions
            .iter()
            .map(|q| PoolQuestion {
                prompt: q.prompt.clone(),
                multiple: q.multiple,
                explanation: q.explanation.clone(),
                options: q
                    .options
                    .iter()
                    .map(|o| (o.label.clone(), o.correct))
                    .collect(),
            })
            .collect()
    }
}

/// A question of a pool as shipped or as installed, to compare the two.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PoolQuestion {
    prompt: String,
    multiple: bool,
    explanation: String,
    options: Vec<(String, bool)>,
}

impl SeedCourse {
    fn fields(&self, now: NaiveDateTime) -> CourseFields {
        CourseFields {
            slug: self.slug.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            description: self.description.clone(),
            language: self.language.clone(),
            hours: self.hours,
            competency_area: self.competency_area.clone(),
            counts_toward_target: self.counts_toward_target,
            certificate_mode: self.certificate_mode.clone(),
            sequential: false,
            updated_at: now,
        }
    }

    /// What the database would refuse, or what no page could show, said before anything is
    /// written: unknown kinds, modes and feedback, a quiz without questions or pass mark, a
    /// question whose options do not fit it, a draw larger than the pool, a task without rubric.
    fn check(&self) -> anyhow::Result<()> {
        if CertificateMode::parse(&self.certificate_mode).is_none() {
            bail!("unknown certificate mode {:?}", self.certificate_mode);
        }
        for module in &self.modules {
            check_module(module).with_context(|| format!("module {}", module.slug))?;
        }
        Ok(())
    }
}

fn check_module(module: &SeedModule) -> anyhow::Result<()> {
    let Some(kind) = module.kind() else {
        bail!("unknown kind {:?}", module.kind);
    };
    if let Some(feedback) = &module.feedback {
        if QuizFeedback::parse(feedback).is_none() {
            bail!("unknown feedback {feedback:?}");
        }
    }
    let quiz_only = module.pass_mark.is_some()
        || module.draw_count.is_some()
        || module.attempts_allowed.is_some()
        || module.attempt_period_hours.is_some()
        || module.retry_wait_minutes != 0
        || module.feedback.is_some()
        || !module.questions.is_empty();
    if kind != ModuleKind::Quiz && quiz_only {
        bail!("quiz settings or questions on a {kind} module");
    }
    if kind != ModuleKind::Task && !module.criteria.is_empty() {
        bail!("criteria on a {kind} module");
    }
    match kind {
        ModuleKind::Lesson => Ok(()),
        ModuleKind::Quiz => check_quiz(module),
        ModuleKind::Task => check_task(module),
    }
}

fn check_quiz(module: &SeedModule) -> anyhow::Result<()> {
    if !module.pass_mark.is_some_and(|m| (0..=100).contains(&m)) {
        bail!("a quiz needs a pass mark of 0–100");
    }
    if module.questions.is_empty() {
        bail!("a quiz needs questions");
    }
    let positive = |n: Option<i32>| n.is_none_or(|n| n > 0);
    if !positive(module.draw_count)
        || !positive(module.attempts_allowed)
        || !positive(module.attempt_period_hours)
        || module.retry_wait_minutes < 0
    {
        bail!("draw count, attempts and period are positive, the wait is not negative");
    }
    if module
        .draw_count
        .is_some_and(|n| n as usize > module.questions.len())
    {
        bail!("the draw is larger than the pool");
    }
    for question in &module.questions {
        let correct = question.options.iter().filter(|o| o.correct).count();
        let fits = if question.multiple {
            correct >= 1
        } else {
            correct == 1
        };
        if question.prompt.trim().is_empty() || question.options.len() < 2 || !fits {
            bail!(
                "question {:?}: a prompt, options and the right number correct",
                question.prompt
            );
        }
    }
    Ok(())
}

fn check_task(module: &SeedModule) -> anyhow::Result<()> {
    if module.body.trim().is_empty() || module.criteria.is_empty() {
        bail!("a task needs instructions and criteria");
    }
    for criterion in &module.criteria {
        if criterion.title.trim().is_empty() || !(1..=100).contains(&criterion.max_score) {
            bail!(
                "criterion {:?}: a title and a max score of 1–100",
                criterion.title
            );
        }
    }
    Ok(())
}

/// The starter courses as shipped, each checked.
pub fn starter_courses() -> anyhow::Result<Vec<SeedCourse>> {
    FILES
        .iter()
        .map(|text| {
            let course: SeedCourse = serde_json::from_str(text)
                .map_err(|e| anyhow::anyhow!("bad starter course JSON: {e}"))?;
            course
                .check()
                .with_context(|| format!("starter course {}", course.slug))?;
            Ok(course)
        })
        .collect()
}

/// Installs each starter course that is not there yet (by slug), published. Returns the slugs added.
/// Installed courses are left as they are (`refresh` updates them).
pub fn install(conn: &mut AnyConnection, now: NaiveDateTime) -> anyhow::Result<Vec<String>> {
    let mut added = Vec::new();
    for course in starter_courses()? {
        if courses::course_by_slug(conn, &course.slug)?.is_some() {
            continue;
        }
        db::transaction(conn, |conn| -> anyhow::Result<()> {
            let audience: Vec<&str> = course.audience.iter().map(String::as_str).collect();
            let course_id = courses::create_course(conn, &course.fields(now), &audience)?;
            for module in &course.modules {
                add_module(conn, course_id, module, now)?;
            }
            courses::set_status(conn, course_id, CourseStatus::Published, now)?;
            Ok(())
        })?;
        added.push(course.slug);
    }
    Ok(added)
}

/// Adds a module at the end of the course with its pool and attempt policy (a quiz) or its
/// rubric (a task). Returns its id.
fn add_module(
    conn: &mut AnyConnection,
    course_id: i32,
    module: &SeedModule,
    now: NaiveDateTime,
) -> anyhow::Result<i32> {
    let kind = module.kind().context("unknown module kind")?;
    let module_id = courses::add_module(conn, course_id, kind.as_str(), &module.fields(now))?;
    match kind {
        ModuleKind::Lesson => {}
        ModuleKind::Quiz => install_quiz(conn, module_id, module)?,
        ModuleKind::Task => {
            for criterion in &module.criteria {
                courses::add_criterion(
                    conn,
                    module_id,
                    &criterion.title,
                    &criterion.description,
                    criterion.max_score,
                )?;
            }
        }
    }
    Ok(module_id)
}

/// Writes a quiz's attempt policy and adds its pool (after any questions it has).
fn install_quiz(
    conn: &mut AnyConnection,
    module_id: i32,
    module: &SeedModule,
) -> anyhow::Result<()> {
    courses::set_quiz_settings(conn, module_id, &module.quiz_settings())?;
    for question in module.pool() {
        courses::add_question(
            conn,
            module_id,
            &question.prompt,
            question.multiple,
            &question.explanation,
            &question.options,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::courses::markdown::images_without_alt;
    use crate::domain::ModuleKind;

    fn kind(module: &SeedModule) -> Option<ModuleKind> {
        ModuleKind::parse(&module.kind)
    }

    #[test]
    fn starter_courses_are_complete_and_well_formed() {
        let courses = starter_courses().expect("valid JSON");
        assert_eq!(courses.len(), 5);
        for lang in ["kk", "ru", "en"] {
            assert!(
                courses.iter().any(|c| c.language == lang),
                "a course in {lang}"
            );
        }
        for course in &courses {
            let lessons = course
                .modules
                .iter()
                .filter(|m| kind(m) == Some(ModuleKind::Lesson))
                .count();
            assert!(
                (4..=6).contains(&lessons),
                "{}: {lessons} lessons",
                course.slug
            );
            let quizzes: Vec<_> = course
                .modules
                .iter()
                .filter(|m| kind(m) == Some(ModuleKind::Quiz))
                .collect();
            assert!(!quizzes.is_empty(), "{} has a quiz", course.slug);
            for module in &course.modules {
                assert!(
                    images_without_alt(&module.body).is_empty(),
                    "{}/{}",
                    course.slug,
                    module.slug
                );
                if kind(module) == Some(ModuleKind::Lesson) {
                    assert!(
                        module.body.split_whitespace().count() > 400,
                        "{}/{} has substance",
                        course.slug,
                        module.slug
                    );
                }
            }
            for quiz in quizzes {
                assert!(quiz.pass_mark.is_some());
                for q in &quiz.questions {
                    let correct = q.options.iter().filter(|o| o.correct).count();
                    assert!(correct >= 1, "{}: {}", course.slug, q.prompt);
                    if !q.multiple {
                        assert_eq!(correct, 1, "{}: {}", course.slug, q.prompt);
                    }
                }
            }
        }
    }

    fn module(json: &str) -> SeedModule {
        serde_json::from_str(json).expect("module JSON")
    }

    const QUESTION: &str = r#"{"prompt": "p", "multiple": false, "explanation": "e",
        "options": [{"label": "a", "correct": false}, {"label": "b", "correct": true}]}"#;

    #[test]
    fn a_module_that_no_page_could_show_is_refused_before_anything_is_written() {
        let quiz = |extra: &str| {
            module(&format!(
                r#"{{"kind": "quiz", "slug": "q", "title": "Q", "required": true,
                "pass_mark": 80, {extra} "questions": [{QUESTION}]}}"#
            ))
        };
        assert!(check_module(&quiz(r#""draw_count": 1, "feedback": "always","#)).is_ok());
        for bad in [
            r#""feedback": "sometimes","#,
            r#""draw_count": 2,"#,
            r#""draw_count": 0,"#,
            r#""attempts_allowed": 0,"#,
            r#""retry_wait_minutes": -1,"#,
            r#""criteria": [{"title": "t", "max_score": 5}],"#,
        ] {
            assert!(check_module(&quiz(bad)).is_err(), "{bad}");
        }
        assert!(check_module(&module(
            r#"{"kind": "exam", "slug": "x", "title": "X", "required": true}"#
        ))
        .is_err());
        let task = |criteria: &str| {
            module(&format!(
                r#"{{"kind": "task", "slug": "t", "title": "T", "required": true,
                "body": "Do it.", "criteria": [{criteria}]}}"#
            ))
        };
        let ok = task(r#"{"title": "Plan", "description": "d", "max_score": 5}"#);
        assert_eq!(ok.kind(), Some(ModuleKind::Task));
        assert!(check_module(&ok).is_ok());
        assert!(check_module(&task("")).is_err());
        assert!(check_module(&task(r#"{"title": "Plan", "max_score": 0}"#)).is_err());
        let lesson_with_pass_mark =
            r#"{"kind": "lesson", "slug": "l", "title": "L", "required": true, "pass_mark": 50}"#;
        assert!(check_module(&module(lesson_with_pass_mark)).is_err());
        assert!(serde_json::from_str::<SeedModule>(
            r#"{"kind": "lesson", "slug": "l", "title": "L", "required": true, "pass": 1}"#
        )
        .is_err());
    }

    #[test]
    fn the_foundations_quiz_stays_last_and_the_task_comes_before_its_quiz() {
        for course in starter_courses().expect("valid JSON") {
            let kinds: Vec<Option<ModuleKind>> = course.modules.iter().map(kind).collect();
            assert_eq!(
                kinds.last(),
                Some(&Some(ModuleKind::Quiz)),
                "{}",
                course.slug
            );
            let tasks = kinds
                .iter()
                .filter(|k| **k == Some(ModuleKind::Task))
                .count();
            let expected = usize::from(course.slug.starts_with("supporting-learners-with-sen"));
            assert_eq!(tasks, expected, "{}", course.slug);
            if expected == 1 {
                assert_eq!(kinds[kinds.len() - 2], Some(ModuleKind::Task));
                assert_eq!(
                    CertificateMode::parse(&course.certificate_mode),
                    Some(CertificateMode::Reviewed)
                );
            }
        }
    }
}
