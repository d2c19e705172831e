//! A course's modules: the lesson, quiz and task forms, a quiz's settings and questions (added,
//! edited, moved, deleted), a task's rubric (criteria added and removed), and moving or
//! removing a module.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::NOTICES;
use crate::courses::admin::forms::{
    parse_kind, validate_criterion, validate_module, validate_question, CriterionForm, ModuleForm,
    QuestionForm, ValidModule, ValidQuestion, MAX_OPTIONS,
};
use crate::courses::admin::models as authoring;
use crate::courses::models::{self, Criterion, Module};
use crate::courses::ops::{self, Changed, ModuleChange, QuestionFields, QuestionNow, Saved};
use crate::db::now;
use crate::domain::{ModuleKind, QuizFeedback, Version};
use crate::error::{AppError, AppResult};
use crate::i18n::Arg;
use crate::state::AppState;
use crate::web::extractors::{Admin, NoFields, Posted};
use crate::web::{render, render_with_status, run, see_other, submit, Ctx, FormErrors, Submitted};

pub struct OptionSlot {
    pub number: usize,
    /// "Option 1" …
    pub caption: String,
    pub label: String,
    pub correct: bool,
}

pub struct QuestionView {
    pub id: i32,
    pub number: usize,
    pub edit_href: String,
    pub prompt: String,
    pub multiple: bool,
    pub has_explanation: bool,
    pub options: Vec<(String, bool)>,
    pub first: bool,
    pub last: bool,
}

/// A radio button of the quiz settings' feedback.
pub struct FeedbackChoice {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

/// The size of a quiz's pool and its draw, as the page says it.
pub struct PoolView {
    /// "12 questions in the pool, 10 drawn per attempt".
    pub summary: String,
    /// The pool is smaller than the draw: the quiz cannot be published.
    pub warning: Option<String>,
}

pub struct CriterionView {
    pub id: i32,
    pub number: usize,
    pub title: String,
    pub description: String,
    /// "out of 10".
    pub max_label: String,
    pub first: bool,
    pub last: bool,
}

#[derive(Template)]
#[template(path = "courses/admin/module_form.html")]
pub struct ModuleFormPage {
    pub ctx: Ctx,
    pub course_id: i32,
    pub course_title: String,
    pub module_id: Option<i32>,
    pub quiz: bool,
    pub task: bool,
    pub form: ModuleForm,
    pub errors: FormErrors,
    pub feedbacks: Vec<FeedbackChoice>,
    pub pool: Option<PoolView>,
    pub questions: Vec<QuestionView>,
    pub question: QuestionForm,
    pub question_errors: FormErrors,
    pub slots: Vec<OptionSlot>,
    pub criteria: Vec<CriterionView>,
    pub criterion: CriterionForm,
    pub criterion_errors: FormErrors,
}

impl ModuleFormPage {
    pub fn action(&self) -> String {
        match self.module_id {
            Some(m) => format!("/admin/courses/{}/modules/{m}/edit", self.course_id),
            None => format!(
                "/admin/courses/{}/modules/new?kind={}",
                self.course_id,
                self.kind()
            ),
        }
    }

    fn kind(&self) -> ModuleKind {
        match (self.quiz, self.task) {
            (true, _) => ModuleKind::Quiz,
            (_, true) => ModuleKind::Task,
            _ => ModuleKind::Lesson,
        }
    }

    pub fn title_key(&self) -> &'static str {
        match (self.module_id.is_some(), self.kind()) {
            (false, ModuleKind::Lesson) => "admin-courses-module-new-lesson",
            (false, ModuleKind::Quiz) => "admin-courses-module-new-quiz",
            (false, ModuleKind::Task) => "admin-courses-module-new-task",
            (true, ModuleKind::Lesson) => "admin-courses-module-edit-lesson",
            (true, ModuleKind::Quiz) => "admin-courses-module-edit-quiz",
            (true, ModuleKind::Task) => "admin-courses-module-edit-task",
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
            || !self.question_errors.is_empty()
            || !self.criterion_errors.is_empty()
    }

    /// Where the module's questions and criteria are posted.
    pub fn module_href(&self, suffix: &str) -> String {
        let module = self.module_id.unwrap_or_default();
        format!("/admin/courses/{}/modules/{module}{suffix}", self.course_id)
    }

