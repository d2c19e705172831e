//! A course as a teacher walks it: which modules are done, which comes next, how far along they
//! are, and where each page is (the teacher's, or an administrator's preview). Pure, and shared
//! by the learning pages (the course page, the module page's sidebar, "my learning").

use chrono::NaiveDateTime;

use crate::courses::models::Module;
use crate::domain::ModuleKind;
use crate::i18n::{Arg, Lang};
use crate::learning::models::ModuleProgress;
pub use crate::learning::rules::is_done;
use crate::learning::rules::{blockers, Gate};

pub fn course_path(slug: &str) -> String {
    format!("/courses/{slug}")
}

pub fn module_path(course: &str, module: &str) -> String {
    format!("/learn/{course}/{module}")
}

/// Where the course page is: the teacher's, or an administrator's preview of course `preview`.
pub fn course_href(preview: Option<i32>, slug: &str) -> String {
    match preview {
        Some(id) => format!("/admin/courses/{id}/preview"),
        None => course_path(slug),
    }
}

/// Where a module's page is: the teacher's, or an administrator's preview of course `preview`.
pub fn module_href(preview: Option<i32>, course: &str, module: &str) -> String {
    match preview {
        Some(id) => format!("/admin/courses/{id}/preview/{module}"),
        None => module_path(course, module),
    }
}

/// A module in a list: the course page's outline and the module page's sidebar.
pub struct ModuleRow {
    pub slug: String,
    pub title: String,
    pub kind: ModuleKind,
    pub required: bool,
    pub done: bool,
    pub current: bool,
    /// Other modules must be done first (`rules::blockers`).
    pub locked: bool,
}

/// The course's modules with what the teacher has done; `current` is the module being read.
/// `sequential` is the course's setting when locks apply (a teacher's enrolment), None when
/// they do not (a preview, a visitor not enrolled).
pub fn module_rows(
    modules: &[Module],
    progress: &[ModuleProgress],
    current: i32,
    sequential: Option<bool>,
) -> Vec<ModuleRow> {
    modules
        .iter()
        .map(|module| ModuleRow {
            locked: sequential.is_some_and(|s| !blockers(s, modules, progress, module).is_empty()),
            slug: module.slug.clone(),
            title: module.title.clone(),
            kind: module.kind(),
            required: module.required,
            done: is_done(progress, module.id),
            current: module.id == current,
        })
        .collect()
}

/// The first module not done yet (required ones first), or None when all are done.
pub fn next_to_take<'a>(modules: &'a [Module], progress: &[ModuleProgress]) -> Option<&'a Module> {
    modules
        .iter()
        .find(|m| m.required && !is_done(progress, m.id))
        .or_else(|| modules.iter().find(|m| !is_done(progress, m.id)))
}

/// How far along the required modules are, in whole percent for a progress bar.
pub fn bar(done: i64, required: i64) -> i64 {
    if required == 0 {
        0
    } else {
        (done * 100 / required).clamp(0, 100)
    }
}

/// Kazakhstan keeps one time zone, UTC+5, since 1 March 2024: times shown to teachers are in it.
const KAZAKHSTAN_OFFSET_HOURS: i64 = 5;

/// A moment (stored in UTC) as a teacher reads it: "3 December 2026, 14:05 (Astana time)".
pub fn local_time(lang: Lang, at: NaiveDateTime) -> String {
    let local = at + chrono::Duration::hours(KAZAKHSTAN_OFFSET_HOURS);
    lang.t_args(
        "learn-when",
        &[
            ("date", Arg::from(lang.date(local.date()))),
            ("time", Arg::from(local.format("%H:%M").to_string())),
        ],
    )
}

/// "3 of 5 required modules done", in the visitor's language.
pub fn progress_text(lang: Lang, done: i64, required: i64) -> String {
    lang.t_args(
        "learn-progress",
        &[("done", Arg::from(done)), ("required", Arg::from(required))],
    )
}

/// Where an attempt's result is.
pub fn attempt_path(course: &str, module: &str, attempt: i32) -> String {
    format!("{}/attempts/{attempt}", module_path(course, module))
}

/// In plain words, when the teacher may try the quiz again; empty when they may now.
pub fn wait_text(lang: Lang, module: &Module, gate: Gate) -> String {
    match gate {
        Gate::Open => String::new(),
        Gate::Until(at) => lang.t_args(
            "quiz-wait-until",
            &[("when", Arg::from(local_time(lang, at)))],
        ),
        Gate::Never => lang.t_args(
            "quiz-attempts-used",
            &[(
                "allowed",
                Arg::from(i64::from(module.attempts_allowed.unwrap_or(0))),
            )],
        ),
    }
}
