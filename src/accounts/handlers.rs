//! Registration, confirmation, sign-in and out, password reset and the account page.

use crate::web::extractors::NoFields;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use diesel::Connection;
use serde::Deserialize;

use super::models::{self as m, AccountChanges, Registration};
use super::session::{issue_session_token, removal_cookie, session_cookie};
use super::tokens::{self, Purpose};
use crate::db::now;
use crate::domain::{Category, Email, FullName, Iin, Password, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::mail::{enqueue, OutgoingEmail};
use crate::schools::models::{self as places, region_choices, RegionChoice, SchoolOption};
use crate::state::AppState;
use crate::web::extractors::{current_user, Posted, SignedIn};
use crate::web::{
    encode_query_value, local_path, render, render_with_status, run, see_other, Ctx, FormErrors,
};

/// Argon2 verification (slow on purpose) off the async executor. Unknown accounts are checked
/// against a dummy hash so that both cases take the same time.
async fn verify_password(hash: Option<String>, password: String) -> AppResult<bool> {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5Ttt8LyYjA1b0F7oS3Xr1hCgnYzWJk9yG6cQ8bVvLrE";
    let ok = web::block(move || {
        use argon2::{PasswordHash, PasswordVerifier};
        let stored = hash.clone().unwrap_or_else(|| DUMMY.to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && hash.is_some()
    })
    .await?;
    Ok(ok)
}

async fn hash_password(password: Password) -> AppResult<String> {
    Ok(web::block(move || password.hash()).await??)
}

// ---- Sign in and out ----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/login.html")]
pub struct LoginPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub email: String,
    pub next: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(ctx: Ctx, query: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    let next = query
        .next
        .as_deref()
        .and_then(local_path)
        .unwrap_or("")
        .to_owned();
    render(&LoginPage {
        ctx,
        errors: FormErrors::default(),
        email: String::new(),
        next,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Where a user lands after signing in when no page asked for it.
fn home_for(role: Role) -> &'static str {
    match role {
        Role::Teacher | Role::Coordinator | Role::Admin => "/account",
    }
}

pub async fn login(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<LoginForm>,
) -> AppResult<HttpResponse> {
    let next = local_path(&form.next).unwrap_or("").to_owned();
    let mut page = LoginPage {
        ctx,
        errors: FormErrors::default(),
        email: form.email.trim().to_owned(),
        next,
    };
    let lang = page.ctx.lang;
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(e) => {
            page.errors.add("email", lang.t(e.key()));
            if form.password.is_empty() {
                page.errors
                    .add("password", lang.t("error-password-missing"));
            }
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    if form.password.is_empty() {
        page.errors
            .add("password", lang.t("error-password-missing"));
        return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let address_key = format!(
        "ip:{}",
        req.connection_info()
            .realip_remote_addr()
            .unwrap_or("unknown")
    );
    let account_key = format!("acct:{}", email.as_str());
    let started = now();
    let (locked, record) = {
        let (account_key, address_key, email) =
            (account_key.clone(), address_key.clone(), email.clone());
        run(&state.pool, move |conn| {
            let locked = m::locked_until(conn, &account_key, started)?.or(m::locked_until(
                conn,
                &address_key,
                started,
            )?);
            Ok((locked, m::login_record(conn, &email)?))
        })
        .await?
    };
    if let Some(until) = locked {
        let minutes = ((until - started).num_seconds() + 59) / 60;
        page.errors.add(
            "email",
            lang.t_args(
                "error-login-throttled",
                &[("minutes", Arg::from(minutes.max(1)))],
            ),
        );
        return render_with_status(&page, StatusCode::TOO_MANY_REQUESTS);
    }
    let verified = verify_password(
        record.as_ref().and_then(|r| r.password_hash.clone()),
        form.password,
    )
    .await?;
    let record = match record {
        Some(record) if verified => record,
        _ => {
            run(&state.pool, move |conn| {
                m::record_failure(conn, &account_key, m::ACCOUNT_FAILURES_ALLOWED, started)?;
                m::record_failure(conn, &address_key, m::ADDRESS_FAILURES_ALLOWED, started)
            })
            .await?;
            tracing::info!("sign-in failed");
            page.errors.add("email", lang.t("error-login-failed"));
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    if record.disabled_at.is_some() {
        page.errors.add("email", lang.t("error-login-disabled"));
        return render_with_status(&page, StatusCode::FORBIDDEN);
    }
    run(&state.pool, move |conn| {
        m::clear_failures(conn, &account_key)
    })
    .await?;
    let role =
        Role::parse(&record.role).map_err(|_| AppError::Unexpected(anyhow::anyhow!("bad role")))?;
    let token = issue_session_token(&state.settings, record.id, role, record.session_version)?;
    tracing::info!(user_id = record.id, "signed in");
    let target = if page.next.is_empty() {
        home_for(role).to_owned()
    } else {
        page.next.clone()
    };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, target))
        .cookie(session_cookie(&state.settings, token))
        .finish())
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
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/?notice=signed-out"))
        .cookie(removal_cookie(&state.settings))
        .finish())
}

// ---- Registration -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/register_region.html")]
pub struct RegisterRegionPage {
    pub ctx: Ctx,
    pub regions: Vec<RegionChoice>,
    pub errors: FormErrors,
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

#[derive(Deserialize, Default, Clone)]
pub struct RegisterForm {
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub iin: String,
}

#[derive(Deserialize)]
pub struct RegionQuery {
    region: Option<String>,
}

fn category_choices(lang: Lang) -> Vec<(&'static str, String)> {
    Category::ALL
        .iter()
        .map(|c| (c.as_str(), lang.t(c.label_key())))
        .collect()
}

/// Step 1 chooses the region, so that step 2 can offer that region's schools without JavaScript.
pub async fn register_start(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<RegionQuery>,
) -> AppResult<HttpResponse> {
    if ctx.user.is_some() {
        return Ok(see_other("/account"));
    }
    let regions = run(&state.pool, places::all_regions).await?;
    let choices = region_choices(&regions, ctx.lang);
    let mut errors = FormErrors::default();
    if let Some(code) = query.region.as_deref() {
        match choices.into_iter().find(|r| r.code == code) {
            Some(region) => {
                let region_id = region.id;
                let schools = run(&state.pool, move |conn| {
                    places::schools_of_region(conn, region_id)
                })
                .await?;
                let form = RegisterForm {
                    language: ctx.lang.code().to_owned(),
                    region: region.code.clone(),
                    ..Default::default()
                };
                return render(&RegisterPage {
                    categories: category_choices(ctx.lang),
                    languages: Lang::ALL,
                    ctx,
                    errors,
                    region,
                    schools,
                    form,
                });
            }
            None => {
                errors.add("region", ctx.t("error-region-missing"));
                let choices = region_choices(&regions, ctx.lang);
                return render_with_status(
                    &RegisterRegionPage {
                        ctx,
                        regions: choices,
                        errors,
                    },
                    StatusCode::UNPROCESSABLE_ENTITY,
                );
            }
        }
    }
    render(&RegisterRegionPage {
        ctx,
        regions: choices,
        errors,
    })
}

pub async fn register(
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<RegisterForm>,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let regions = run(&state.pool, places::all_regions).await?;
    let Some(region) = region_choices(&regions, lang)
        .into_iter()
        .find(|r| r.code == form.region)
    else {
        let mut errors = FormErrors::default();
        errors.add("region", lang.t("error-region-missing"));
        let choices = region_choices(&regions, lang);
        return render_with_status(
            &RegisterRegionPage {
                ctx,
                regions: choices,
                errors,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let region_id = region.id;
    let schools = run(&state.pool, move |conn| {
        places::schools_of_region(conn, region_id)
    })
    .await?;

    let mut errors = FormErrors::default();
    let full_name = FullName::parse(&form.full_name)
        .map_err(|e| errors.add("full_name", lang.t(e.key())))
        .ok();
    let email = Email::parse(&form.email)
        .map_err(|e| errors.add("email", lang.t(e.key())))
        .ok();
    let password = Password::parse(&form.password)
        .map_err(|e| errors.add("password", lang.t(e.key())))
        .ok();
    let school_id = match form.school.as_str() {
        "none" => Some(None),
        raw => match raw
            .parse::<i32>()
            .ok()
            .filter(|id| schools.iter().any(|s| s.id == *id))
        {
            Some(id) => Some(Some(id)),
            None => {
                errors.add("school", lang.t("error-school-missing"));
                None
            }
        },
    };
    let category = Category::parse(&form.category)
        .map_err(|e| errors.add("category", lang.t(e.key())))
        .ok();
    let language = Lang::parse(&form.language);
    if language.is_none() {
        errors.add("language", lang.t("error-language-missing"));
    }
    let iin = match form.iin.trim() {
        "" => Some(None),
        raw => Iin::parse(raw)
            .map(Some)
            .map_err(|e| errors.add("iin", lang.t(e.key())))
            .ok(),
    };

    let page = |ctx: Ctx,
                errors: FormErrors,
                schools: Vec<SchoolOption>,
                region: RegionChoice,
                form: RegisterForm| RegisterPage {
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
    };
    let (
        Some(full_name),
        Some(email),
        Some(password),
        Some(school_id),
        Some(category),
        Some(language),
        Some(iin),
    ) = (
        full_name, email, password, school_id, category, language, iin,
    )
    else {
        return render_with_status(
            &page(ctx, errors, schools, region, form),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };

    let password_hash = hash_password(password).await?;
    let registration = Registration {
        email: email.clone(),
        full_name,
        password_hash,
        region_id,
        school_id,
        category: category.as_str().to_owned(),
        language,
        iin: iin.map(|i| i.as_str().to_owned()),
    };
    let base_url = state.settings.base_url.clone();
    let outcome = run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            if m::email_taken(conn, &registration.email)? {
                return Ok(Err("email"));
            }
            if let Some(iin) = &registration.iin {
                if m::iin_taken(conn, iin, None)? {
                    return Ok(Err("iin"));
                }
            }
            let at = now();
            let user_id = m::register_teacher(conn, &registration, at)?;
            let token = tokens::create(conn, user_id, Purpose::ConfirmEmail, at)?;
            enqueue(
                conn,
                &confirmation_email(
                    &registration.email,
                    registration.full_name.as_str(),
                    registration.language,
                    &base_url,
                    &token,
                ),
            )?;
            Ok(Ok(user_id))
        })
    })
    .await?;
    let user_id = match outcome {
        Ok(id) => id,
        Err(field) => {
            let mut errors = FormErrors::default();
            let key = if field == "email" {
                "error-email-taken"
            } else {
                "error-iin-taken"
            };
            errors.add(field, lang.t(key));
            return render_with_status(
                &page(ctx, errors, schools, region, form),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    tracing::info!(user_id, "teacher registered");
    let token = issue_session_token(&state.settings, user_id, Role::Teacher, 1)?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/account?notice=registered"))
        .cookie(session_cookie(&state.settings, token))
        .finish())
}

fn confirmation_email(
    email: &Email,
    name: &str,
    lang: Lang,
    base_url: &str,
    token: &str,
) -> OutgoingEmail {
    let link = format!("{base_url}/account/confirm/{token}");
    OutgoingEmail {
        to: email.as_str().to_owned(),
        to_name: name.to_owned(),
        lang,
        subject: lang.t("email-confirm-subject"),
        text: lang.t_args(
            "email-confirm-body",
            &[("name", Arg::from(name)), ("link", Arg::from(link))],
        ),
        html: None,
    }
}

// ---- Email confirmation -------------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/confirm.html")]
pub struct ConfirmPage {
    pub ctx: Ctx,
    pub token: String,
}

#[derive(Template)]
#[template(path = "accounts/link_invalid.html")]
pub struct LinkInvalidPage {
    pub ctx: Ctx,
}

/// Whose a still-valid link is, without using it up.
async fn peek_token(
    state: &AppState,
    token: &str,
    purposes: &'static [Purpose],
) -> AppResult<Option<(i32, Purpose)>> {
    let token = token.to_owned();
    run(&state.pool, move |conn| {
        tokens::peek(conn, &token, purposes, now())
    })
    .await
}

fn link_invalid(ctx: Ctx) -> AppResult<HttpResponse> {
    render_with_status(&LinkInvalidPage { ctx }, StatusCode::GONE)
}

/// Shows a button rather than confirming on GET: mail scanners open links too.
pub async fn confirm_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    match peek_token(&state, &token, &[Purpose::ConfirmEmail]).await? {
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
    let confirmed = run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let at = now();
            let Some((user_id, _)) = tokens::consume(conn, &token, &[Purpose::ConfirmEmail], at)?
            else {
                return Ok(None);
            };
            m::mark_email_verified(conn, user_id, at)?;
            Ok(Some(user_id))
        })
    })
    .await?;
    match confirmed {
        Some(user_id) => {
            tracing::info!(user_id, "email confirmed");
            let target = if ctx.user.is_some() {
                "/account?notice=email-confirmed"
            } else {
                "/login?notice=email-confirmed"
            };
            Ok(see_other(target))
        }
        None => link_invalid(ctx),
    }
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
        conn.transaction(|conn| {
            let at = now();
            let recent = tokens::last_created(conn, user.id, Purpose::ConfirmEmail)?
                .is_some_and(|t| at - t < chrono::Duration::minutes(2));
            if !recent {
                tokens::revoke_all(conn, user.id, Purpose::ConfirmEmail, at)?;
                let token = tokens::create(conn, user.id, Purpose::ConfirmEmail, at)?;
                let email = Email::parse(&user.email)
                    .map_err(|_| diesel::result::Error::RollbackTransaction)?;
                enqueue(
                    conn,
                    &confirmation_email(&email, &user.full_name, user.language, &base_url, &token),
                )?;
            }
            Ok(())
        })
    })
    .await?;
    Ok(see_other("/account?notice=link-sent"))
}

// ---- Password reset -----------------------------------------------------------------------

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

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// The same answer whether or not the account exists; at most one link a minute per account.
pub async fn forgot(
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<ForgotForm>,
) -> AppResult<HttpResponse> {
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.add("email", ctx.t(e.key()));
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
    run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let Some(record) = m::login_record(conn, &target)? else {
                return Ok(());
            };
            if record.disabled_at.is_some() {
                return Ok(());
            }
            let at = now();
            if tokens::last_created(conn, record.id, Purpose::ResetPassword)?
                .is_some_and(|t| at - t < chrono::Duration::minutes(1))
            {
                return Ok(());
            }
            tokens::revoke_all(conn, record.id, Purpose::ResetPassword, at)?;
            let token = tokens::create(conn, record.id, Purpose::ResetPassword, at)?;
            let account = m::account(conn, record.id)?;
            let lang = Lang::parse(&record.language).unwrap_or_default();
            let link = format!("{base_url}/password/reset/{token}");
            enqueue(
                conn,
                &OutgoingEmail {
                    to: target.as_str().to_owned(),
                    to_name: account.full_name.clone(),
                    lang,
                    subject: lang.t("email-reset-subject"),
                    text: lang.t_args(
                        "email-reset-body",
                        &[
                            ("name", Arg::from(account.full_name)),
                            ("link", Arg::from(link)),
                        ],
                    ),
                    html: None,
                },
            )
        })
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

