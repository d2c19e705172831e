//! Registration in two steps (the region, then the rest: its schools are offered without
//! JavaScript) and the confirmation of the email address.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::{link_invalid, peek_token};
use crate::accounts::forms::{category_choices, NewTeacher, RegisterForm};
use crate::accounts::limits::{self, address_subject, minutes_until, RegistrationGate};
use crate::accounts::ops::{self, Registered};
use crate::accounts::tokens::Purpose;
use crate::db::{now, DbPool};
use crate::domain::Email;
use crate::error::AppResult;
use crate::i18n::{Arg, Lang};
use crate::schools::models::{self as places, region_choices, Region, RegionChoice, SchoolOption};
use crate::state::AppState;
use crate::web::client::client_ip;
use crate::web::extractors::{NoFields, Posted, SignedIn};
use crate::web::{render, render_with_status, run, see_other, Ctx, FormErrors};

#[derive(Template)]
#[template(path = "accounts/register_region.html")]
pub struct RegisterRegionPage {
    pub ctx: Ctx,
    pub regions: Vec<RegionChoice>,
    pub errors: FormErrors,
}

impl RegisterRegionPage {
    fn new(ctx: Ctx, regions: &[Region], errors: FormErrors) -> Self {
        Self {
            regions: region_choices(regions, ctx.lang),
            ctx,
            errors,
        }
    }
}

