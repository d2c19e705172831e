//! A course's modules: the lesson and quiz forms, a quiz's questions, and moving or removing a
//! module.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::NOTICES;
use crate::courses::admin::forms::{
    parse_kind, validate_module, validate_question, ModuleForm, QuestionForm, ValidQuestion,
    MAX_OPTIONS,
};
use crate::courses::models::{self, Module, ModuleFields};
use crate::courses::ops::{self, QuestionFields, QuestionNow, QuestionSaved, Saved};
use crate::db::now;
use crate::domain::{ModuleKind, Version};
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
    pub edit_href: String,
    pub prompt: String,
    pub multiple: bool,
    pub options: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "courses/admin/module_form.html")]
pub struct ModuleFormPage {
    pub ctx: Ctx,
    pub course_id: i32,
    pub course_title: String,
    pub module_id: Option<i32>,
    pub quiz: bool,
    pub form: ModuleForm,
    pub errors: FormErrors,
    pub questions: Vec<QuestionView>,
    pub question: QuestionForm,
    pub question_errors: FormErrors,
    pub slots: Vec<OptionSlot>,
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
        if self.quiz {
            ModuleKind::Quiz
        } else {
            ModuleKind::Lesson
        }
    }

    pub fn title_key(&self) -> &'static str {
        match (self.module_id.is_some(), self.quiz) {
            (false, false) => "admin-courses-module-new-lesson",
            (false, true) => "admin-courses-module-new-quiz",
            (true, false) => "admin-courses-module-edit-lesson",
            (true, true) => "admin-courses-module-edit-quiz",
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || !self.question_errors.is_empty()
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
        }
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

async fn module_page(
    ctx: Ctx,
    state: &AppState,
    input: ModulePageInput,
) -> AppResult<ModuleFormPage> {
    let course_id = input.course_id;
    let module_id = input.module_id;
    let (course, questions) = run(&state.pool, move |conn| {
        let course = models::course_by_id(conn, course_id)?;
        let questions = match module_id {
            Some(m) => models::quiz(conn, m)?,
            None => Vec::new(),
        };
        Ok((course, questions))
    })
    .await?;
    let questions = questions
        .into_iter()
        .map(|(q, options)| QuestionView {
            id: q.id,
            edit_href: format!(
                "/admin/courses/{course_id}/modules/{}/questions/{}/edit",
                q.module_id, q.id
            ),
            prompt: q.prompt,
            multiple: q.multiple,
            options: options
                .into_iter()
                .map(|o| (o.label, o.is_correct))
                .collect(),
        })
        .collect();
    Ok(ModuleFormPage {
        slots: option_slots(&ctx, &input.question),
        ctx,
        course_id,
        course_title: course.title,
        module_id,
        quiz: input.kind == ModuleKind::Quiz,
        form: input.form,
        errors: input.errors,
        questions,
        question: input.question,
        question_errors: input.question_errors,
    })
}

/// Where a saved module leads: a new quiz to its questions, anything else to the course.
fn after_save(course_id: i32, module_id: Option<i32>, kind: ModuleKind, saved: i32) -> String {
    let done = if module_id.is_some() {
        "module-saved"
    } else {
        "module-added"
    };
    if kind == ModuleKind::Quiz && module_id.is_none() {
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
    let save = async |fields: ModuleFields| {
        let saved = run(&state.pool, move |conn| {
            ops::save_module(conn, admin_id, course_id, editing, kind, &fields)
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
    let form = ModuleForm::of(&module);
    let input = ModulePageInput::module(
        id,
        Some(module_id),
        module.kind(),
        form,
        FormErrors::default(),
    );
    input
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
    let up = match direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::NotFound),
    };
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
    _: Admin,
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
                models::add_question(
                    conn,
                    module_id,
                    &q.prompt,
                    q.multiple,
                    &q.explanation,
                    &q.options,
                )
            })
            .await?;
            Ok(see_other(format!(
                "/admin/courses/{id}/modules/{module_id}/edit?done=question-added#questions"
            )))
        }
        Err(question_errors) => {
            let form = ModuleForm::of(&module);
            let mut input = ModulePageInput::module(
                id,
                Some(module_id),
                ModuleKind::Quiz,
                form,
                FormErrors::default(),
            );
            input.question = question;
            input.question_errors = question_errors;
            input
                .render(ctx, &state, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
    }
}

pub async fn delete_question(
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32, i32)>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, module_id, question_id) = path.into_inner();
    run(&state.pool, move |conn| {
        ops::delete_question(conn, id, module_id, question_id)
    })
    .await?;
    Ok(see_other(format!(
        "/admin/courses/{id}/modules/{module_id}/edit?done=question-deleted#questions"
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
        let (question, options) = models::question_with_options(conn, question_id)?;
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
            QuestionSaved::Done => {
                let (course, module, _) = ids;
                Submitted::Done(format!(
                    "/admin/courses/{course}/modules/{module}/edit?done=question-saved#questions"
                ))
            }
            QuestionSaved::Stale((q, options)) => Submitted::Stale(QuestionForm::of(&q, &options)),
        })
    };
    let page = async |form, errors| QuestionFormPage::new(ctx, &state, ids, form, errors).await;
    submit(lang, form, parsed, save, page).await
}
