//! A forgotten password: the link by email, then the new password (invitations use the same form).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::{link_invalid, peek_token};
use crate::accounts::forms::{ForgotForm, NewPasswordForm};
use crate::accounts::limits::{self, address_subject};
use crate::accounts::ops::{self, RESET_PURPOSES};
use crate::accounts::session::{removal_cookie, see_other_with};
use crate::accounts::tokens::Purpose;
use crate::db::now;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::client::client_ip;
use crate::web::extractors::Posted;
use crate::web::{render, render_with_status, run, Ctx, FormErrors};

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
pub struct ForgotPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub email: String,
}

#[derive(Template)]
#[template(path = "accounts/check_email.html")]
pub struct CheckEmailPage {
    pub ctx: Ctx,
    pub email: String,
}

pub async fn forgot_form(ctx: Ctx) -> AppResult<HttpResponse> {
    render(&ForgotPage {
        ctx,
        errors: FormErrors::default(),
        email: String::new(),
    })
}

/// The same answer whether or not the account exists; at most one link per address per
/// quarter of an hour (and a few a day), a limited number of requests per client address.
pub async fn forgot(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<ForgotForm>,
) -> AppResult<HttpResponse> {
    let email = match form.parse(ctx.lang) {
        Ok(email) => email,
        Err(errors) => {
            let page = ForgotPage {
                ctx,
                errors,
                email: form.email,
            };
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let base_url = state.settings.base_url.clone();
    let target = email.clone();
    let address = address_subject(client_ip(&req));
    // Over a limit, the page is the same (it must not tell), but no mail goes out.
    run(&state.pool, move |conn| {
        if limits::reserve_reset_mail(conn, &address, &target, now())? {
            ops::send_reset_link(conn, &target, &base_url)?;
        }
        Ok(())
    })
    .await?;
    render(&CheckEmailPage {
        ctx,
        email: email.as_str().to_owned(),
    })
}

#[derive(Template)]
#[template(path = "accounts/reset.html")]
pub struct ResetPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub token: String,
    pub invitation: bool,
}

impl ResetPage {
    fn new(ctx: Ctx, errors: FormErrors, token: String, purpose: Purpose) -> Self {
        Self {
            ctx,
            errors,
            token,
            invitation: purpose == Purpose::Invitation,
        }
    }
}

pub async fn reset_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    match peek_token(&state.pool, &token, &RESET_PURPOSES).await? {
        Some((_, purpose)) => render(&ResetPage::new(ctx, FormErrors::default(), token, purpose)),
        None => link_invalid(ctx),
    }
}

/// Sets the password, ends every session, confirms the address (the link proved it) and tells the user.
pub async fn reset(
    ctx: Ctx,
    state: web::Data<AppState>,
    token: web::Path<String>,
    Posted(form): Posted<NewPasswordForm>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let password = match form.parse(ctx.lang) {
        Ok(password) => password,
        Err(errors) => {
            let Some((_, purpose)) = peek_token(&state.pool, &token, &RESET_PURPOSES).await? else {
                return link_invalid(ctx);
            };
            let page = ResetPage::new(ctx, errors, token, purpose);
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let hash = state.hashing.hash(password).await?;
    let done = run(&state.pool, move |conn| {
        ops::reset_password(conn, &token, &hash)
    })
    .await?;
    let Some(user_id) = done else {
        return link_invalid(ctx);
    };
    tracing::info!(user_id, "password reset");
    Ok(see_other_with(
        "/login?notice=password-reset",
        removal_cookie(&state.settings),
    ))
}
