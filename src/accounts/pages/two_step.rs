//! The pages of two-step sign-in: the code after the password (or a recovery code instead),
//! setting up an authenticator (at the first sign-in, or from the account page), new recovery
//! codes, and turning it off where it is optional.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::accounts::models::SessionUser;
use crate::accounts::two_step::flow::{
    pending_user, sign_in_cookies, signed_in, signed_in_ctx, target, CODE_PATH, HOME,
    SETUP_PATH as SETUP,
};
use crate::accounts::two_step::forms::{CodeForm, RecoveryForm, SetupForm};
use crate::accounts::two_step::models::{has_factor, recovery_codes_left};
use crate::accounts::two_step::ops::{self, Checked};
use crate::accounts::two_step::{
    self as factor, grouped, may_use, new_secret, otpauth_url, pending_removal, qr_path,
    secret_base32, unix_now, Keys, FEW_RECOVERY_CODES,
};
use crate::db::now;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::state::AppState;
use crate::web::extractors::{current_user, CurrentUser, Posted, SignedIn};
use crate::web::{encode_query_value, local_path, render, render_with_status, run, see_other};
use crate::web::{with_cookies, Ctx, FormErrors};

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

impl NextQuery {
    fn next(&self) -> String {
        local_path(self.next.as_deref().unwrap_or(""))
            .unwrap_or("")
            .to_owned()
    }
}

/// The form's errors for a code (or recovery code) in `field` that was not accepted, and the
/// status to answer with.
fn not_accepted(lang: Lang, field: &'static str, checked: Checked) -> (FormErrors, StatusCode) {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    match checked {
        Checked::Locked(until) => {
            let minutes = ((until - now()).num_seconds() + 59) / 60;
            let args = [("minutes", Arg::from(minutes.max(1)))];
            let message = lang.t_args("two-step-error-locked", &args);
            (
                FormErrors::one(field, message),
                StatusCode::TOO_MANY_REQUESTS,
            )
        }
        Checked::Replayed => (
            FormErrors::one(field, lang.t("two-step-error-code-used")),
            unprocessable,
        ),
        _ if field == "recovery_code" => (
            FormErrors::one(field, lang.t("two-step-error-recovery-wrong")),
            unprocessable,
        ),
        _ => (
            FormErrors::one(field, lang.t("two-step-error-code-wrong")),
            unprocessable,
        ),
    }
}

/// Back to the password: the pending sign-in is missing, expired or no longer holds.
fn start_again(state: &AppState) -> HttpResponse {
    let mut response = see_other("/login");
    let _ = response.add_cookie(&pending_removal(&state.settings));
    response
}

/// The pending sign-in of a user with an authenticator; otherwise where they should be.
async fn pending_with_factor(
    req: &HttpRequest,
    state: &AppState,
    next: &str,
) -> AppResult<Result<SessionUser, HttpResponse>> {
    let Some(user) = pending_user(req, state).await? else {
        return Ok(Err(start_again(state)));
    };
    let user_id = user.id;
    if run(&state.pool, move |conn| has_factor(conn, user_id)).await? {
        Ok(Ok(user))
    } else {
        let setup = format!("{}?next={}", SETUP, encode_query_value(next));
        Ok(Err(see_other(setup)))
    }
}

// ---- The second step: a code ----------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/two_step/code.html")]
pub struct CodePage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub next: String,
    pub recovery_href: String,
}

impl CodePage {
    fn new(ctx: Ctx, next: &str) -> Self {
        let next = local_path(next).unwrap_or("").to_owned();
        Self {
            ctx,
            errors: FormErrors::default(),
            recovery_href: format!("/login/recovery?next={}", encode_query_value(&next)),
            next,
        }
    }

    fn refused(mut self, (errors, status): (FormErrors, StatusCode)) -> AppResult<HttpResponse> {
        self.errors = errors;
        render_with_status(&self, status)
    }
}

/// A second step's form (`page` made from the context and `next`), for a pending sign-in with
/// an authenticator.
async fn step_form<P: Template>(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
    page: fn(Ctx, &str) -> P,
) -> AppResult<HttpResponse> {
    let next = query.next();
    if let Err(elsewhere) = pending_with_factor(&req, &state, &next).await? {
        return Ok(elsewhere);
    }
    render(&page(ctx, &next))
}