    pub fn multiple(&self) -> bool {
        self.question.multiple()
    }
}

/// What a module page shows besides what is saved: the module's form and the question form,
/// each as posted with its errors.
struct ModulePageInput {
    course_id: i32,
    module_id: Option<i32>,
    kind: ModuleKind,
    form: ModuleForm,
    errors: FormErrors,
    question: QuestionForm,
    question_errors: FormErrors,
    criterion: CriterionForm,
    criterion_errors: FormErrors,
}

impl ModulePageInput {
    /// A module's form (posted or as saved) with no question being written.
    fn module(
        course_id: i32,
        module_id: Option<i32>,
        kind: ModuleKind,
        form: ModuleForm,
        errors: FormErrors,
    ) -> Self {
        Self {
            course_id,
            module_id,
            kind,
            form,
            errors,
            question: QuestionForm::new_question(),
            question_errors: FormErrors::default(),
            criterion: CriterionForm::new_criterion(),
            criterion_errors: FormErrors::default(),
        }
    }

    /// A saved module's page (its form as saved).
    fn saved(course_id: i32, module: &Module) -> Self {
        let form = ModuleForm::of(module);
        let errors = FormErrors::default();
        Self::module(course_id, Some(module.id), module.kind(), form, errors)
    }

    async fn render(
        self,
        ctx: Ctx,
        state: &AppState,
        status: StatusCode,
    ) -> AppResult<HttpResponse> {
        let page = module_page(ctx, state, self).await?;
        render_with_status(&page, status)
    }
}

fn option_slots(ctx: &Ctx, question: &QuestionForm) -> Vec<OptionSlot> {
    (1..=MAX_OPTIONS)
        .map(|n| OptionSlot {
            number: n,
            caption: ctx
                .lang
                .t_args("admin-courses-option-n", &[("n", Arg::from(n as i64))]),
            label: question.option.get(n - 1).cloned().unwrap_or_default(),
            correct: question.correct.iter().any(|c| c.trim() == n.to_string()),
        })
        .collect()
}

fn feedback_choices(ctx: &Ctx, form: &ModuleForm) -> Vec<FeedbackChoice> {
    QuizFeedback::ALL
        .iter()
        .map(|f| FeedbackChoice {
            value: f.as_str(),
            label: ctx.t(f.label_key()),
            checked: form.feedback == f.as_str(),
        })
        .collect()
}

fn pool_view(ctx: &Ctx, pool: usize, draw: Option<i32>) -> PoolView {
    let pool = pool as i64;
    let drawn = draw.map_or(pool, i64::from);
    let args = [("pool", Arg::from(pool)), ("drawn", Arg::from(drawn))];
    PoolView {
        summary: ctx.lang.t_args("admin-courses-pool-summary", &args),
        warning: (drawn > pool).then(|| ctx.lang.t_args("admin-courses-pool-warning", &args)),
    }
}

fn question_views(course_id: i32, questions: Vec<QuestionNow>) -> Vec<QuestionView> {
    let count = questions.len();
    questions
        .into_iter()
        .enumerate()
        .map(|(i, (q, options))| QuestionView {
            id: q.id,
            number: i + 1,
            edit_href: format!(
                "/admin/courses/{course_id}/modules/{}/questions/{}/edit",
                q.module_id, q.id
            ),
            has_explanation: !q.explanation.is_empty(),
            prompt: q.prompt,
            multiple: q.multiple,
            options: options
                .into_iter()
                .map(|o| (o.label, o.is_correct))
                .collect(),
            first: i == 0,
            last: i + 1 == count,
        })
        .collect()
}

fn criterion_views(ctx: &Ctx, criteria: Vec<Criterion>) -> Vec<CriterionView> {
    let count = criteria.len();
    criteria
        .into_iter()
        .enumerate()
        .map(|(i, c)| CriterionView {
            id: c.id,
            number: i + 1,
            title: c.title,
            description: c.description,
            max_label: ctx.lang.t_args(
                "admin-courses-max-score-of",
                &[("max", Arg::from(i64::from(c.max_score)))],
            ),
            first: i == 0,
            last: i + 1 == count,
        })
        .collect()
}

async fn module_page(
    ctx: Ctx,
    state: &AppState,
    input: ModulePageInput,
) -> AppResult<ModuleFormPage> {
    let course_id = input.course_id;
    let module_id = input.module_id;
    let (course, saved, questions, criteria) = run(&state.pool, move |conn| {
        let course = models::course_by_id(conn, course_id)?;
        let Some(m) = module_id else {
            return Ok((course, None, Vec::new(), Vec::new()));
        };
        let saved = models::module_by_id(conn, m)?;
        Ok((
            course,
            Some(saved),
            models::quiz(conn, m)?,
            models::criteria_of(conn, m)?,
        ))
    })
    .await?;
    let quiz = input.kind == ModuleKind::Quiz;
    // The pool as saved: what teachers draw from now.
    let pool = saved
        .filter(|_| quiz)
        .map(|m| pool_view(&ctx, questions.len(), m.draw_count));
    Ok(ModuleFormPage {
        slots: option_slots(&ctx, &input.question),
        feedbacks: feedback_choices(&ctx, &input.form),
        pool,
        course_id,
        course_title: course.title,
        module_id,
        quiz,
        task: input.kind == ModuleKind::Task,
        form: input.form,
        errors: input.errors,
        questions: question_views(course_id, questions),
        question: input.question,
        question_errors: input.question_errors,
        criteria: criterion_views(&ctx, criteria),
        criterion: input.criterion,
        criterion_errors: input.criterion_errors,
        ctx,
    })
}

/// Where a saved module leads: a new quiz or task to its questions or rubric, anything else to
/// the course.
fn after_save(course_id: i32, module_id: Option<i32>, kind: ModuleKind, saved: i32) -> String {
    let done = if module_id.is_some() {
        "module-saved"
    } else {
        "module-added"
    };
    if kind != ModuleKind::Lesson && module_id.is_none() {
        format!("/admin/courses/{course_id}/modules/{saved}/edit?done={done}")
    } else {
        format!("/admin/courses/{course_id}?done={done}#module-{saved}")
    }
}

/// Adds (`module_id` None) or updates a module from its form.
async fn submit_module(
    ctx: Ctx,
    admin_id: i32,
    state: &AppState,
    (course_id, module_id): (i32, Option<i32>),
    kind: ModuleKind,
    form: ModuleForm,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let editing = module_id.map(|m| (m, Version::parse(&form.version)));
    let parsed = validate_module(&form, kind, lang);
    let save = async |valid: ValidModule| {
        let saved = run(&state.pool, move |conn| {
            let change = ModuleChange {
                kind,
                fields: &valid.fields,
                settings: valid.settings.as_ref(),
            };
            ops::save_module(conn, admin_id, course_id, editing, &change)
        })
        .await?;
        Ok(match saved {
            Saved::Done(m) => Submitted::Done(after_save(course_id, module_id, kind, m)),
            Saved::SlugTaken => Submitted::Refused(FormErrors::one(
                "slug",
                lang.t("admin-courses-error-module-slug-taken"),
            )),
            Saved::Stale(module) => Submitted::Stale(ModuleForm::of(&module)),
        })
    };
    let page = async |form, errors| {
        let input = ModulePageInput::module(course_id, module_id, kind, form, errors);
        module_page(ctx, state, input).await
    };
    submit(lang, form, parsed, save, page).await
}

#[derive(Deserialize, Default)]
struct KindQuery {
    kind: Option<String>,
}

/// The kind of module `?kind=` asks for; 404 for an unknown kind.
fn kind_asked(req: &HttpRequest) -> AppResult<ModuleKind> {
    let kind = web::Query::<KindQuery>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().kind);
    parse_kind(kind.as_deref()).ok_or(AppError::NotFound)
}

