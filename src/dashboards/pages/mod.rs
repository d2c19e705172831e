//! The dashboards' pages and downloads. Shared here: reading the national view the filters
//! describe, and the region a path names if the visitor may see it.

pub mod chart;
pub mod downloads;
pub mod headline;
pub mod national;
pub mod regional;

use std::sync::Arc;

use actix_web::web;
use chrono::NaiveDate;

use super::forms::Filters;
use super::models::national::{national_figures, NationalFigures};
use super::models::target::targets_national_first;
use super::models::{current_national_target, Scope, Target};
use crate::domain::Category;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::policy::may_see_region;
use crate::schools::models::{region_by_code, Region};
use crate::state::AppState;
use crate::web::extractors::CurrentUser;
use crate::web::run;

/// The national view the filters describe, with its (cached) figures.
pub struct NationalView {
    pub scope: Scope,
    /// Every target, national ones first (the filter's choices).
    pub targets: Vec<Target>,
    pub figures: Arc<NationalFigures>,
}

/// 404 without a national target.
async fn load_national(
    state: &web::Data<AppState>,
    filters: &Filters,
    today: NaiveDate,
) -> AppResult<NationalView> {
    let filters = filters.clone();
    let state = state.clone();
    run(&state.pool.clone(), move |conn| {
        let Some(national) = current_national_target(conn, today)? else {
            return Ok(None);
        };
        let targets = targets_national_first(conn)?;
        let scope = filters.scope(&targets, &national);
        let figures = national_figures(conn, &state.national_figures, &scope)?;
        Ok(Some(NationalView {
            scope,
            targets,
            figures,
        }))
    })
    .await?
    .ok_or(AppError::NotFound)
}

/// The region of the path, if this user may see it: 404 for an unknown code, else 403 (logged).
async fn authorised_region(state: &AppState, user: &CurrentUser, code: &str) -> AppResult<Region> {
    let code = code.to_owned();
    let region = run(&state.pool, move |conn| region_by_code(conn, &code))
        .await?
        .ok_or(AppError::NotFound)?;
    if may_see_region(user, region.id) {
        Ok(region)
    } else {
        tracing::warn!(
            user_id = user.id,
            role = %user.role,
            region = %region.code,
            "access denied: another region's dashboard"
        );
        Err(AppError::Forbidden)
    }
}

/// A teaching category's name (the stored code itself if it is none known).
fn category_name(lang: Lang, code: &str) -> String {
    Category::parse(code)
        .map(|c| lang.t(c.label_key()))
        .unwrap_or_else(|_| code.to_owned())
}

/// A teacher's teaching category as the list shows it (blank when none is known).
fn category_label(lang: Lang, category: Option<&str>) -> String {
    category
        .and_then(|c| Category::parse(c).ok())
        .map(|c| lang.t(c.label_key()))
        .unwrap_or_default()
}

/// "Yes" or "No", as the schools' inclusive column shows it.
fn yes_no(lang: Lang, yes: bool) -> String {
    lang.t(if yes { "regional-yes" } else { "regional-no" })
}
