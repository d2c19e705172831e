//! The reviewer's side: the queue of submissions waiting, a submission's review (pass, or
//! return with feedback), and its files. Administrators review every course, tutors the courses
//! they are appointed to; anyone else is refused (403) and never sees a file (404).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::db::now;
use crate::error::{AppError, AppResult};
use crate::i18n::Arg;
use crate::state::AppState;
use crate::tasks::access::{is_reviewer, may_review, review_of, Review};
use crate::tasks::forms::{parse_decision, score_field, DecisionInput, Errors};
use crate::tasks::models::{self as m, Waiting};
use crate::tasks::ops::{self, Decided};
use crate::web::download::stored_file;
use crate::web::extractors::{CurrentUser, Posted, SignedIn};
use crate::web::{render, render_with_status, run, see_other, Ctx, Notices};

const DONE: Notices = &[
    ("passed", "task-review-done-passed"),
    ("returned", "task-review-done-returned"),
];

fn reviewer(user: &CurrentUser) -> AppResult<()> {
    if is_reviewer(user) {
        Ok(())
    } else {
        tracing::warn!(user_id = user.id, role = %user.role, "review refused: not a reviewer");
        Err(AppError::Forbidden)
    }
}

pub struct WaitingView {
    pub href: String,
    pub course: String,
    pub task: String,
    pub teacher: String,
    pub submitted_at: String,
}

#[derive(Template)]
#[template(path = "tasks/queue.html")]
pub struct QueuePage {
    pub ctx: Ctx,
    /// (id, title, selected) of each course the user reviews.
    pub courses: Vec<(i32, String, bool)>,
    pub waiting: Vec<WaitingView>,
}

#[derive(Deserialize)]
pub struct QueueQuery {
    course: Option<String>,
}

pub async fn queue(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> AppResult<HttpResponse> {
    reviewer(&user)?;
    let ctx = ctx.with_done(DONE);
    let tutor = (user.role != crate::domain::Role::Admin).then_some(user.id);
    let chosen: Option<i32> = query.course.as_deref().and_then(|c| c.parse().ok());
    let (courses, waiting) = run(&state.pool, move |conn| {
        let courses = m::reviewable_courses(conn, tutor)?;
        let ids: Vec<i32> = courses
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| chosen.is_none_or(|c| c == *id))
            .collect();
        Ok((courses, m::waiting_in(conn, &ids)?))
    })
    .await?;
    let lang = ctx.lang;
    let view = |w: Waiting| WaitingView {
        href: format!("/review/{}", w.id),
        course: w.course_title,
        task: w.module_title,
        teacher: w.teacher_name,
        submitted_at: lang.date(w.submitted_at.date()),
    };
    render(&QueuePage {
        courses: courses
            .into_iter()
            .map(|(id, title)| (id, title, chosen == Some(id)))
            .collect(),
        waiting: waiting.into_iter().map(view).collect(),
        ctx,
    })
}

#[derive(Template)]
#[template(path = "tasks/review.html")]
pub struct ReviewPage {
    pub ctx: Ctx,
    pub review: Review,
    pub input: DecisionInput,
    pub errors: Errors,
    /// "Already reviewed by …" when another reviewer decided first.
    pub conflict: String,
}

impl ReviewPage {
    fn error(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map_or("", |(_, m)| m.as_str())
    }

    fn score_error(&self, criterion_id: &i32) -> &str {
        self.error(&score_field(*criterion_id))
    }

    fn score_value(&self, criterion_id: &i32) -> &str {
        self.input
            .scores
            .iter()
            .find(|(id, _)| id == criterion_id)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// The submission, if the user may review its course (403 otherwise, 404 when there is none).
async fn load(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<Review> {
    reviewer(user)?;
    let user = user.clone();
    let (review, allowed) = run(&state.pool, move |conn| {
        let Some(review) = review_of(conn, id)? else {
            return Ok((None, false));
        };
        let allowed = may_review(conn, &user, review.teacher.course_id)?;
        Ok((Some(review), allowed))
    })
    .await?;
    let review = review.ok_or(AppError::NotFound)?;
    if !allowed {
        tracing::warn!(
            submission = id,
            "review refused: not a reviewer of this course"
        );
        return Err(AppError::Forbidden);
    }
    Ok(review)
}

pub async fn review(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let review = load(&state, &user, path.into_inner()).await?;
    render(&ReviewPage {
        input: review.input(),
        review,
        errors: vec![],
        conflict: String::new(),
        ctx,
    })
}

pub async fn decide(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    Posted(fields): Posted<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let review = load(&state, &user, id).await?;
    let (input, errors) = match parse_decision(ctx.lang, &review.criteria, &fields) {
        Ok(decision) => {
            let (reviewer_id, base_url) = (user.id, state.settings.base_url.clone());
            let submission = review.submission.clone();
            let pass = decision.pass;
            let decided = run(&state.pool, move |conn| {
                ops::decide(conn, reviewer_id, &submission, &decision, now(), &base_url)
            })
            .await?;
            if let Decided::AlreadyReviewed(by) = decided {
                let review = load(&state, &user, id).await?;
                let conflict = ctx
                    .lang
                    .t_args("task-review-already", &[("name", Arg::from(by))]);
                let page = ReviewPage {
                    input: review.input(),
                    review,
                    errors: vec![],
                    conflict,
                    ctx,
                };
                return render_with_status(&page, StatusCode::CONFLICT);
            }
            let done = if pass { "passed" } else { "returned" };
            return Ok(see_other(format!("/review?done={done}")));
        }
        Err(refused) => refused,
    };
    let page = ReviewPage {
        review,
        input,
        errors,
        conflict: String::new(),
        ctx,
    };
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// `/review/files/{id}`: a submission's file for those who may review its course; 404 for
/// everyone else, as if it did not exist.
pub async fn file(
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let file_id = path.into_inner();
    let file = run(&state.pool, move |conn| {
        let Some((course_id, file)) = m::file_with_course(conn, file_id)? else {
            return Ok(None);
        };
        Ok(may_review(conn, &user, course_id)?.then_some(file))
    })
    .await?;
    let (name, content_type, content) = file.ok_or(AppError::NotFound)?;
    Ok(stored_file(&name, &content_type, content))
}