pub async fn new_module_form(
    req: HttpRequest,
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let kind = kind_asked(&req)?;
    let form = ModuleForm::new_module(kind);
    let input = ModulePageInput::module(id.into_inner(), None, kind, form, FormErrors::default());
    input.render(ctx, &state, StatusCode::OK).await
}

pub async fn create_module(
    req: HttpRequest,
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    Posted(form): Posted<ModuleForm>,
) -> AppResult<HttpResponse> {
    let kind = kind_asked(&req)?;
    let id = id.into_inner();
    run(&state.pool, move |conn| models::course_by_id(conn, id)).await?;
    submit_module(ctx, admin.id, &state, (id, None), kind, form).await
}

async fn module_of(state: &AppState, course_id: i32, module_id: i32) -> AppResult<Module> {
    run(&state.pool, move |conn| {
        models::module_of_course(conn, course_id, module_id)
    })
    .await
}

pub async fn edit_module_form(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, module_id) = path.into_inner();
    let module = module_of(&state, id, module_id).await?;
    ModulePageInput::saved(id, &module)
        .render(ctx.with_done(NOTICES), &state, StatusCode::OK)
        .await
}

pub async fn update_module(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    Posted(form): Posted<ModuleForm>,
) -> AppResult<HttpResponse> {
    let (id, module_id) = path.into_inner();
    let module = module_of(&state, id, module_id).await?;
    let ids = (id, Some(module_id));
    submit_module(ctx, admin.id, &state, ids, module.kind(), form).await
}

