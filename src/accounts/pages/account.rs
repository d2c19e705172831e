//! The account page: the user's details and a new password.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::accounts::forms::{category_choices, role_label, AccountForm, ChangePasswordForm};
use crate::accounts::models::{self as m, AccountRow};
use crate::accounts::ops;
use crate::accounts::session::{issue_session_token, see_other_with, session_cookie};
use crate::accounts::two_step;
use crate::domain::Role;
use crate::error::AppResult;
use crate::i18n::{Arg, Lang};
use crate::schools::models::{self as places, region_choices, RegionChoice, SchoolOption};
use crate::state::AppState;
use crate::web::extractors::{Posted, SignedIn};
use crate::web::{render, render_with_status, run, see_other, Ctx, FormErrors, Notices};

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
    /// The two-step sign-in section (staff only).
    pub two_step: Option<TwoStepView>,
}

/// What the account page says of the user's second factor.
pub struct TwoStepView {
    /// "On since …", or empty when it is off.
    pub on_since: String,
    pub codes_left: String,
    pub few_codes: bool,
    /// Whether the user may turn it off (it is optional for them).
    pub may_turn_off: bool,
}

/// Confirmations of the account page's two-step section (`?done=…`).
const TWO_STEP_DONE: Notices = &[("two-step-off", "two-step-done-off")];

/// The section for staff: whether it is on, and the recovery codes left.
async fn two_step_view(
    state: &AppState,
    lang: Lang,
    user_id: i32,
    role: Option<Role>,
) -> AppResult<Option<TwoStepView>> {
    let Some(role) = role.filter(|&r| two_step::may_use(r)) else {
        return Ok(None);
    };
    let (since, left) = run(&state.pool, move |conn| {
        two_step::models::status(conn, user_id)
    })
    .await?;
    Ok(Some(TwoStepView {
        on_since: since
            .map(|at| {
                lang.t_args(
                    "account-two-step-on",
                    &[("date", Arg::from(lang.date(at.date())))],
                )
            })
            .unwrap_or_default(),
        codes_left: lang.t_args("two-step-recovery-left", &[("count", Arg::from(left))]),
        few_codes: left <= two_step::FEW_RECOVERY_CODES,
        may_turn_off: !state.settings.staff_two_step.required_for(role),
    }))
}

/// The form as the account stands.
fn form_of(row: &AccountRow, regions: &[RegionChoice]) -> AccountForm {
    AccountForm {
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
    }
}

impl AccountPage {
    /// The page with `form` as submitted (or the account's own values) and the forms' errors.
    async fn load(
        ctx: Ctx,
        state: &AppState,
        user_id: i32,
        form: Option<AccountForm>,
        errors: FormErrors,
        password_errors: FormErrors,
    ) -> AppResult<Self> {
        let (row, regions) = run(&state.pool, move |conn| {
            Ok((m::account(conn, user_id)?, places::all_regions(conn)?))
        })
        .await?;
        let regions = region_choices(&regions, ctx.lang);
        let form = form.unwrap_or_else(|| form_of(&row, &regions));
        let region_id = regions.iter().find(|r| r.code == form.region).map(|r| r.id);
        let schools = match region_id {
            Some(id) => run(&state.pool, move |conn| places::schools_of_region(conn, id)).await?,
            None => Vec::new(),
        };
        let role_label = row
            .role()
            .map(|role| role_label(ctx.lang, role))
            .unwrap_or_default();
        let two_step = two_step_view(state, ctx.lang, user_id, row.role()).await?;
        Ok(AccountPage {
            two_step,
            role_label,
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

    fn refused(&self) -> AppResult<HttpResponse> {
        render_with_status(self, StatusCode::UNPROCESSABLE_ENTITY)
    }
}

pub async fn account(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let none = FormErrors::default;
    let ctx = ctx.with_done(TWO_STEP_DONE);
    render(&AccountPage::load(ctx, &state, user.id, None, none(), none()).await?)
}

pub async fn update_account(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    Posted(form): Posted<AccountForm>,
) -> AppResult<HttpResponse> {
    let regions = run(&state.pool, places::all_regions).await?;
    let school_in_region = match (form.school_id(), form.region_id(&regions)) {
        (Some(school), Some(region)) => {
            run(&state.pool, move |conn| {
                places::school_in_region(conn, school, region)
            })
            .await?
        }
        _ => true,
    };
    let changes = match form.parse(ctx.lang, &user, &regions, school_in_region) {
        Ok(changes) => changes,
        Err(errors) => {
            let page = AccountPage::load(ctx, &state, user.id, Some(form), errors, <_>::default());
            return page.await?.refused();
        }
    };
    run(&state.pool, move |conn| {
        m::update_account(conn, user.id, &changes)
    })
    .await?;
    Ok(see_other("/account?notice=account-saved"))
}

/// Asks for the current password; ends every other session and keeps this one.
pub async fn change_password(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    Posted(form): Posted<ChangePasswordForm>,
) -> AppResult<HttpResponse> {
    let stored = run(&state.pool, move |conn| m::account(conn, user.id)).await?;
    let current_matches = match form.current_password.is_empty() {
        true => None,
        false => Some(
            state
                .hashing
                .verify(stored.password_hash.clone(), form.current_password.clone())
                .await?,
        ),
    };
    let password = match form.parse(ctx.lang, current_matches) {
        Ok(password) => password,
        Err(errors) => {
            let page = AccountPage::load(ctx, &state, user.id, None, <_>::default(), errors);
            return page.await?.refused();
        }
    };
    let hash = state.hashing.hash(password).await?;
    let version = run(&state.pool, move |conn| {
        ops::change_password(conn, &stored, &hash)
    })
    .await?;
    let token = issue_session_token(&state.settings, user.id, user.role, version)?;
    tracing::info!(user_id = user.id, "password changed");
    Ok(see_other_with(
        "/account?notice=password-changed",
        session_cookie(&state.settings, token),
    ))
}