const RESET_PURPOSES: [Purpose; 2] = [Purpose::ResetPassword, Purpose::Invitation];

pub async fn reset_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    match peek_token(&state, &token, &RESET_PURPOSES).await? {
        Some((_, purpose)) => render(&ResetPage {
            ctx,
            errors: FormErrors::default(),
            token,
            invitation: purpose == Purpose::Invitation,
        }),
        None => link_invalid(ctx),
    }
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    password: String,
}

/// Sets the password, ends every session, confirms the address (the link proved it) and tells the user.
pub async fn reset(
    ctx: Ctx,
    state: web::Data<AppState>,
    token: web::Path<String>,
    Posted(form): Posted<NewPasswordForm>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let password = match Password::parse(&form.password) {
        Ok(p) => p,
        Err(e) => {
            let Some((_, purpose)) = peek_token(&state, &token, &RESET_PURPOSES).await? else {
                return link_invalid(ctx);
            };
            let mut errors = FormErrors::default();
            errors.add("password", ctx.t(e.key()));
            let page = ResetPage {
                ctx,
                errors,
                token,
                invitation: purpose == Purpose::Invitation,
            };
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let hash = hash_password(password).await?;
    let done = run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let at = now();
            let Some((user_id, _)) = tokens::consume(conn, &token, &RESET_PURPOSES, at)? else {
                return Ok(None);
            };
            m::set_password(conn, user_id, &hash, at)?;
            m::mark_email_verified(conn, user_id, at)?;
            tokens::revoke_all(conn, user_id, Purpose::ResetPassword, at)?;
            let account = m::account(conn, user_id)?;
            enqueue(conn, &password_changed_email(&account))?;
            Ok(Some(user_id))
        })
    })
    .await?;
    match done {
        Some(user_id) => {
            tracing::info!(user_id, "password reset");
            Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/login?notice=password-reset"))
                .cookie(removal_cookie(&state.settings))
                .finish())
        }
        None => link_invalid(ctx),
    }
}