/// `/up`, `/down`: swaps the module with its neighbour.
pub async fn move_module(
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32, String)>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, module_id, direction) = path.into_inner();
    let up = upward(&direction)?;
    run(&state.pool, move |conn| {
        ops::move_module(conn, id, module_id, up)
    })
    .await?;
    Ok(see_other(format!(
        "/admin/courses/{id}?done=moved#module-{module_id}"
    )))
}

pub async fn remove_module(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, module_id) = path.into_inner();
    let deleted = run(&state.pool, move |conn| {
        ops::remove_module(conn, id, module_id, now())
    })
    .await?;
    tracing::info!(admin_id = admin.id, module_id, deleted, "module removed");
    let done = if deleted {
        "module-deleted"
    } else {
        "module-archived"
    };
    Ok(see_other(format!("/admin/courses/{id}?done={done}")))
}

// ---- Quiz questions -----------------------------------------------------------------------

pub async fn add_question(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    Posted(question): Posted<QuestionForm>,
) -> AppResult<HttpResponse> {
    let (id, module_id) = path.into_inner();
    let module = module_of(&state, id, module_id).await?;
    if !module.is_quiz() {
        return Err(AppError::NotFound);
    }
    match validate_question(&question, ctx.lang) {
        Ok(q) => {
            run(&state.pool, move |conn| {
                let fields = QuestionFields {
                    prompt: &q.prompt,
                    multiple: q.multiple,
                    explanation: &q.explanation,
                    options: &q.options,
                };
                ops::add_question(conn, admin.id, (id, module_id), &fields)
            })
            .await?;
            Ok(see_other(format!(
                "/admin/courses/{id}/modules/{module_id}/edit?done=question-added#questions"
            )))
        }
        Err(question_errors) => {
            let mut input = ModulePageInput::saved(id, &module);
            input.question = question;
            input.question_errors = question_errors;
            input
                .render(ctx, &state, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
    }
}

pub async fn delete_question(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32, i32)>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let ids = path.into_inner();
    run(&state.pool, move |conn| {
        ops::delete_question(conn, admin.id, ids)
    })
    .await?;
    let (id, module_id, _) = ids;
    Ok(see_other(format!(
        "/admin/courses/{id}/modules/{module_id}/edit?done=question-deleted#questions"
    )))
}

/// The direction of a `/up` or `/down` address.
fn upward(direction: &str) -> AppResult<bool> {
    match direction {
        "up" => Ok(true),
        "down" => Ok(false),
        _ => Err(AppError::NotFound),
    }
}

/// `/questions/{question_id}/up`, `/down`: swaps the question with its neighbour.
pub async fn move_question(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32, i32, String)>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, module_id, question_id, direction) = path.into_inner();
    let up = upward(&direction)?;
    let ids = (id, module_id, question_id);
    run(&state.pool, move |conn| {
        ops::move_question(conn, admin.id, ids, up)
    })
    .await?;
    Ok(see_other(format!(
        "/admin/courses/{id}/modules/{module_id}/edit?done=question-moved#question-{question_id}"
    )))
}

// ---- A task's rubric ------------------------------------------------------------------------

pub async fn add_criterion(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    Posted(criterion): Posted<CriterionForm>,
) -> AppResult<HttpResponse> {
    let (id, module_id) = path.into_inner();
    let module = module_of(&state, id, module_id).await?;
    if !module.is_task() {
        return Err(AppError::NotFound);
    }
    match validate_criterion(&criterion, ctx.lang) {
        Ok(fields) => {
            run(&state.pool, move |conn| {
                ops::add_criterion(conn, admin.id, (id, module_id), &fields)
            })
            .await?;
            Ok(see_other(format!(
                "/admin/courses/{id}/modules/{module_id}/edit?done=criterion-added#rubric"
            )))
        }
        Err(criterion_errors) => {
            let mut input = ModulePageInput::saved(id, &module);
            input.criterion = criterion;
            input.criterion_errors = criterion_errors;
            input
                .render(ctx, &state, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
    }
}

/// Removes a criterion; one that scores were given against stays, and the page says why (409).
pub async fn remove_criterion(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32, i32)>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let ids = path.into_inner();
    let (id, module_id, _) = ids;
    let removed = run(&state.pool, move |conn| {
        ops::remove_criterion(conn, admin.id, ids)
    })
    .await?;
    if removed {
        return Ok(see_other(format!(
            "/admin/courses/{id}/modules/{module_id}/edit?done=criterion-removed#rubric"
        )));
    }
    let module = module_of(&state, id, module_id).await?;
    let mut input = ModulePageInput::saved(id, &module);
    let message = ctx.t("admin-courses-error-criterion-scored");
    input.criterion_errors = FormErrors::one("", message);
    input.render(ctx, &state, StatusCode::CONFLICT).await
}

/// `/criteria/{criterion_id}/up`, `/down`: swaps the criterion with its neighbour.
pub async fn move_criterion(
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32, i32, String)>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, module_id, criterion_id, direction) = path.into_inner();
    let up = upward(&direction)?;
    let ids = (id, module_id, criterion_id);
    run(&state.pool, move |conn| ops::move_criterion(conn, ids, up)).await?;
    Ok(see_other(format!(
        "/admin/courses/{id}/modules/{module_id}/edit?done=criterion-moved#criterion-{criterion_id}"
    )))
}

