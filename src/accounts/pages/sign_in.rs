//! Signing in (throttled per device cookie, per account for unknown browsers, and per address)
//! and out.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::accounts::device;
use crate::accounts::forms::LoginForm;
use crate::accounts::limits::{address_subject, minutes_until};
use crate::accounts::models as m;
use crate::accounts::ops::{self, Locked, SignInAttempt};
use crate::accounts::session::{removal_cookie, see_other_with, timed_out_minutes};
use crate::accounts::two_step::flow as two_step;
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
        Role::Teacher | Role::Coordinator | Role::Admin | Role::Tutor => "/account",
    }
}

/// The error of a locked account, device or address, saying for how many minutes.
fn throttled(lang: Lang, until: NaiveDateTime, now: NaiveDateTime) -> FormErrors {
    let args = [("minutes", Arg::from(minutes_until(until, now)))];
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
    let device = device::presented(&req, &state.settings);
    let address = address_subject(client_ip(&req));
    let started = now();
    // Counted before the password is checked, so a burst gets no more checks than the limit.
    let gate = run(&state.pool, move |conn| {
        ops::reserve_sign_in(conn, &email, device.as_ref(), &address, started)
    })
    .await?;
    let (attempt, record) = match gate {
        Ok(open) => open,
        Err(Locked(until)) => {
            let errors = throttled(lang, until, started);
            return page.refused(errors, StatusCode::TOO_MANY_REQUESTS);
        }
    };
    let hash = record.as_ref().and_then(|r| r.password_hash.clone());
    let verified = password_holds(&state, &attempt, hash, form.password, started).await?;
    let Some(record) = record.filter(|_| verified) else {
        tracing::info!("sign-in failed");
        let errors = FormErrors::one("email", lang.t("error-login-failed"));
        return page.refused(errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    if record.disabled_at.is_some() {
        let errors = FormErrors::one("email", lang.t("error-login-disabled"));
        return page.refused(errors, StatusCode::FORBIDDEN);
    }
    run(&state.pool, move |conn| ops::signed_in(conn, &attempt)).await?;
    let role =
        Role::parse(&record.role).map_err(|_| AppError::Unexpected(anyhow::anyhow!("bad role")))?;
    let target = match page.next.as_str() {
        "" => home_for(role),
        next => next,
    };
    // The session now, or the second step first (staff). The browser is known to the account
    // from now on (its device cookie): the right password is enough to pass the lockout.
    let mut onward =
        two_step::after_password(&state, record.id, role, record.session_version, target).await?;
    onward
        .cookies
        .push(device::issue(&state.settings, record.id));
    Ok(onward.response())
}

/// Checks the password of a counted attempt: a failure counts against the client address too;
/// an attempt the site was too busy to check gets its count back (it learnt nothing).
async fn password_holds(
    state: &AppState,
    attempt: &SignInAttempt,
    hash: Option<String>,
    password: String,
    at: NaiveDateTime,
) -> AppResult<bool> {
    let checked = state.hashing.verify(hash, password).await;
    let attempt = attempt.clone();
    match checked {
        Ok(true) => Ok(true),
        Ok(false) => {
            run(&state.pool, move |conn| {
                ops::sign_in_failed(conn, &attempt, at)
            })
            .await?;
            Ok(false)
        }
        Err(error) => {
            run(&state.pool, move |conn| {
                ops::sign_in_unchecked(conn, &attempt)
            })
            .await?;
            Err(error)
        }
    }
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