/// Step 1 again, when the region sent is not one there is.
fn region_missing(ctx: Ctx, regions: &[Region]) -> AppResult<HttpResponse> {
    let errors = FormErrors::one("region", ctx.t("error-region-missing"));
    let page = RegisterRegionPage::new(ctx, regions, errors);
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

#[derive(Template)]
#[template(path = "accounts/register.html")]
pub struct RegisterPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub region: RegionChoice,
    pub schools: Vec<SchoolOption>,
    pub categories: Vec<(&'static str, String)>,
    pub languages: [Lang; 3],
    pub form: RegisterForm,
}

impl RegisterPage {
    /// Step 2; the password is never sent back.
    fn new(
        ctx: Ctx,
        errors: FormErrors,
        region: RegionChoice,
        schools: Vec<SchoolOption>,
        form: RegisterForm,
    ) -> Self {
        Self {
            categories: category_choices(ctx.lang),
            languages: Lang::ALL,
            ctx,
            errors,
            region,
            schools,
            form: RegisterForm {
                password: String::new(),
                ..form
            },
        }
    }

    fn refused(mut self, errors: FormErrors) -> AppResult<HttpResponse> {
        self.errors = errors;
        render_with_status(&self, StatusCode::UNPROCESSABLE_ENTITY)
    }

    /// Too many registrations from the visitor's address: wait until the window ends.
    fn too_many(mut self, until: NaiveDateTime) -> AppResult<HttpResponse> {
        let args = [("minutes", Arg::from(minutes_until(until, now())))];
        let message = self.ctx.lang.t_args("error-register-throttled", &args);
        self.errors = FormErrors::one("email", message);
        render_with_status(&self, StatusCode::TOO_MANY_REQUESTS)
    }
}

/// Where every accepted registration goes, new or not.
const SENT: &str = "/register/check-email";

#[derive(Template)]
#[template(path = "accounts/register_sent.html")]
pub struct RegisterSentPage {
    pub ctx: Ctx,
}

/// "Check your email": the answer to every well-formed registration, whether it created an
/// account or told the owner of an existing one.
pub async fn register_sent(ctx: Ctx) -> AppResult<HttpResponse> {
    render(&RegisterSentPage { ctx })
}

async fn schools_of(pool: &DbPool, region_id: i32) -> AppResult<Vec<SchoolOption>> {
    run(pool, move |conn| places::schools_of_region(conn, region_id)).await
}

#[derive(Deserialize)]
pub struct RegionQuery {
    region: Option<String>,
}

pub async fn register_start(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<RegionQuery>,
) -> AppResult<HttpResponse> {
    if ctx.user.is_some() {
        return Ok(see_other("/account"));
    }
    let regions = run(&state.pool, places::all_regions).await?;
    let Some(code) = query.region.as_deref() else {
        return render(&RegisterRegionPage::new(
            ctx,
            &regions,
            FormErrors::default(),
        ));
    };
    let chosen = region_choices(&regions, ctx.lang)
        .into_iter()
        .find(|r| r.code == code);
    let Some(region) = chosen else {
        return region_missing(ctx, &regions);
    };
    let schools = schools_of(&state.pool, region.id).await?;
    let form = RegisterForm {
        language: ctx.lang.code().to_owned(),
        region: region.code.clone(),
        ..Default::default()
    };
    render(&RegisterPage::new(
        ctx,
        FormErrors::default(),
        region,
        schools,
        form,
    ))
}

pub async fn register(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<RegisterForm>,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let regions = run(&state.pool, places::all_regions).await?;
    let Some(region) = form.region(region_choices(&regions, lang)) else {
        return region_missing(ctx, &regions);
    };
    let region_id = region.id;
    let schools = schools_of(&state.pool, region_id).await?;
    let teacher = match form.parse(lang, &schools) {
        Ok(teacher) => teacher,
        Err(errors) => {
            let page = RegisterPage::new(ctx, FormErrors::default(), region, schools, form);
            return page.refused(errors);
        }
    };
    match reserve(&req, &state, &teacher.email).await? {
        RegistrationGate::FromAddress(until) => {
            let page = RegisterPage::new(ctx, FormErrors::default(), region, schools, form);
            return page.too_many(until);
        }
        // Named in the window already: the same answer after the same work, and nothing sent.
        RegistrationGate::ToTarget => {
            state.hashing.hash(teacher.password.clone()).await?;
        }
        RegistrationGate::Open => create(&state, teacher, region_id).await?,
    }
    // Not signed in: an existing account's visitor could not be, and the answers must not differ.
    Ok(see_other(SENT))
}

/// Counts the registration against its client address and its target address, before any work.
async fn reserve(
    req: &HttpRequest,
    state: &AppState,
    target: &Email,
) -> AppResult<RegistrationGate> {
    let from =
        limits::registrations_from_address(state.settings.registrations_per_address_per_hour);
    let address = address_subject(client_ip(req));
    let target = target.clone();
    run(&state.pool, move |conn| {
        limits::reserve_registration(conn, from, &address, &target, now())
    })
    .await
}

/// Hashes the password (whether or not the account is new, so that the time taken does not
/// tell) and registers the teacher, or tells the owner of the existing account.
async fn create(state: &AppState, teacher: NewTeacher, region_id: i32) -> AppResult<()> {
    let password_hash = state.hashing.hash(teacher.password.clone()).await?;
    let registration = teacher.into_registration(region_id, password_hash);
    let base_url = state.settings.base_url.clone();
    let outcome = run(&state.pool, move |conn| {
        ops::register(conn, &registration, &base_url)
    })
    .await?;
    match outcome {
        Registered::Created(user_id) => tracing::info!(user_id, "teacher registered"),
        Registered::OwnerTold(user_id) => {
            tracing::info!(user_id, "registration with an existing account's details")
        }
    }
    Ok(())
}

#[derive(Template)]
#[template(path = "accounts/confirm.html")]
pub struct ConfirmPage {
    pub ctx: Ctx,
    pub token: String,
}

/// Shows a button rather than confirming on GET: mail scanners open links too.
pub async fn confirm_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    match peek_token(&state.pool, &token, &[Purpose::ConfirmEmail]).await? {
        Some(_) => render(&ConfirmPage { ctx, token }),
        None => link_invalid(ctx),
    }
}

pub async fn confirm(
    ctx: Ctx,
    state: web::Data<AppState>,
    token: web::Path<String>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let confirmed = run(&state.pool, move |conn| ops::confirm_email(conn, &token)).await?;
    let Some(user_id) = confirmed else {
        return link_invalid(ctx);
    };
    tracing::info!(user_id, "email confirmed");
    Ok(see_other(if ctx.user.is_some() {
        "/account?notice=email-confirmed"
    } else {
        "/login?notice=email-confirmed"
    }))
}

/// Sends the confirmation link again, at most once every two minutes.
pub async fn resend_confirmation(
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    _: Posted<NoFields>,
) -> AppResult<HttpResponse> {
    if user.email_verified {
        return Ok(see_other("/account"));
    }
    let base_url = state.settings.base_url.clone();
    run(&state.pool, move |conn| {
        ops::resend_confirmation(conn, &user, &base_url)
    })
    .await?;
    Ok(see_other("/account?notice=link-sent"))
}
