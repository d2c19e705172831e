//! The home page with live national progress, and the language switch.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{NaiveDate, Utc};
use serde::Deserialize;

use crate::accounts::models::set_language;
use crate::dashboards::models::{national_progress, TargetProgress};
use crate::error::AppResult;
use crate::i18n::{Arg, Lang, LANG_COOKIE};
use crate::state::AppState;
use crate::web::extractors::Posted;
use crate::web::{local_path, render, run, Ctx};

/// What the home page says about the national target, already worded for the visitor.
pub struct ProgressView {
    pub headline: String,
    pub trained: String,
    pub target: String,
    pub percent: i64,
    /// Width of the bar, 0–100.
    pub bar: i64,
    pub deadline: String,
    pub status: String,
}

impl ProgressView {
    fn new(lang: Lang, progress: &TargetProgress, today: NaiveDate) -> Self {
        let target = i64::from(progress.target.teachers);
        let percent = progress.trained * 100 / target.max(1);
        let status = if progress.trained >= target {
            lang.t("progress-reached")
        } else if today > progress.target.deadline {
            lang.t("progress-deadline-passed")
        } else {
            let days = (progress.target.deadline - today).num_days();
            lang.t_args("progress-days-left", &[("count", Arg::from(days))])
        };
        Self {
            headline: lang.t_args(
                "progress-headline",
                &[
                    ("trained", Arg::from(lang.number(progress.trained))),
                    ("target", Arg::from(lang.number(target))),
                ],
            ),
            trained: lang.number(progress.trained),
            target: lang.number(target),
            percent,
            bar: percent.clamp(0, 100),
            deadline: lang.date(progress.target.deadline),
            status,
        }
    }
}

#[derive(Template)]
#[template(path = "home/home.html")]
pub struct HomePage {
    pub ctx: Ctx,
    pub progress: Option<ProgressView>,
}

pub async fn home(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let today = Utc::now().date_naive();
    let shared = state.clone();
    let progress = run(&state.pool, move |conn| {
        national_progress(conn, &shared.trained, today)
    })
    .await?;
    let progress = progress.map(|p| ProgressView::new(ctx.lang, &p, today));
    render(&HomePage { ctx, progress })
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    next: Option<String>,
}

/// Keeps the chosen language in a cookie (and, for a signed-in user, in their account) and
/// returns to the page the visitor was on.
pub async fn switch_language(
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<LanguageForm>,
) -> AppResult<HttpResponse> {
    if let (Some(user), Some(lang)) = (&ctx.user, Lang::parse(&form.lang)) {
        let user_id = user.id;
        run(&state.pool, move |conn| set_language(conn, user_id, lang)).await?;
    }
    let next = form
        .next
        .as_deref()
        .and_then(local_path)
        .unwrap_or("/")
        .to_owned();
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, next));
    if let Some(lang) = Lang::parse(&form.lang) {
        response.cookie(
            Cookie::build(LANG_COOKIE, lang.code())
                .path("/")
                .max_age(CookieDuration::days(365))
                .same_site(SameSite::Lax)
                .http_only(true)
                .secure(state.settings.is_https())
                .finish(),
        );
    }
    Ok(response.finish())
}