pub async fn code_form(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> AppResult<HttpResponse> {
    step_form(req, ctx, state, query, CodePage::new).await
}

pub async fn code(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<CodeForm>,
) -> AppResult<HttpResponse> {
    let user = match pending_with_factor(&req, &state, &form.next).await? {
        Ok(user) => user,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let page = CodePage::new(ctx, &form.next);
    let lang = page.ctx.lang;
    let code = match form.parse(lang) {
        Ok(code) => code,
        Err(errors) => return page.refused((errors, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    let (keys, user_id) = (Keys::new(&state.settings), user.id);
    let checked = run(&state.pool, move |conn| {
        ops::check_code(conn, &keys, user_id, &code, unix_now())
    })
    .await?;
    match checked {
        Checked::Accepted { .. } => Ok(signed_in(&state, &user, &target(&page.next))?.response()),
        Checked::NoFactor => Ok(start_again(&state)),
        refused => page.refused(not_accepted(lang, "code", refused)),
    }
}

// ---- A recovery code instead ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/two_step/recovery.html")]
pub struct RecoveryPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub next: String,
    pub code_href: String,
}

impl RecoveryPage {
    fn new(ctx: Ctx, next: &str) -> Self {
        let next = local_path(next).unwrap_or("").to_owned();
        Self {
            ctx,
            errors: FormErrors::default(),
            code_href: format!("{CODE_PATH}?next={}", encode_query_value(&next)),
            next,
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/two_step/recovery_used.html")]
pub struct RecoveryUsedPage {
    pub ctx: Ctx,
    pub left_text: String,
    pub few: bool,
    pub continue_href: String,
}

pub async fn recovery_form(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> AppResult<HttpResponse> {
    step_form(req, ctx, state, query, RecoveryPage::new).await
}

pub async fn recovery(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<RecoveryForm>,
) -> AppResult<HttpResponse> {
    let user = match pending_with_factor(&req, &state, &form.next).await? {
        Ok(user) => user,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let mut page = RecoveryPage::new(ctx, &form.next);
    let lang = page.ctx.lang;
    let code = match form.parse(lang) {
        Ok(code) => code,
        Err(errors) => {
            page.errors = errors;
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (keys, user_id) = (Keys::new(&state.settings), user.id);
    let checked = run(&state.pool, move |conn| {
        ops::use_recovery_code(conn, &keys, user_id, &code)
    })
    .await?;
    let left = match checked {
        Checked::Accepted {
            recovery_codes_left,
        } => recovery_codes_left,
        Checked::NoFactor => return Ok(start_again(&state)),
        refused => {
            let (errors, status) = not_accepted(lang, "recovery_code", refused);
            page.errors = errors;
            return render_with_status(&page, status);
        }
    };
    tracing::info!(user_id, left, "signed in with a recovery code");
    let cookies = sign_in_cookies(&state, &user)?;
    let ctx = signed_in_ctx(&req, &user);
    let used = RecoveryUsedPage {
        left_text: ctx
            .lang
            .t_args("two-step-recovery-left", &[("count", Arg::from(left))]),
        few: left <= FEW_RECOVERY_CODES,
        continue_href: target(&page.next),
        ctx,
    };
    with_cookies(render(&used)?, &cookies)
}

// ---- Setting up -----------------------------------------------------------------------------

/// Who is setting up an authenticator: a signed-in coordinator or administrator, or a pending
/// sign-in (the right password, where a factor is required and they have none yet).
enum Enrolling {
    Signed(CurrentUser),
    Pending(SessionUser),
}

impl Enrolling {
    fn id(&self) -> i32 {
        match self {
            Enrolling::Signed(u) => u.id,
            Enrolling::Pending(u) => u.id,
        }
    }

    fn email(&self) -> &str {
        match self {
            Enrolling::Signed(u) => &u.email,
            Enrolling::Pending(u) => &u.email,
        }
    }
}

async fn enrolling(req: &HttpRequest, state: &AppState) -> AppResult<Enrolling> {
    if let Some(user) = current_user(req) {
        if !may_use(user.role) {
            tracing::warn!(
                user_id = user.id,
                "access denied: two-step set-up is for staff"
            );
            return Err(AppError::Forbidden);
        }
        return Ok(Enrolling::Signed(user));
    }
    match pending_user(req, state).await? {
        Some(user) => Ok(Enrolling::Pending(user)),
        None => Err(AppError::Unauthorized),
    }
}

#[derive(Template)]
#[template(path = "accounts/two_step/setup.html")]
pub struct SetupPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub next: String,
    /// The secret in base32 (carried back by the form) and as shown, in groups of four.
    pub secret: String,
    pub secret_grouped: String,
    pub otpauth: String,
    pub qr_path: String,
    pub qr_size: usize,
    pub signing_in: bool,
}

impl SetupPage {
    fn new(ctx: Ctx, who: &Enrolling, secret: &[u8], next: &str) -> Self {
        let base32 = secret_base32(secret);
        let otpauth = otpauth_url(secret, who.email());
        let (qr_path, qr_size) = qr_path(&otpauth).unwrap_or_default();
        Self {
            ctx,
            errors: FormErrors::default(),
            next: local_path(next).unwrap_or("").to_owned(),
            secret_grouped: grouped(&base32),
            secret: base32,
            otpauth,
            qr_path,
            qr_size,
            signing_in: matches!(who, Enrolling::Pending(_)),
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/two_step/codes.html")]
pub struct RecoveryCodesPage {
    pub ctx: Ctx,
    pub codes: Vec<String>,
    /// Just set up (the page says two-step sign-in is on), or new codes.
    pub first_time: bool,
    pub continue_href: String,
}

/// Where someone who already has an authenticator goes instead of the set-up.
fn already_set_up(who: &Enrolling, next: &str) -> HttpResponse {
    match who {
        Enrolling::Signed(_) => see_other(HOME),
        Enrolling::Pending(_) => {
            see_other(format!("{CODE_PATH}?next={}", encode_query_value(next)))
        }
    }
}

pub async fn setup_form(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> AppResult<HttpResponse> {
    let who = enrolling(&req, &state).await?;
    let next = query.next();
    let user_id = who.id();
    if run(&state.pool, move |conn| has_factor(conn, user_id)).await? {
        return Ok(already_set_up(&who, &next));
    }
    render(&SetupPage::new(ctx, &who, &new_secret(), &next))
}

pub async fn setup(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    Posted(form): Posted<SetupForm>,
) -> AppResult<HttpResponse> {
    let who = enrolling(&req, &state).await?;
    let lang = ctx.lang;
    let (secret, code) = form.parse(lang);
    let shown = secret.clone().unwrap_or_else(new_secret);
    let refuse = |errors: FormErrors| {
        let mut page = SetupPage::new(ctx.clone(), &who, &shown, &form.next);
        page.errors = errors;
        render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let (Some(secret), code) = (secret, code) else {
        return refuse(FormErrors::one("code", lang.t("two-step-error-setup-new")));
    };
    let code = match code {
        Ok(code) => code,
        Err(errors) => return refuse(errors),
    };
    let Some(step) = factor::matching_step(&secret, &code, unix_now()) else {
        return refuse(FormErrors::one(
            "code",
            lang.t("two-step-error-setup-wrong"),
        ));
    };
    let (keys, user_id) = (Keys::new(&state.settings), who.id());
    let enabled = run(&state.pool, move |conn| {
        ops::enable(conn, &keys, user_id, &secret, step)
    })
    .await?;
    let Some(codes) = enabled else {
        return Ok(already_set_up(&who, &form.next));
    };
    tracing::info!(user_id, "two-step sign-in set up");
    match who {
        Enrolling::Signed(_) => render(&RecoveryCodesPage {
            ctx,
            codes,
            first_time: true,
            continue_href: HOME.to_owned(),
        }),
        Enrolling::Pending(user) => {
            let cookies = sign_in_cookies(&state, &user)?;
            let page = RecoveryCodesPage {
                ctx: signed_in_ctx(&req, &user),
                codes,
                first_time: true,
                continue_href: target(&form.next),
            };
            with_cookies(render(&page)?, &cookies)
        }
    }
}

// ---- New recovery codes, turning it off ------------------------------------------------------

/// A signed-in user's check of a current code before a change to their second factor.
async fn current_code(
    state: &AppState,
    user: &CurrentUser,
    form: &CodeForm,
    lang: Lang,
) -> AppResult<Result<(), (FormErrors, StatusCode)>> {
    let code = match form.parse(lang) {
        Ok(code) => code,
        Err(errors) => return Ok(Err((errors, StatusCode::UNPROCESSABLE_ENTITY))),
    };
    let (keys, user_id) = (Keys::new(&state.settings), user.id);
    let checked = run(&state.pool, move |conn| {
        ops::check_code(conn, &keys, user_id, &code, unix_now())
    })
    .await?;
    Ok(match checked {
        Checked::Accepted { .. } => Ok(()),
        refused => Err(not_accepted(lang, "code", refused)),
    })
}

/// The signed-in staff member's unused recovery codes, or None when they have no authenticator.
async fn codes_left(state: &AppState, user: &CurrentUser) -> AppResult<Option<i64>> {
    if !may_use(user.role) {
        tracing::warn!(
            user_id = user.id,
            "access denied: two-step sign-in is for staff"
        );
        return Err(AppError::Forbidden);
    }
    let user_id = user.id;
    run(&state.pool, move |conn| {
        if has_factor(conn, user_id)? {
            recovery_codes_left(conn, user_id).map(Some)
        } else {
            Ok(None)
        }
    })
    .await
}

#[derive(Template)]
#[template(path = "accounts/two_step/renew.html")]
pub struct RenewPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub left_text: String,
    pub few: bool,
}

impl RenewPage {
    fn new(ctx: Ctx, left: i64, errors: FormErrors) -> Self {
        Self {
            left_text: ctx
                .lang
                .t_args("two-step-recovery-left", &[("count", Arg::from(left))]),
            few: left <= FEW_RECOVERY_CODES,
            ctx,
            errors,
        }
    }
}

pub async fn renew_form(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    match codes_left(&state, &user).await? {
        Some(left) => render(&RenewPage::new(ctx, left, FormErrors::default())),
        None => Ok(see_other(HOME)),
    }
}

pub async fn renew(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    Posted(form): Posted<CodeForm>,
) -> AppResult<HttpResponse> {
    let Some(left) = codes_left(&state, &user).await? else {
        return Ok(see_other(HOME));
    };
    if let Err((errors, status)) = current_code(&state, &user, &form, ctx.lang).await? {
        return render_with_status(&RenewPage::new(ctx, left, errors), status);
    }
    let (keys, user_id) = (Keys::new(&state.settings), user.id);
    let codes = run(&state.pool, move |conn| {
        ops::renew_recovery_codes(conn, &keys, user_id)
    })
    .await?;
    tracing::info!(user_id, "new recovery codes");
    render(&RecoveryCodesPage {
        ctx,
        codes,
        first_time: false,
        continue_href: HOME.to_owned(),
    })
}

#[derive(Template)]
#[template(path = "accounts/two_step/off.html")]
pub struct OffPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
}

/// Turning it off is for those to whom it is optional, with an authenticator to turn off.
async fn may_turn_off(state: &AppState, user: &CurrentUser) -> AppResult<bool> {
    let has = codes_left(state, user).await?.is_some();
    if has && state.settings.staff_two_step.required_for(user.role) {
        tracing::warn!(
            user_id = user.id,
            "access denied: two-step sign-in is required"
        );
        return Err(AppError::Forbidden);
    }
    Ok(has)
}

pub async fn off_form(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if !may_turn_off(&state, &user).await? {
        return Ok(see_other(HOME));
    }
    render(&OffPage {
        ctx,
        errors: FormErrors::default(),
    })
}

pub async fn off(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    Posted(form): Posted<CodeForm>,
) -> AppResult<HttpResponse> {
    if !may_turn_off(&state, &user).await? {
        return Ok(see_other(HOME));
    }
    if let Err((errors, status)) = current_code(&state, &user, &form, ctx.lang).await? {
        return render_with_status(&OffPage { ctx, errors }, status);
    }
    let user_id = user.id;
    run(&state.pool, move |conn| ops::disable(conn, user_id)).await?;
    tracing::info!(user_id, "two-step sign-in turned off");
    Ok(see_other(format!("{HOME}?done=two-step-off")))
}