fn password_changed_email(account: &m::AccountRow) -> OutgoingEmail {
    let lang = Lang::parse(&account.language).unwrap_or_default();
    OutgoingEmail {
        to: account.email.clone(),
        to_name: account.full_name.clone(),
        lang,
        subject: lang.t("email-password-changed-subject"),
        text: lang.t_args(
            "email-password-changed-body",
            &[("name", Arg::from(account.full_name.as_str()))],
        ),
        html: None,
    }
}

// ---- The account page ---------------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/account.html")]
pub struct AccountPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub password_errors: FormErrors,
    pub form: AccountForm,
    pub email: String,
    pub role_label: String,
    pub iin: String,
    pub regions: Vec<RegionChoice>,
    pub schools: Vec<SchoolOption>,
    pub categories: Vec<(&'static str, String)>,
    pub languages: [Lang; 3],
}

#[derive(Deserialize, Default, Clone)]
pub struct AccountForm {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub language: String,
}

async fn account_page(
    ctx: Ctx,
    state: &AppState,
    user_id: i32,
    form: Option<AccountForm>,
    errors: FormErrors,
    password_errors: FormErrors,
) -> AppResult<AccountPage> {
    let (row, regions) = run(&state.pool, move |conn| {
        Ok((m::account(conn, user_id)?, places::all_regions(conn)?))
    })
    .await?;
    let regions = region_choices(&regions, ctx.lang);
    let form = form.unwrap_or_else(|| AccountForm {
        full_name: row.full_name.clone(),
        region: regions
            .iter()
            .find(|r| Some(r.id) == row.region_id)
            .map(|r| r.code.clone())
            .unwrap_or_default(),
        school: row
            .school_id
            .map(|id| id.to_string())
            .unwrap_or_else(|| "none".to_owned()),
        category: row.category.clone().unwrap_or_default(),
        language: row.language.clone(),
    });
    let region_id = regions.iter().find(|r| r.code == form.region).map(|r| r.id);
    let schools = match region_id {
        Some(id) => run(&state.pool, move |conn| places::schools_of_region(conn, id)).await?,
        None => Vec::new(),
    };
    Ok(AccountPage {
        role_label: ctx.t(&format!("role-{}", row.role)),
        categories: category_choices(ctx.lang),
        languages: Lang::ALL,
        ctx,
        errors,
        password_errors,
        form,
        email: row.email,
        iin: row.iin.unwrap_or_default(),
        regions,
        schools,
    })
}

