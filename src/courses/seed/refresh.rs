//! `ustaz seed-courses --refresh`: each installed starter course gets the shipped quizzes (their
//! pools, pass marks and attempt policies), the shipped description (it states the quiz rules)
//! and its practical task when it has none, in one transaction per course with one audit event.

use crate::courses::admin::models as authoring;
use anyhow::Context;
use chrono::NaiveDateTime;

use super::models::{delete_open_attempts, lock_course};
use super::{add_module, install_quiz, starter_courses, PoolQuestion, SeedCourse, SeedModule};
use crate::audit::models::{self as audit, AuditAction, AuditSubject};
use crate::courses::models::{
    self as courses, Course, CourseFields, Module, ModuleFields, QuizSettings,
};
use crate::db::{self, AnyConnection};
use crate::domain::{ModuleKind, Version};

/// What a refresh did to one starter course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// Not installed: `install` adds it.
    NotInstalled,
    /// Already what is shipped: nothing written.
    UpToDate,
    Refreshed(Refreshed),
}

/// The changes written to one course.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// The slugs of the quizzes whose pool or settings were replaced (or that were added).
    pub quizzes: Vec<String>,
    /// Questions in those quizzes before and after.
    pub questions_before: usize,
    pub questions_after: usize,
    /// Attempts drawn and not submitted, deleted with the old pools.
    pub open_attempts_deleted: usize,
    /// The slugs of the practical tasks added.
    pub tasks_added: Vec<String>,
    pub description_updated: bool,
}

/// Refreshes every installed starter course, each in its own transaction. Returns, per shipped
/// course (by slug), what was done.
pub fn refresh(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
) -> anyhow::Result<Vec<(String, RefreshOutcome)>> {
    let mut done = Vec::new();
    for seed in starter_courses()? {
        let outcome = db::transaction(conn, |conn| refresh_course(conn, &seed, now))
            .with_context(|| format!("refreshing {}", seed.slug))?;
        done.push((seed.slug.clone(), outcome));
    }
    Ok(done)
}

fn refresh_course(
    conn: &mut AnyConnection,
    seed: &SeedCourse,
    now: NaiveDateTime,
) -> anyhow::Result<RefreshOutcome> {
    let Some(course) = courses::course_by_slug(conn, &seed.slug)? else {
        return Ok(RefreshOutcome::NotInstalled);
    };
    lock_course(conn, course.id)?;
    // Read again under the lock: a refresh that ran meanwhile is seen.
    let course = courses::course_by_id(conn, course.id)?;
    let mut before = Summary::default();
    let mut after = Summary::default();
    let mut done = Refreshed::default();
    if course.description != seed.description {
        set_description(conn, &course, &seed.description, now)?;
        done.description_updated = true;
    }
    before.description.clone_from(&course.description);
    after.description.clone_from(&seed.description);
    for (index, module) in seed.modules.iter().enumerate() {
        let installed = courses::module_by_slug(conn, course.id, &module.slug)?;
        match (module.kind(), installed) {
            (Some(ModuleKind::Quiz), installed) => {
                let replaced = done.quizzes.len();
                refresh_quiz(
                    conn,
                    course.id,
                    module,
                    installed,
                    now,
                    &mut done,
                    &mut before,
                )?;
                after.quiz(
                    module.questions.len(),
                    module.pass_mark,
                    &module.quiz_settings(),
                );
                if done.quizzes.len() > replaced {
                    before.pools.push(format!("{} (as installed)", module.slug));
                    after.pools.push(format!("{} (as shipped)", module.slug));
                }
            }
            (Some(ModuleKind::Task), None) => {
                let id = add_module(conn, course.id, module, now)?;
                place_before_next(conn, course.id, id, &seed.modules[index + 1..])?;
                done.tasks_added.push(module.slug.clone());
                after.tasks.push(module.title.clone());
            }
            _ => {}
        }
    }
    if done == Refreshed::default() {
        return Ok(RefreshOutcome::UpToDate);
    }
    if let Some(change) = audit::changes(before.json(), after.json()) {
        audit::record(
            conn,
            None,
            AuditAction::CourseStarterRefreshed,
            AuditSubject::Course,
            Some(course.id),
            change,
        )?;
    }
    Ok(RefreshOutcome::Refreshed(done))
}

