//! The teachers import (`/admin/users/import`): a CSV file of teachers, checked line by line; if
//! every line is right, each new teacher gets an account and an email inviting them to set a
//! password.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::accounts::admin::import_forms::{check_teachers, TEACHER_COLUMNS};
use crate::accounts::admin::import_ops::{import_teachers, Invitations, TeacherImport};
use crate::db::now;
use crate::error::AppResult;
use crate::i18n::{Arg, Lang};
use crate::schools::models::{all_regions, region_choices, Region, RegionChoice};
use crate::state::AppState;
use crate::web::extractors::Admin;
use crate::web::upload::{
    conflict_if_unique, line_label, more_than_listed, ImportDonePage, ImportSubmission, ImportView,
    SkippedView, MAX_LISTED,
};
use crate::web::{render, render_with_status, run, Ctx};

#[derive(Template)]
#[template(path = "accounts/admin/import.html")]
pub struct TeacherImportPage {
    pub ctx: Ctx,
    pub import: ImportView,
    /// The chosen language of the accounts, as submitted.
    pub language: String,
    pub languages: [Lang; 3],
    pub regions: Vec<RegionChoice>,
}

impl TeacherImportPage {
    fn new(ctx: Ctx, regions: &[Region]) -> Self {
        Self {
            import: ImportView::new(ctx.lang, &TEACHER_COLUMNS, "admin-import-users-column-"),
            regions: region_choices(regions, ctx.lang),
            language: ctx.lang.code().to_owned(),
            languages: Lang::ALL,
            ctx,
        }
    }

    /// The page with what was submitted; the language of the accounts, or its error.
    fn submitted(
        ctx: Ctx,
        regions: &[Region],
        submission: &ImportSubmission,
    ) -> (Self, Option<Lang>) {
        let mut page = Self::new(ctx, regions);
        page.import.csv = submission.field("csv").to_owned();
        page.language = submission.field("language").to_owned();
        let language = Lang::parse(&page.language);
        if language.is_none() {
            let message = page.ctx.t("admin-import-error-language");
            page.import.errors.add("language", message);
        }
        (page, language)
    }

    /// "2 invited, 1 already registered", and the lines left out.
    fn done(self, invited: usize, registered: &[(u64, String)]) -> ImportDonePage {
        let lang = self.ctx.lang;
        let summary = lang.t_args(
            "admin-import-users-done",
            &[
                ("invited", Arg::from(invited as i64)),
                ("registered", Arg::from(registered.len() as i64)),
            ],
        );
        let mut page = ImportDonePage::new(
            self.ctx,
            lang.t("admin-import-users-done-title"),
            summary,
            "/admin/users/import",
            ("/admin/schools", lang.t("admin-schools-back")),
        );
        page.skipped = registered
            .iter()
            .take(MAX_LISTED)
            .map(|(line, email)| SkippedView {
                line: line_label(lang, *line),
                email: email.clone(),
            })
            .collect();
        page.more_skipped =
            more_than_listed(lang, registered.len(), "admin-import-more-registered");
        page
    }
}

pub async fn form(ctx: Ctx, _: Admin, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let regions = run(&state.pool, all_regions).await?;
    render(&TeacherImportPage::new(ctx, &regions))
}

pub async fn submit(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    submission: ImportSubmission,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let regions = run(&state.pool, all_regions).await?;
    let (mut page, language) = TeacherImportPage::submitted(ctx, &regions, &submission);
    let sheet = submission.sheet(&TEACHER_COLUMNS, lang, &mut page.import.errors);
    let (Some(sheet), Some(language)) = (sheet, language) else {
        return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let (lines, problems) = check_teachers(&sheet, &regions, lang);
    let how = Invitations {
        language,
        page_lang: lang,
        base_url: state.settings.base_url.clone(),
    };
    let outcome = run(&state.pool, move |conn| {
        import_teachers(conn, &lines, problems, &how, now())
    })
    .await
    .map_err(conflict_if_unique)?;
    match outcome {
        TeacherImport::Refused(problems) => {
            page.import.refuse(lang, &problems);
            render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        TeacherImport::Done {
            invited,
            registered,
        } => {
            tracing::info!(
                admin_id = admin.id,
                invited,
                already_registered = registered.len(),
                "teachers imported"
            );
            render(&page.done(invited, &registered))
        }
    }
}