pub async fn account(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let page = account_page(
        ctx,
        &state,
        user.id,
        None,
        FormErrors::default(),
        FormErrors::default(),
    )
    .await?;
    render(&page)
}

pub async fn update_account(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    Posted(form): Posted<AccountForm>,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let mut errors = FormErrors::default();
    let full_name = FullName::parse(&form.full_name)
        .map_err(|e| errors.add("full_name", lang.t(e.key())))
        .ok();
    let regions = run(&state.pool, places::all_regions).await?;
    let region_id = regions.iter().find(|r| r.code == form.region).map(|r| r.id);
    // Teachers and coordinators belong to a region; an administrator may have none.
    if region_id.is_none() && !(form.region.is_empty() && user.role == Role::Admin) {
        errors.add("region", lang.t("error-region-missing"));
    }
    if user.role == Role::Coordinator && region_id != user.region_id {
        errors.add("region", lang.t("error-coordinator-region"));
    }
    let school_id = match (form.school.as_str(), region_id) {
        ("none" | "", _) => Some(None),
        (raw, Some(region)) => {
            let id = raw.parse::<i32>().unwrap_or(0);
            if run(&state.pool, move |conn| {
                places::school_in_region(conn, id, region)
            })
            .await?
            {
                Some(Some(id))
            } else {
                errors.add("school", lang.t("error-school-other-region"));
                None
            }
        }
        (_, None) => Some(None),
    };
    let category = match form.category.as_str() {
        "" if user.role != Role::Teacher => Some(None),
        raw => Category::parse(raw)
            .map(|c| Some(c.as_str().to_owned()))
            .map_err(|e| errors.add("category", lang.t(e.key())))
            .ok(),
    };
    let language = Lang::parse(&form.language);
    if language.is_none() {
        errors.add("language", lang.t("error-language-missing"));
    }
    let (Some(full_name), Some(school_id), Some(category), Some(language), true) =
        (full_name, school_id, category, language, errors.is_empty())
    else {
        let page = account_page(
            ctx,
            &state,
            user.id,
            Some(form),
            errors,
            FormErrors::default(),
        )
        .await?;
        return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let changes = AccountChanges {
        full_name: full_name.as_str().to_owned(),
        region_id,
        school_id,
        category,
        language: language.code().to_owned(),
        updated_at: now(),
    };
    run(&state.pool, move |conn| {
        m::update_account(conn, user.id, &changes)
    })
    .await?;
    Ok(see_other("/account?notice=account-saved"))
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// Asks for the current password; ends every other session and keeps this one.
pub async fn change_password(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    Posted(form): Posted<ChangePasswordForm>,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let mut errors = FormErrors::default();
    let stored = run(&state.pool, move |conn| m::account(conn, user.id)).await?;
    if form.current_password.is_empty() {
        errors.add("current_password", lang.t("error-password-missing"));
    } else if !verify_password(stored.password_hash.clone(), form.current_password).await? {
        errors.add("current_password", lang.t("error-current-password-wrong"));
    }
    let password = Password::parse(&form.new_password)
        .map_err(|e| errors.add("new_password", lang.t(e.key())))
        .ok();
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        let page = account_page(ctx, &state, user.id, None, FormErrors::default(), errors).await?;
        return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let hash = hash_password(password).await?;
    let version = run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let at = now();
            m::set_password(conn, user.id, &hash, at)?;
            tokens::revoke_all(conn, user.id, Purpose::ResetPassword, at)?;
            enqueue(conn, &password_changed_email(&stored))?;
            conn_session_version(conn, user.id)
        })
    })
    .await?;
    let token = issue_session_token(&state.settings, user.id, user.role, version)?;
    tracing::info!(user_id = user.id, "password changed");
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/account?notice=password-changed"))
        .cookie(session_cookie(&state.settings, token))
        .finish())
}

fn conn_session_version(
    conn: &mut crate::db::AnyConnection,
    user_id: i32,
) -> diesel::QueryResult<i32> {
    use crate::schema::users;
    use diesel::prelude::*;
    users::table
        .find(user_id)
        .select(users::session_version)
        .first(conn)
}

/// `/login?next=…` for a page that needs a signed-in user.
pub fn login_url(next: &str) -> String {
    format!("/login?next={}", encode_query_value(next))
}
