//! A practical task's rubric: the form of one criterion (title, description, maximum score),
//! saved at the version it was opened at.

use actix_web::{web, HttpResponse};
use askama::Template;

use crate::courses::admin::forms::{validate_criterion, CriterionForm};
use crate::courses::admin::models::CriterionFields;
use crate::courses::models;
use crate::courses::ops::{self, Changed};
use crate::domain::Version;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::extractors::{Admin, Posted};
use crate::web::{render, run, submit, Ctx, FormErrors, Submitted};

#[derive(Template)]
#[template(path = "courses/admin/criterion_form.html")]
pub struct CriterionFormPage {
    pub ctx: Ctx,
    /// Course, module and criterion.
    pub ids: (i32, i32, i32),
    pub module_title: String,
    pub criterion: CriterionForm,
    pub criterion_errors: FormErrors,
}

impl CriterionFormPage {
    async fn new(
        ctx: Ctx,
        state: &AppState,
        ids: (i32, i32, i32),
        form: CriterionForm,
        errors: FormErrors,
    ) -> AppResult<Self> {
        let (course_id, module_id, _) = ids;
        let module = run(&state.pool, move |conn| {
            models::module_of_course(conn, course_id, module_id)
        })
        .await?;
        Ok(Self {
            ctx,
            ids,
            module_title: module.title,
            criterion: form,
            criterion_errors: errors,
        })
    }

    pub fn action(&self) -> String {
        let (course, module, criterion) = self.ids;
        format!("/admin/courses/{course}/modules/{module}/criteria/{criterion}/edit")
    }

    /// The task's page, at its rubric.
    pub fn back(&self) -> String {
        let (course, module, _) = self.ids;
        format!("/admin/courses/{course}/modules/{module}/edit#rubric")
    }
}

pub async fn edit_criterion_form(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32, i32)>,
) -> AppResult<HttpResponse> {
    let ids = path.into_inner();
    let criterion = run(&state.pool, move |conn| ops::criterion_of(conn, ids)).await?;
    let form = CriterionForm::of(&criterion);
    render(&CriterionFormPage::new(ctx, &state, ids, form, FormErrors::default()).await?)
}

pub async fn update_criterion(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32, i32)>,
    Posted(form): Posted<CriterionForm>,
) -> AppResult<HttpResponse> {
    let ids = path.into_inner();
    // A criterion that does not exist is a 404 before any validation message.
    run(&state.pool, move |conn| ops::criterion_of(conn, ids)).await?;
    let lang = ctx.lang;
    let version = Version::parse(&form.version);
    let parsed = validate_criterion(&form, lang);
    let save = async |fields: CriterionFields| {
        let saved = run(&state.pool, move |conn| {
            ops::save_criterion(conn, admin.id, ids, version, &fields)
        })
        .await?;
        Ok(match saved {
            Changed::Done => {
                let (course, module, criterion) = ids;
                Submitted::Done(format!(
                    "/admin/courses/{course}/modules/{module}/edit?done=criterion-saved#criterion-{criterion}"
                ))
            }
            Changed::Stale(criterion) => Submitted::Stale(CriterionForm::of(&criterion)),
        })
    };
    let page = async |form, errors| CriterionFormPage::new(ctx, &state, ids, form, errors).await;
    submit(lang, form, parsed, save, page).await
}
