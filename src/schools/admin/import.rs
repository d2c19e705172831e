//! The schools import (`/admin/schools/import`): a CSV file of schools, checked line by line,
//! then saved in one transaction.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::db::now;
use crate::error::AppResult;
use crate::i18n::Arg;
use crate::schools::forms::{check_schools, SCHOOL_COLUMNS};
use crate::schools::models::{all_regions, region_choices, Region, RegionChoice};
use crate::schools::ops::{import_schools, SchoolCounts};
use crate::state::AppState;
use crate::web::extractors::Admin;
use crate::web::upload::{conflict_if_unique, ImportDonePage, ImportSubmission, ImportView};
use crate::web::{render, render_with_status, run, Ctx};

#[derive(Template)]
#[template(path = "schools/admin/import.html")]
pub struct SchoolImportPage {
    pub ctx: Ctx,
    pub import: ImportView,
    pub regions: Vec<RegionChoice>,
}

impl SchoolImportPage {
    fn new(ctx: Ctx, regions: &[Region]) -> Self {
        Self {
            import: ImportView::new(ctx.lang, &SCHOOL_COLUMNS, "admin-import-schools-column-"),
            regions: region_choices(regions, ctx.lang),
            ctx,
        }
    }

    /// "3 added, 1 updated, 0 unchanged."
    fn done(self, counts: SchoolCounts) -> ImportDonePage {
        let lang = self.ctx.lang;
        let summary = lang.t_args(
            "admin-import-schools-done",
            &[
                ("added", Arg::from(counts.added as i64)),
                ("updated", Arg::from(counts.updated as i64)),
                ("unchanged", Arg::from(counts.unchanged as i64)),
            ],
        );
        ImportDonePage::new(
            self.ctx,
            lang.t("admin-import-schools-done-title"),
            summary,
            "/admin/schools/import",
            ("/admin/schools", lang.t("admin-schools-back")),
        )
    }
}

pub async fn form(ctx: Ctx, _: Admin, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let regions = run(&state.pool, all_regions).await?;
    render(&SchoolImportPage::new(ctx, &regions))
}

pub async fn submit(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    submission: ImportSubmission,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let regions = run(&state.pool, all_regions).await?;
    let mut page = SchoolImportPage::new(ctx, &regions);
    page.import.csv = submission.field("csv").to_owned();
    let Some(sheet) = submission.sheet(&SCHOOL_COLUMNS, lang, &mut page.import.errors) else {
        return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let (lines, problems) = check_schools(&sheet, &regions, lang);
    if !problems.is_empty() {
        page.import.refuse(lang, &problems);
        return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let counts = run(&state.pool, move |conn| import_schools(conn, &lines, now()))
        .await
        .map_err(conflict_if_unique)?;
    tracing::info!(
        admin_id = admin.id,
        added = counts.added,
        updated = counts.updated,
        unchanged = counts.unchanged,
        "schools imported"
    );
    render(&page.done(counts))
}
