//! The teacher's side: submitting a task (text and files) and downloading their own files. The
//! task itself is shown on its module page (learning), with `section::task_section`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::courses::markdown::to_safe_html;
use crate::db::now;
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::learning::outline::{course_path, module_path};
use crate::state::AppState;
use crate::tasks::access::task_of_path;
use crate::tasks::forms::{parse_submission, Errors};
use crate::tasks::models as m;
use crate::tasks::ops;
use crate::tasks::section::{task_section, TaskSection};
use crate::web::attachments::WithAttachments;
use crate::web::download::stored_file;
use crate::web::extractors::SignedIn;
use crate::web::{render_with_status, run, see_other, Ctx};

/// The task again after a refused submission: its instructions, rubric, history and the form
/// as posted with its errors.
#[derive(Template)]
#[template(path = "tasks/task.html")]
pub struct TaskPage {
    pub ctx: Ctx,
    pub course_title: String,
    pub course_href: String,
    pub title: String,
    pub body_html: String,
    pub errors: Errors,
    pub task: Option<TaskSection>,
}

pub async fn submit(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: WithAttachments,
) -> AppResult<HttpResponse> {
    let (course_slug, module_slug) = path.into_inner();
    if user.role != Role::Teacher {
        tracing::warn!(user_id = user.id, role = %user.role, "task submission refused: not a teacher");
        return Err(AppError::Forbidden);
    }
    let (user_id, lang) = (user.id, ctx.lang);
    let task = run(&state.pool, move |conn| {
        task_of_path(conn, user_id, &course_slug, &module_slug)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    let (course, module) = (task.course, task.module);
    let Some(enrolment) = task.enrolment else {
        return Ok(see_other(course_path(&course.slug)));
    };
    let back = module_path(&course.slug, &module.slug);
    if task.locked {
        tracing::info!(
            enrolment,
            "task submission refused: modules before it not done"
        );
        return Ok(see_other(back));
    }
    let errors = match parse_submission(lang, &form) {
        Ok(command) => {
            let module_id = module.id;
            run(&state.pool, move |conn| {
                ops::submit(conn, user_id, enrolment, module_id, &command, now())
            })
            .await?;
            return Ok(see_other(format!("{back}#task-history")));
        }
        Err(errors) => errors,
    };
    let body = form.field("body").to_owned();
    let slug = course.slug.clone();
    let section = run(&state.pool, move |conn| {
        task_section(conn, &slug, &module, Some(enrolment)).map(|s| (s, module))
    })
    .await?;
    let (section, module) = section;
    let page = TaskPage {
        course_title: course.title.clone(),
        course_href: course_path(&course.slug),
        title: module.title.clone(),
        body_html: to_safe_html(&module.body_markdown),
        errors: errors.clone(),
        task: section.map(|s| TaskSection { body, errors, ..s }),
        ctx,
    };
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// `/learn/{course}/{module}/files/{id}`: a file of the teacher's own submission; 404 for
/// anyone else's.
pub async fn own_file(
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String, i32)>,
) -> AppResult<HttpResponse> {
    let (course_slug, module_slug, file_id) = path.into_inner();
    let user_id = user.id;
    let file = run(&state.pool, move |conn| {
        let Some(task) = task_of_path(conn, user_id, &course_slug, &module_slug)? else {
            return Ok(None);
        };
        m::own_file(conn, file_id, user_id, task.module.id)
    })
    .await?;
    let (name, content_type, content) = file.ok_or(AppError::NotFound)?;
    Ok(stored_file(&name, &content_type, content))
}
