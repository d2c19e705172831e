//! A module's page: a lesson to read and complete, or a quiz to take and pass (the attempt
//! drawn for the teacher, graded on posting, then its result page). A module that others must
//! come before says what to do first. An administrator's preview shows the same page for a
//! course in any status, with a freshly drawn attempt graded without recording anything.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::teacher;
use crate::courses::markdown::to_safe_html;
use crate::courses::models::Module;
use crate::db::now;
use crate::domain::{EnrolmentStatus, ModuleKind, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::learning::attempts::Attempt;
use crate::learning::models::Enrolment;
use crate::learning::ops;
use crate::learning::outline::{
    self, attempt_path, course_path, local_time, module_path, module_rows, wait_text, ModuleRow,
};
use crate::learning::quiz::{self, QuizInputError};
use crate::learning::visit::{self, load, load_preview, Loaded, QuizVisit, Submission};
use crate::state::AppState;
use crate::tasks::section::TaskSection;
use crate::web::extractors::{Admin, CurrentUser, NoFields, Posted, SignedIn};
use crate::web::{render, render_with_status, run, see_other, Ctx};

pub struct OptionView {
    pub id: i32,
    pub label: String,
    pub checked: bool,
    /// A right option, shown once the feedback is revealed (the author's preview).
    pub right: bool,
}

pub struct QuestionView {
    pub id: i32,
    pub number: usize,
    pub prompt: String,
    pub multiple: bool,
    pub options: Vec<OptionView>,
    pub wrong: bool,
    pub error: String,
    pub explanation: String,
}

pub struct QuizResult {
    pub score: i32,
    pub passed: bool,
    pub wrong: usize,
}

/// A submitted attempt in the quiz page's list, linking to its result.
pub struct AttemptLink {
    pub href: String,
    pub when: String,
    pub score: i32,
    pub passed: bool,
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
    /// (slug, title) of the modules to finish before this one opens: none when it is open.
    pub locked: Vec<(String, String)>,
    /// The attempt the form answers (a teacher's), its questions in the order drawn.
    pub attempt_id: Option<i32>,
    pub questions: Vec<QuestionView>,
    /// The question ids of a previewed attempt, carried so its grading grades just those.
    pub preview_questions: String,
    /// Why the teacher may not try the quiz now, and when they may.
    pub wait: String,
    /// A message about this page (the quiz changed, the lesson must be opened first).
    pub notice: String,
    pub attempts: Vec<AttemptLink>,
    pub result: Option<QuizResult>,
    /// Whether right options and explanations show (a graded preview).
    pub reveal: bool,
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
    let position = loaded.position();
    let neighbour = |m: &Module| (m.slug.clone(), m.title.clone());
    let progress = loaded.progress.iter().find(|p| p.module_id == module.id);
    let locks = loaded.preview.is_none().then_some(loaded.course.sequential);
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
        sidebar: module_rows(&loaded.modules, &loaded.progress, module.id, locks),
        prev: position
            .checked_sub(1)
            .and_then(|i| loaded.modules.get(i))
            .map(neighbour),
        next: loaded.modules.get(position + 1).map(neighbour),
        locked: loaded
            .blockers()
            .into_iter()
            .map(|m| (m.slug.clone(), m.title.clone()))
            .collect(),
        attempt_id: None,
        questions: vec![],
        preview_questions: String::new(),
        wait: String::new(),
        notice: String::new(),
        attempts: vec![],
        result: None,
        reveal: false,
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

/// The questions shown, in the order given: (question id, option ids in the order shown).
fn question_views(loaded: &Loaded, shown: &[(i32, Vec<i32>)]) -> Vec<QuestionView> {
    shown
        .iter()
        .filter_map(|(id, order)| {
            let (q, options) = loaded.quiz.iter().find(|(q, _)| q.id == *id)?;
            Some((q, options, order))
        })
        .enumerate()
        .map(|(i, (q, options, order))| QuestionView {
            id: q.id,
            number: i + 1,
            prompt: q.prompt.clone(),
            multiple: q.multiple,
            options: order
                .iter()
                .filter_map(|id| options.iter().find(|o| o.id == *id))
                .map(|o| OptionView {
                    id: o.id,
                    label: o.label.clone(),
                    checked: false,
                    right: o.is_correct,
                })
                .collect(),
            wrong: false,
            error: String::new(),
            explanation: q.explanation.clone(),
        })
        .collect()
}

fn attempt_links(lang: Lang, loaded: &Loaded, history: &[Attempt]) -> Vec<AttemptLink> {
    history
        .iter()
        .map(|a| AttemptLink {
            href: attempt_path(&loaded.course.slug, &loaded.module.slug, a.id),
            when: a
                .submitted_at
                .map(|at| local_time(lang, at))
                .unwrap_or_default(),
            score: a.score.unwrap_or(0),
            passed: a.passed.unwrap_or(false),
        })
        .collect()
}

/// The quiz page for a teacher: the attempt to take, or why not now; their attempts so far.
fn quiz_page(ctx: Ctx, loaded: &Loaded, visit: &QuizVisit) -> ModulePage {
    let lang = ctx.lang;
    let mut page = module_page(ctx, loaded);
    page.wait = wait_text(lang, &loaded.module, visit.gate);
    page.attempts = attempt_links(lang, loaded, &visit.history);
    if let Some(opened) = &visit.opened {
        let shown: Vec<(i32, Vec<i32>)> = opened
            .questions
            .iter()
            .map(|q| {
                let order = quiz::decode_ids(&q.option_order).unwrap_or_default();
                (q.question_id, order)
            })
            .collect();
        page.questions = question_views(loaded, &shown);
        page.attempt_id = Some(opened.attempt.id);
        if opened.redrawn {
            page.notice = lang.t("quiz-changed-new-attempt");
        }
    }
    page
}

/// Opens the module for the teacher: nothing when it is locked; else notes it opened and, at a
/// quiz, finds or draws their attempt.
async fn open(
    state: &AppState,
    loaded: &Loaded,
    enrolment_id: i32,
) -> AppResult<Option<QuizVisit>> {
    if !loaded.blockers().is_empty() {
        return Ok(None);
    }
    let (module, pool) = (loaded.module.clone(), loaded.keys());
    run(&state.pool, move |conn| {
        let now = now();
        ops::open_module(conn, enrolment_id, module.id, now)?;
        if !module.is_quiz() {
            return Ok(None);
        }
        visit::visit_quiz(conn, enrolment_id, &module, &pool, now).map(Some)
    })
    .await
}

pub async fn module(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (course_slug, module_slug) = path.into_inner();
    let loaded = load(&state, user.id, course_slug, module_slug).await?;
    let Some(enrolment_id) = loaded.studying().map(|e| e.id) else {
        return Ok(see_other(course_path(&loaded.course.slug)));
    };
    if user.role != Role::Teacher {
        return Ok(see_other(course_path(&loaded.course.slug)));
    }
    match open(&state, &loaded, enrolment_id).await? {
        Some(visit) => render(&quiz_page(ctx, &loaded, &visit)),
        None => render(&module_page(ctx, &loaded)),
    }
}

/// The enrolment a POST may record progress in: teachers only (403), enrolled (else back to
/// the course page).
fn enrolment_for_post(user: &CurrentUser, loaded: &Loaded) -> AppResult<Option<Enrolment>> {
    teacher(user)?;
    Ok(loaded.studying().cloned())
}

/// The module page refusing a post with a message (422): the module is locked, or a lesson was
/// never opened.
fn refused(ctx: Ctx, loaded: &Loaded, key: &str) -> AppResult<HttpResponse> {
    let mut page = module_page(ctx, loaded);
    page.notice = page.ctx.lang.t(key);
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

pub async fn complete_lesson(
    ctx: Ctx,
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
    if !loaded.blockers().is_empty() {
        return refused(ctx, &loaded, "learn-locked-refused");
    }
    let opened = loaded
        .progress
        .iter()
        .any(|p| p.module_id == loaded.module.id && p.opened_at.is_some());
    if !opened {
        tracing::info!(
            enrolment_id = enrolment.id,
            "lesson completion refused: never opened"
        );
        return refused(ctx, &loaded, "learn-open-first");
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
    let target = loaded
        .modules
        .get(loaded.position() + 1)
        .unwrap_or(&loaded.module);
    Ok(see_other(module_path(&loaded.course.slug, &target.slug)))
}

/// Marks the questions named in `error` on the page, with the error summary.
fn show_errors(page: &mut ModulePage, error: &QuizInputError) {
    let lang = page.ctx.lang;
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
}

/// The page answering a post that graded nothing.
fn not_graded(
    ctx: Ctx,
    loaded: &Loaded,
    submission: Submission,
    fields: &[(String, String)],
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let (visit, status, error) = match submission {
        Submission::Graded(id) => {
            return Ok(see_other(attempt_path(
                &loaded.course.slug,
                &loaded.module.slug,
                id,
            )))
        }
        Submission::Wait(gate) => {
            let mut page = module_page(ctx, loaded);
            page.wait = wait_text(lang, &loaded.module, gate);
            return render_with_status(&page, StatusCode::TOO_MANY_REQUESTS);
        }
        Submission::Unknown(visit) => (
            visit,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(QuizInputError::Unknown),
        ),
        Submission::Changed(visit) => (visit, StatusCode::CONFLICT, None),
        Submission::Invalid(visit, error) => (visit, StatusCode::UNPROCESSABLE_ENTITY, Some(error)),
    };
    let mut page = quiz_page(ctx, loaded, &visit);
    if status == StatusCode::CONFLICT {
        page.notice = lang.t("quiz-changed-new-attempt");
    }
    if let Some(error) = error {
        keep_choices(&mut page, fields);
        show_errors(&mut page, &error);
    }
    render_with_status(&page, status)
}

pub async fn submit_quiz(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    Posted(fields): Posted<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (course_slug, module_slug) = path.into_inner();
    let loaded = load(&state, user.id, course_slug, module_slug).await?;
    let Some(enrolment) = enrolment_for_post(&user, &loaded)? else {
        return Ok(see_other(course_path(&loaded.course.slug)));
    };
    if !loaded.module.is_quiz() || loaded.quiz.is_empty() {
        return Err(AppError::NotFound);
    }
    if !loaded.blockers().is_empty() {
        return refused(ctx, &loaded, "learn-locked-refused");
    }
    let attempt_id = fields
        .iter()
        .find(|(k, _)| k == "attempt")
        .and_then(|(_, v)| v.trim().parse::<i32>().ok());
    let (module, pool, course_id) = (loaded.module.clone(), loaded.keys(), loaded.course.id);
    let base_url = state.settings.base_url.clone();
    let answers = fields.clone();
    let submission = run(&state.pool, move |conn| {
        let posted = visit::Posted {
            enrolment_id: enrolment.id,
            course_id,
            attempt_id,
            fields: &answers,
        };
        visit::submit(conn, &posted, &module, &pool, now(), &base_url)
    })
    .await?;
    not_graded(ctx, &loaded, submission, &fields)
}

/// `/admin/courses/{id}/preview/{module}`: the module page as an enrolled teacher sees it
/// before starting, whatever the course's status; a quiz shows a freshly drawn attempt that is
/// not stored.
pub async fn preview_module(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, String)>,
) -> AppResult<HttpResponse> {
    let (course_id, module_slug) = path.into_inner();
    let loaded = load_preview(&state, course_id, module_slug).await?;
    let drawn: Vec<(i32, Vec<i32>)> = quiz::draw(
        &loaded.keys(),
        loaded.module.quiz_settings().draw_count,
        &mut rand::rng(),
    )
    .into_iter()
    .map(|d| (d.question_id, d.option_order))
    .collect();
    let mut page = module_page(ctx, &loaded);
    page.questions = question_views(&loaded, &drawn);
    page.preview_questions = quiz::encode_ids(&drawn.iter().map(|d| d.0).collect::<Vec<_>>());
    render(&page)
}

/// Grades a previewed attempt (the questions it showed) so an author can check the answer key,
/// with every right answer and explanation shown; nothing is recorded.
pub async fn preview_quiz(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, String)>,
    Posted(fields): Posted<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (course_id, module_slug) = path.into_inner();
    let loaded = load_preview(&state, course_id, module_slug).await?;
    if !loaded.module.is_quiz() || loaded.quiz.is_empty() {
        return Err(AppError::NotFound);
    }
    let shown = fields
        .iter()
        .find(|(k, _)| k == "drawn")
        .and_then(|(_, v)| quiz::decode_ids(v))
        .filter(|ids| !ids.is_empty())
        .unwrap_or_else(|| loaded.quiz.iter().map(|(q, _)| q.id).collect());
    let keys: Vec<_> = shown
        .iter()
        .filter_map(|id| loaded.keys().into_iter().find(|k| k.id == *id))
        .collect();
    let order: Vec<(i32, Vec<i32>)> = keys
        .iter()
        .map(|k| (k.id, k.options.iter().map(|o| o.0).collect()))
        .collect();
    let mut page = module_page(ctx, &loaded);
    page.questions = question_views(&loaded, &order);
    page.preview_questions = quiz::encode_ids(&shown);
    keep_choices(&mut page, &fields);
    match quiz::parse_answers(&fields, &keys) {
        Err(error) => {
            show_errors(&mut page, &error);
            render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Ok(answers) => {
            let grade = quiz::grade(&keys, &answers, loaded.module.pass_mark.unwrap_or(100));
            show_attempt(&mut page, &grade);
            render(&page)
        }
    }
}

/// Shows a graded preview: the wrong answers marked, the right options and explanations, the
/// score.
fn show_attempt(page: &mut ModulePage, grade: &quiz::Grade) {
    for question in page.questions.iter_mut() {
        question.wrong = grade.wrong.contains(&question.id);
    }
    page.reveal = true;
    page.result = Some(QuizResult {
        score: grade.score,
        passed: grade.passed,
        wrong: grade.wrong.len(),
    });
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
