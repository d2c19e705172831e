//! `/admin/certificates/new`: a certificate for a completion outside the platform.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveTime;

use super::forms::{today_in_kazakhstan, ManualForm, ManualIssue};
use super::views::course_options;
use crate::certificates::models::{self, CourseChoice};
use crate::certificates::ops::{self, IssueBy, Manual};
use crate::db::now;
use crate::error::AppResult;
use crate::i18n::Arg;
use crate::state::AppState;
use crate::web::extractors::{Admin, Posted};
use crate::web::{render, render_with_status, run, see_other, Ctx, FormErrors};

#[derive(Template)]
#[template(path = "certificates/admin/issue.html")]
pub struct ManualPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub form: ManualForm,
    pub courses: Vec<(String, String)>,
    pub today: String,
}

impl ManualPage {
    fn new(ctx: Ctx, courses: &[CourseChoice], form: ManualForm, errors: FormErrors) -> Self {
        Self {
            courses: course_options(ctx.lang, courses),
            today: today_in_kazakhstan().format("%Y-%m-%d").to_string(),
            ctx,
            errors,
            form,
        }
    }

    /// The form back with its messages (422).
    fn refused(
        ctx: Ctx,
        courses: &[CourseChoice],
        form: ManualForm,
        errors: FormErrors,
    ) -> AppResult<HttpResponse> {
        let page = Self::new(ctx, courses, form, errors);
        render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
    }
}

pub async fn new_form(
    Admin(_admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let courses = run(&state.pool, models::issuable_courses).await?;
    let form = ManualForm::default();
    render(&ManualPage::new(ctx, &courses, form, FormErrors::default()))
}

pub async fn create(
    Admin(admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<ManualForm>,
) -> AppResult<HttpResponse> {
    let lookup = form.email().ok().map(|e| e.as_str().to_owned());
    let (courses, account) = run(&state.pool, move |conn| {
        let account = match lookup {
            Some(email) => models::account_by_email(conn, &email)?,
            None => None,
        };
        Ok((models::issuable_courses(conn)?, account))
    })
    .await?;
    let command = match form.parse(ctx.lang, account, &courses, today_in_kazakhstan()) {
        Ok(command) => command,
        Err(errors) => return ManualPage::refused(ctx, &courses, form, errors),
    };
    let admin_id = admin.id;
    match issue_manually(&state, admin_id, &command).await? {
        Manual::Issued(certificate) => {
            tracing::info!(
                admin_id,
                serial = %certificate.serial,
                "certificate issued for a completion outside the platform"
            );
            Ok(see_other(format!(
                "/admin/certificates/{}?done=issued",
                certificate.serial
            )))
        }
        Manual::AlreadyCertified(existing) => {
            let mut errors = FormErrors::default();
            let args = [
                ("name", Arg::from(command.teacher.full_name.as_str())),
                ("serial", Arg::from(existing.serial.as_str())),
            ];
            let message = "admin-certificates-error-already-certified";
            errors.add("course", ctx.lang.t_args(message, &args));
            ManualPage::refused(ctx, &courses, form, errors)
        }
    }
}

/// Records the completion and issues its certificate, by this administrator.
async fn issue_manually(
    state: &AppState,
    admin_id: i32,
    command: &ManualIssue,
) -> AppResult<Manual> {
    let base_url = state.settings.base_url.clone();
    let (teacher_id, course_id) = (command.teacher.id, command.course.id);
    let completed_at = command.completed_on.and_time(NaiveTime::MIN);
    let reason = command.reason.clone();
    run(&state.pool, move |conn| {
        let by = IssueBy {
            admin: Some(admin_id),
            reason: Some(&reason),
            now: now(),
            base_url: &base_url,
        };
        ops::issue_for_outside_completion(conn, teacher_id, course_id, completed_at, by)
    })
    .await
}