/// Replaces a quiz's pool, pass mark and attempt policy with the shipped ones when they differ
/// (adding the quiz when the course has none of that slug).
fn refresh_quiz(
    conn: &mut AnyConnection,
    course_id: i32,
    module: &SeedModule,
    installed: Option<Module>,
    now: NaiveDateTime,
    done: &mut Refreshed,
    before: &mut Summary,
) -> anyhow::Result<()> {
    let Some(installed) = installed else {
        add_module(conn, course_id, module, now)?;
        done.quizzes.push(module.slug.clone());
        done.questions_after += module.questions.len();
        return Ok(());
    };
    let pool = courses::quiz(conn, installed.id)?;
    before.quiz(pool.len(), installed.pass_mark, &installed.quiz_settings());
    let pool_now: Vec<PoolQuestion> = pool
        .iter()
        .map(|(q, options)| PoolQuestion {
            prompt: q.prompt.clone(),
            multiple: q.multiple,
            explanation: q.explanation.clone(),
            options: options
                .iter()
                .map(|o| (o.label.clone(), o.is_correct))
                .collect(),
        })
        .collect();
    if pool_now == module.pool()
        && installed.quiz_settings() == module.quiz_settings()
        && installed.pass_mark == module.pass_mark
    {
        return Ok(());
    }
    done.quizzes.push(module.slug.clone());
    done.questions_before += pool.len();
    done.questions_after += module.questions.len();
    // The attempts drawn from the old pool cannot be submitted once it is gone.
    done.open_attempts_deleted += delete_open_attempts(conn, installed.id)?;
    for (question, _) in &pool {
        // Cascades to the rows of past attempts that showed it; the attempts keep their scores.
        authoring::delete_question(conn, question.id)?;
    }
    if installed.pass_mark != module.pass_mark {
        let fields = ModuleFields {
            pass_mark: module.pass_mark,
            updated_at: now,
            ..ModuleFields::from(&installed)
        };
        let version = Version::of_row(installed.version);
        anyhow::ensure!(
            authoring::update_module(conn, installed.id, version, &fields, None)?,
            "the quiz {} changed while it was refreshed",
            module.slug
        );
    }
    install_quiz(conn, installed.id, module)
}

fn set_description(
    conn: &mut AnyConnection,
    course: &Course,
    description: &str,
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    let fields = CourseFields {
        description: description.to_owned(),
        updated_at: now,
        ..CourseFields::from(course)
    };
    let audience = courses::audience_of(conn, course.id)?;
    let audience: Vec<&str> = audience.iter().map(String::as_str).collect();
    let version = Version::of_row(course.version);
    anyhow::ensure!(
        courses::update_course(conn, course.id, version, &fields, &audience)?,
        "the course {} changed while it was refreshed",
        course.slug
    );
    Ok(())
}

/// Moves a newly added module (at the end) up to just before the first of `following` (the
/// modules shipped after it) that the course has.
fn place_before_next(
    conn: &mut AnyConnection,
    course_id: i32,
    module_id: i32,
    following: &[SeedModule],
) -> anyhow::Result<()> {
    let mut next = None;
    for module in following {
        if let Some(found) = courses::module_by_slug(conn, course_id, &module.slug)? {
            next = Some(found.position);
            break;
        }
    }
    let Some(target) = next else {
        return Ok(());
    };
    while courses::module_by_id(conn, module_id)?.position > target {
        if !courses::move_module(conn, module_id, true)? {
            break;
        }
    }
    Ok(())
}

/// What the audit event shows of a course before and after its refresh.
#[derive(Default)]
struct Summary {
    description: String,
    questions: Vec<String>,
    pass_mark: Vec<String>,
    draw_count: Vec<String>,
    attempts: Vec<String>,
    wait: Vec<String>,
    feedback: Vec<String>,
    /// The quizzes whose pool was replaced, as installed (before) and as shipped (after).
    pools: Vec<String>,
    tasks: Vec<String>,
}

impl Summary {
    fn quiz(&mut self, questions: usize, pass_mark: Option<i32>, settings: &QuizSettings) {
        self.questions.push(questions.to_string());
        self.pass_mark
            .push(pass_mark.map_or_else(String::new, |m| format!("{m}%")));
        self.draw_count.push(
            settings
                .draw_count
                .map_or_else(|| "all".to_owned(), |n| n.to_string()),
        );
        self.attempts.push(
            match (settings.attempts_allowed, settings.attempt_period_hours) {
                (None, _) => "unlimited".to_owned(),
                (Some(n), None) => n.to_string(),
                (Some(n), Some(h)) => format!("{n} / {h} h"),
            },
        );
        self.wait
            .push(format!("{} min", settings.retry_wait_minutes));
        self.feedback.push(settings.feedback.clone());
    }

    fn json(&self) -> serde_json::Value {
        let join = |v: &[String]| v.join(", ");
        serde_json::json!({
            "description": self.description,
            "questions": join(&self.questions),
            "pass_mark": join(&self.pass_mark),
            "draw_count": join(&self.draw_count),
            "attempts": join(&self.attempts),
            "retry_wait": join(&self.wait),
            "feedback": join(&self.feedback),
            "pools": join(&self.pools),
            "tasks": join(&self.tasks),
        })
    }
}