// ---- Editing a quiz question ----------------------------------------------------------------

#[derive(Template)]
#[template(path = "courses/admin/question_form.html")]
pub struct QuestionFormPage {
    pub ctx: Ctx,
    /// Course, module and question.
    pub ids: (i32, i32, i32),
    pub module_title: String,
    pub question: QuestionForm,
    pub question_errors: FormErrors,
    pub slots: Vec<OptionSlot>,
}

impl QuestionFormPage {
    async fn new(
        ctx: Ctx,
        state: &AppState,
        ids: (i32, i32, i32),
        question: QuestionForm,
        question_errors: FormErrors,
    ) -> AppResult<Self> {
        let module = module_of(state, ids.0, ids.1).await?;
        Ok(Self {
            slots: option_slots(&ctx, &question),
            ctx,
            ids,
            module_title: module.title,
            question,
            question_errors,
        })
    }

    pub fn action(&self) -> String {
        let (course, module, question) = self.ids;
        format!("/admin/courses/{course}/modules/{module}/questions/{question}/edit")
    }

    /// The quiz's page, at its questions.
    pub fn back(&self) -> String {
        let (course, module, _) = self.ids;
        format!("/admin/courses/{course}/modules/{module}/edit#questions")
    }

    pub fn multiple(&self) -> bool {
        self.question.multiple()
    }
}

/// A question of the course's module with its options, or `NotFound`.
async fn question_of(state: &AppState, ids: (i32, i32, i32)) -> AppResult<QuestionNow> {
    let (course_id, module_id, question_id) = ids;
    run(&state.pool, move |conn| {
        models::module_of_course(conn, course_id, module_id)?;
        let (question, options) = authoring::question_with_options(conn, question_id)?;
        if question.module_id != module_id {
            return Err(diesel::NotFound);
        }
        Ok((question, options))
    })
    .await
}

pub async fn edit_question_form(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32, i32)>,
) -> AppResult<HttpResponse> {
    let ids = path.into_inner();
    let (question, options) = question_of(&state, ids).await?;
    let form = QuestionForm::of(&question, &options);
    render(&QuestionFormPage::new(ctx, &state, ids, form, FormErrors::default()).await?)
}

pub async fn update_question(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32, i32)>,
    Posted(form): Posted<QuestionForm>,
) -> AppResult<HttpResponse> {
    let ids = path.into_inner();
    // A question that does not exist is a 404 before any validation message.
    question_of(&state, ids).await?;
    let lang = ctx.lang;
    let version = Version::parse(&form.version);
    let parsed = validate_question(&form, lang);
    let save = async |q: ValidQuestion| {
        let saved = run(&state.pool, move |conn| {
            let fields = QuestionFields {
                prompt: &q.prompt,
                multiple: q.multiple,
                explanation: &q.explanation,
                options: &q.options,
            };
            ops::save_question(conn, admin.id, ids, version, &fields)
        })
        .await?;
        Ok(match saved {
            Changed::Done => {
                let (course, module, _) = ids;
                Submitted::Done(format!(
                    "/admin/courses/{course}/modules/{module}/edit?done=question-saved#questions"
                ))
            }
            Changed::Stale((q, options)) => Submitted::Stale(QuestionForm::of(&q, &options)),
        })
    };
    let page = async |form, errors| QuestionFormPage::new(ctx, &state, ids, form, errors).await;
    submit(lang, form, parsed, save, page).await
}
