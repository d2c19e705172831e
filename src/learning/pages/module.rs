//! A module's page: a lesson to read and complete, or a quiz to take and pass. An
//! administrator's preview shows the same page for a course in any status, and grades a quiz
//! without recording anything.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use diesel::QueryResult;

use super::teacher;
use crate::courses::markdown::to_safe_html;
use crate::courses::models::{self as courses, Course, Module};
use crate::db::now;
use crate::db::AnyConnection;
use crate::domain::{EnrolmentStatus, ModuleKind, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::Arg;
use crate::learning::models::{self as m, Enrolment, ModuleProgress};
use crate::learning::ops;
use crate::learning::outline::{self, course_path, module_path, module_rows, ModuleRow};
use crate::learning::quiz::{self, QuestionKey, QuizInputError};
use crate::state::AppState;
use crate::tasks::section::{task_section, TaskSection};
use crate::web::extractors::{Admin, CurrentUser, NoFields, Posted, SignedIn};
use crate::web::{render, render_with_status, run, see_other, Ctx};

// ---- A module ---------------------------------------------------------------------------------

/// Everything a module page needs, loaded in one go.
struct Loaded {
    course: Course,
    modules: Vec<Module>,
    module: Module,
    enrolment: Option<Enrolment>,
    progress: Vec<ModuleProgress>,
    quiz: Vec<(courses::Question, Vec<courses::QuizOption>)>,
    /// The course id when an administrator previews it.
    preview: Option<i32>,
    task: Option<TaskSection>,
}

/// The course (published) and module (not archived) of the path, or 404.
async fn load(
    state: &AppState,
    user_id: i32,
    course_slug: String,
    module_slug: String,
) -> AppResult<Loaded> {
    run(&state.pool, move |conn| {
        let Some(course) = courses::published_course_by_slug(conn, &course_slug)? else {
            return Ok(None);
        };
        let enrolment = m::enrolment(conn, user_id, course.id)?;
        load_module(conn, course, &module_slug, enrolment)
    })
    .await?
    .ok_or(AppError::NotFound)
}

/// A course's module in any status, with no enrolment: what an administrator previews.
async fn load_preview(state: &AppState, course_id: i32, module_slug: String) -> AppResult<Loaded> {
    run(&state.pool, move |conn| {
        let course = courses::course_by_id(conn, course_id)?;
        load_module(conn, course, &module_slug, None)
    })
    .await?
    .map(|loaded| Loaded {
        preview: Some(course_id),
        ..loaded
    })
    .ok_or(AppError::NotFound)
}

fn load_module(
    conn: &mut AnyConnection,
    course: Course,
    module_slug: &str,
    enrolment: Option<Enrolment>,
) -> QueryResult<Option<Loaded>> {
    let modules = courses::modules_of(conn, course.id, false)?;
    let Some(module) = modules.iter().find(|m| m.slug == module_slug).cloned() else {
        return Ok(None);
    };
    let progress = match &enrolment {
        Some(e) => m::progress_of(conn, e.id)?,
        None => vec![],
    };
    let studying = enrolment.as_ref().filter(|e| e.may_study()).map(|e| e.id);
    let task = task_section(conn, &course.slug, &module, studying)?;
    let quiz = if module.is_quiz() {
        courses::quiz(conn, module.id)?
    } else {
        vec![]
    };
    Ok(Some(Loaded {
        course,
        modules,
        module,
        enrolment,
        progress,
        quiz,
        preview: None,
        task,
    }))
}

/// The enrolment that lets this user study the course, if any (active or completed).
fn studying(loaded: &Loaded) -> Option<&Enrolment> {
    loaded.enrolment.as_ref().filter(|e| e.may_study())
}

pub struct OptionView {
    pub id: i32,
    pub label: String,
    pub checked: bool,
}

pub struct QuestionView {
    pub id: i32,
    pub number: usize,
    pub prompt: String,
    pub multiple: bool,
    pub options: Vec<OptionView>,
    pub wrong: bool,
    pub error: String,
}

pub struct QuizResult {
    pub score: i32,
    pub passed: bool,
    pub wrong: usize,
}

#[derive(Template)]
#[template(path = "learning/module.html")]
pub struct ModulePage {
    pub ctx: Ctx,
    pub course_slug: String,
    pub course_title: String,
    pub slug: String,
    pub title: String,
    pub kind: ModuleKind,
    pub is_quiz: bool,
    pub required: bool,
    pub body_html: String,
    pub video_url: String,
    pub transcript: String,
    pub done: bool,
    pub best_score: Option<i32>,
    pub pass_mark: i32,
    pub sidebar: Vec<ModuleRow>,
    pub prev: Option<(String, String)>,
    pub next: Option<(String, String)>,
    pub questions: Vec<QuestionView>,
    pub result: Option<QuizResult>,
    /// (id of the field in error, message) for the error summary.
    pub errors: Vec<(String, String)>,
    pub course_completed: bool,
    /// Set when an administrator previews the module (the course id); see `CoursePage::preview`.
    pub preview: Option<i32>,
    /// A practical task's rubric, submissions and form (`tasks::section`).
    pub task: Option<TaskSection>,
}

impl ModulePage {
    fn module_href(&self, module: &str) -> String {
        outline::module_href(self.preview, &self.course_slug, module)
    }

    fn course_href(&self) -> String {
        outline::course_href(self.preview, &self.course_slug)
    }

    fn quiz_action(&self) -> String {
        format!("{}/quiz", self.module_href(&self.slug))
    }
}

fn module_page(ctx: Ctx, loaded: &Loaded) -> ModulePage {
    let module = &loaded.module;
    let position = loaded
        .modules
        .iter()
        .position(|m| m.id == module.id)
        .unwrap_or(0);
    let neighbour = |m: &Module| (m.slug.clone(), m.title.clone());
    let progress = loaded.progress.iter().find(|p| p.module_id == module.id);
    ModulePage {
        course_slug: loaded.course.slug.clone(),
        course_title: loaded.course.title.clone(),
        slug: module.slug.clone(),
        title: module.title.clone(),
        kind: module.kind(),
        is_quiz: module.is_quiz(),
        required: module.required,
        body_html: to_safe_html(&module.body_markdown),
        video_url: module
            .video_url
            .clone()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .unwrap_or_default(),
        transcript: module.transcript.clone().unwrap_or_default(),
        done: progress.is_some_and(|p| p.completed_at.is_some()),
        best_score: progress.and_then(|p| p.best_score),
        pass_mark: module.pass_mark.unwrap_or(100),
        sidebar: module_rows(&loaded.modules, &loaded.progress, module.id),
        prev: position
            .checked_sub(1)
            .and_then(|i| loaded.modules.get(i))
            .map(neighbour),
        next: loaded.modules.get(position + 1).map(neighbour),
        questions: loaded
            .quiz
            .iter()
            .enumerate()
            .map(|(i, (q, options))| QuestionView {
                id: q.id,
                number: i + 1,
                prompt: q.prompt.clone(),
                multiple: q.multiple,
                options: options
                    .iter()
                    .map(|o| OptionView {
                        id: o.id,
                        label: o.label.clone(),
                        checked: false,
                    })
                    .collect(),
                wrong: false,
                error: String::new(),
            })
            .collect(),
        result: None,
        errors: vec![],
        course_completed: loaded
            .enrolment
            .as_ref()
            .is_some_and(|e| e.status() == EnrolmentStatus::Completed),
        preview: loaded.preview,
        task: loaded.task.clone(),
        ctx,
    }
}

pub async fn module(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (course_slug, module_slug) = path.into_inner();
    let loaded = load(&state, user.id, course_slug, module_slug).await?;
    if user.role != Role::Teacher || studying(&loaded).is_none() {
        return Ok(see_other(course_path(&loaded.course.slug)));
    }
    render(&module_page(ctx, &loaded))
}

/// The enrolment a POST may record progress in: teachers only (403), enrolled (else back to
/// the course page).
fn enrolment_for_post(user: &CurrentUser, loaded: &Loaded) -> AppResult<Option<Enrolment>> {
    teacher(user)?;
    Ok(studying(loaded).cloned())
}

pub async fn complete_lesson(
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    Posted(_): Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let (course_slug, module_slug) = path.into_inner();
    let loaded = load(&state, user.id, course_slug, module_slug).await?;
    let Some(enrolment) = enrolment_for_post(&user, &loaded)? else {
        return Ok(see_other(course_path(&loaded.course.slug)));
    };
    // A quiz is completed by passing it, a task by its review, never by a button.
    if loaded.module.is_quiz() || loaded.module.is_task() {
        return Err(AppError::NotFound);
    }
    let (course_id, module_id) = (loaded.course.id, loaded.module.id);
    let base_url = state.settings.base_url.clone();
    run(&state.pool, move |conn| {
        ops::complete_module(
            conn,
            enrolment.id,
            course_id,
            module_id,
            None,
            true,
            now(),
            &base_url,
        )
    })
    .await?;
    let position = loaded
        .modules
        .iter()
        .position(|m| m.id == module_id)
        .unwrap_or(0);
    let target = loaded.modules.get(position + 1).unwrap_or(&loaded.module);
    Ok(see_other(module_path(&loaded.course.slug, &target.slug)))
}

/// Grades an attempt at the loaded quiz. Unanswered questions or unknown options come back as
/// the quiz page with its errors (422); a module that is not a quiz is a 404.
fn grade_attempt(
    ctx: &Ctx,
    loaded: &Loaded,
    fields: &[(String, String)],
) -> AppResult<Result<quiz::Grade, HttpResponse>> {
    if !loaded.module.is_quiz() || loaded.quiz.is_empty() {
        return Err(AppError::NotFound);
    }
    let keys: Vec<QuestionKey> = loaded
        .quiz
        .iter()
        .map(|(q, options)| QuestionKey {
            id: q.id,
            multiple: q.multiple,
            options: options.iter().map(|o| (o.id, o.is_correct)).collect(),
        })
        .collect();
    let error = match quiz::parse_answers(fields, &keys) {
        Ok(answers) => {
            let pass_mark = loaded.module.pass_mark.unwrap_or(100);
            return Ok(Ok(quiz::grade(&keys, &answers, pass_mark)));
        }
        Err(error) => error,
    };
    let lang = ctx.lang;
    let mut page = module_page(ctx.clone(), loaded);
    keep_choices(&mut page, fields);
    match error {
        QuizInputError::Unknown => {
            tracing::info!("quiz answers refused: unknown options");
            page.errors
                .push(("quiz-form".to_owned(), lang.t("quiz-error-unknown-answer")));
        }
        QuizInputError::Unanswered(ids) => {
            for question in page.questions.iter_mut().filter(|q| ids.contains(&q.id)) {
                let message = lang.t_args(
                    "quiz-error-unanswered",
                    &[("number", Arg::from(question.number as i64))],
                );
                question.error = message.clone();
                page.errors.push((format!("q{}", question.id), message));
            }
        }
    }
    Ok(Err(render_with_status(
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
    )?))
}

/// Shows an attempt: the teacher's choices, the wrong answers marked, the score.
fn show_attempt(page: &mut ModulePage, fields: &[(String, String)], grade: &quiz::Grade) {
    keep_choices(page, fields);
    for question in page.questions.iter_mut() {
        question.wrong = grade.wrong.contains(&question.id);
    }
    page.result = Some(QuizResult {
        score: grade.score,
        passed: grade.passed,
        wrong: grade.wrong.len(),
    });
}

pub async fn submit_quiz(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    Posted(fields): Posted<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (course_slug, module_slug) = path.into_inner();
    let mut loaded = load(&state, user.id, course_slug, module_slug).await?;
    let Some(enrolment) = enrolment_for_post(&user, &loaded)? else {
        return Ok(see_other(course_path(&loaded.course.slug)));
    };
    let grade = match grade_attempt(&ctx, &loaded, &fields)? {
        Ok(grade) => grade,
        Err(invalid) => return Ok(invalid),
    };
    let (course_id, module_id, score, passed) = (
        loaded.course.id,
        loaded.module.id,
        grade.score,
        grade.passed,
    );
    let base_url = state.settings.base_url.clone();
    let (progress, enrolment_now) = run(&state.pool, move |conn| {
        ops::complete_module(
            conn,
            enrolment.id,
            course_id,
            module_id,
            Some(score),
            passed,
            now(),
            &base_url,
        )?;
        Ok((
            m::progress_of(conn, enrolment.id)?,
            m::enrolment(conn, enrolment.user_id, course_id)?,
        ))
    })
    .await?;
    loaded.progress = progress;
    loaded.enrolment = enrolment_now;
    let mut page = module_page(ctx, &loaded);
    show_attempt(&mut page, &fields, &grade);
    render(&page)
}

/// `/admin/courses/{id}/preview/{module}`: the module page as an enrolled teacher sees it
/// before starting, whatever the course's status.
pub async fn preview_module(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, String)>,
) -> AppResult<HttpResponse> {
    let (course_id, module_slug) = path.into_inner();
    let loaded = load_preview(&state, course_id, module_slug).await?;
    render(&module_page(ctx, &loaded))
}

/// Grades a previewed quiz so an author can check the answer key; nothing is recorded.
pub async fn preview_quiz(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, String)>,
    Posted(fields): Posted<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (course_id, module_slug) = path.into_inner();
    let loaded = load_preview(&state, course_id, module_slug).await?;
    let grade = match grade_attempt(&ctx, &loaded, &fields)? {
        Ok(grade) => grade,
        Err(invalid) => return Ok(invalid),
    };
    let mut page = module_page(ctx, &loaded);
    show_attempt(&mut page, &fields, &grade);
    render(&page)
}

/// Shows the teacher's choices again after an attempt.
fn keep_choices(page: &mut ModulePage, fields: &[(String, String)]) {
    for question in page.questions.iter_mut() {
        let name = format!("q{}", question.id);
        for option in question.options.iter_mut() {
            let value = option.id.to_string();
            option.checked = fields.iter().any(|(k, v)| *k == name && *v == value);
        }
    }
}
