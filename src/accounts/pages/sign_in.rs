//! Signing in (throttled per account and per address) and out.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::accounts::forms::LoginForm;
use crate::accounts::models as m;
use crate::accounts::ops::{self, ThrottleKeys};
use crate::accounts::session::{
    issue_session_token, removal_cookie, see_other_with, session_cookie, timed_out_minutes,
};
use crate::db::now;
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::state::AppState;
use crate::web::client::client_ip;
use crate::web::extractors::{current_user, NoFields, Posted};
use crate::web::{local_path, render, render_with_status, run, Ctx, FormErrors};

#[derive(Template)]
#[template(path = "accounts/login.html")]
pub struct LoginPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub email: String,
    pub next: String,
    /// Why the user has to sign in again: their session timed out (`?timeout=`).
    pub timed_out: Option<String>,
}

impl LoginPage {
    /// The form, coming back to `next` only when it is a path on this site.
    fn new(ctx: Ctx, email: String, next: &str) -> Self {
        Self {
            ctx,
            errors: FormErrors::default(),
            email,
            next: local_path(next).unwrap_or("").to_owned(),
            timed_out: None,
        }
    }

    fn refused(mut self, errors: FormErrors, status: StatusCode) -> AppResult<HttpResponse> {
        self.errors = errors;
        render_with_status(&self, status)
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    timeout: Option<String>,
}

pub async fn login_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> AppResult<HttpResponse> {
    let next = query.next.as_deref().unwrap_or("");
    let mut page = LoginPage::new(ctx, String::new(), next);
    let minutes = query
        .timeout
        .as_deref()
        .and_then(|group| timed_out_minutes(&state.settings, group));
    if let (Some(minutes), None) = (minutes, &page.ctx.user) {
        let args = [("minutes", Arg::from(minutes))];
        page.timed_out = Some(page.ctx.lang.t_args("notice-session-timed-out", &args));
    }
    render(&page)
}

/// Where a user lands after signing in when no page asked for it.
fn home_for(role: Role) -> &'static str {
    match role {
        Role::Teacher | Role::Coordinator | Role::Admin => "/account",
    }
}

/// The error of a locked account or address, saying for how many minutes (at least one).
fn throttled(lang: Lang, wait: chrono::Duration) -> FormErrors {
    let minutes = (wait.num_seconds() + 59) / 60;
    let args = [("minutes", Arg::from(minutes.max(1)))];
    FormErrors::one("email", lang.t_args("error-login-throttled", &args))
}

pub async fn login(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<LoginForm>,
) -> AppResult<HttpResponse> {
    let page = LoginPage::new(ctx, form.email.trim().to_owned(), &form.next);
    let lang = page.ctx.lang;
    let email = match form.parse(lang) {
        Ok(email) => email,
        Err(errors) => return page.refused(errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let keys = ThrottleKeys::new(&email, client_ip(&req));
    let started = now();
    let sign_in_keys = keys.clone();
    let (locked, record) = run(&state.pool, move |conn| {
        ops::sign_in_state(conn, &sign_in_keys, &email, started)
    })
    .await?;
    if let Some(until) = locked {
        return page.refused(
            throttled(lang, until - started),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let hash = record.as_ref().and_then(|r| r.password_hash.clone());
    let verified = state.hashing.verify(hash, form.password).await?;
    let Some(record) = record.filter(|_| verified) else {
        run(&state.pool, move |conn| {
            ops::record_failed_sign_in(conn, &keys, started)
        })
        .await?;
        tracing::info!("sign-in failed");
        let errors = FormErrors::one("email", lang.t("error-login-failed"));
        return page.refused(errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    if record.disabled_at.is_some() {
        let errors = FormErrors::one("email", lang.t("error-login-disabled"));
        return page.refused(errors, StatusCode::FORBIDDEN);
    }
    run(&state.pool, move |conn| {
        m::clear_failures(conn, &keys.account)
    })
    .await?;
    let role =
        Role::parse(&record.role).map_err(|_| AppError::Unexpected(anyhow::anyhow!("bad role")))?;
    let token = issue_session_token(&state.settings, record.id, role, record.session_version)?;
    tracing::info!(user_id = record.id, "signed in");
    let target = match page.next.as_str() {
        "" => home_for(role),
        next => next,
    };
    Ok(see_other_with(
        target,
        session_cookie(&state.settings, token),
    ))
}

/// Ends this session and every other one of the user (the session version moves on).
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    if let Some(user) = current_user(&req) {
        run(&state.pool, move |conn| {
            m::bump_session_version(conn, user.id)
        })
        .await?;
        tracing::info!(user_id = user.id, "signed out");
    }
    Ok(see_other_with(
        "/?notice=signed-out",
        removal_cookie(&state.settings),
    ))
}
