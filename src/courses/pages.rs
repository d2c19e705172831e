//! The catalogue of published courses and a course's page, as teachers (and visitors) see them;
//! an administrator's preview shows the same course page for a course in any status.

use actix_web::{web, HttpResponse};
use askama::Template;
use diesel::QueryResult;
use serde::Deserialize;

use crate::courses::markdown::to_safe_html;
use crate::courses::models::{self, Course, Module};
use crate::db::AnyConnection;
use crate::domain::{Category, CompetencyArea, EnrolmentStatus, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::learning::models::{self as learning, Enrolment, ModuleProgress};
use crate::learning::outline::{self, bar, module_rows, next_to_take, progress_text, ModuleRow};
use crate::state::AppState;
use crate::web::extractors::{Admin, CurrentUser};
use crate::web::{render, run, Ctx};

fn language_name(code: &str) -> String {
    Lang::parse(code)
        .map(|l| l.native_name().to_owned())
        .unwrap_or_else(|| code.to_owned())
}

fn area_label(lang: Lang, course: &Course) -> String {
    match course.competency_area() {
        Some(area) => lang.t(area.label_key()),
        None => course.competency_area.clone(),
    }
}

fn audience_labels(lang: Lang, audience: &[String]) -> Vec<String> {
    audience
        .iter()
        .map(|a| match Category::parse(a) {
            Ok(c) => lang.t(c.label_key()),
            Err(_) => a.clone(),
        })
        .collect()
}

// ---- The catalogue ----------------------------------------------------------------------------

/// A choice in a filter's select box.
pub struct Choice {
    pub value: String,
    pub label: String,
}

pub struct CourseCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub language: String,
    pub hours: i32,
    pub modules: i64,
    pub audience: Vec<String>,
    pub counts_toward_target: bool,
}

#[derive(Template)]
#[template(path = "courses/catalogue.html")]
pub struct CataloguePage {
    pub ctx: Ctx,
    pub cards: Vec<CourseCard>,
    pub q: String,
    pub category: String,
    pub language: String,
    pub area: String,
    pub categories: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub areas: Vec<Choice>,
    pub filtered: bool,
    pub count_text: String,
}

#[derive(Deserialize, Default)]
pub struct CatalogueQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    area: String,
}

/// The catalogue's filters, trimmed; an empty one lets every course through.
struct Filter {
    needle: String,
    category: String,
    language: String,
    area: String,
}

impl Filter {
    fn of(query: &CatalogueQuery) -> Self {
        Self {
            needle: query.q.trim().to_lowercase(),
            category: query.category.trim().to_owned(),
            language: query.language.trim().to_owned(),
            area: query.area.trim().to_owned(),
        }
    }

    fn is_empty(&self) -> bool {
        self.needle.is_empty()
            && self.category.is_empty()
            && self.language.is_empty()
            && self.area.is_empty()
    }

    fn lets_through(&self, course: &Course, audience: Option<&Vec<String>>) -> bool {
        (self.language.is_empty() || course.language == self.language)
            && (self.area.is_empty() || course.competency_area == self.area)
            && (self.category.is_empty() || audience.is_some_and(|a| a.contains(&self.category)))
            && (self.needle.is_empty()
                || course.title.to_lowercase().contains(&self.needle)
                || course.summary.to_lowercase().contains(&self.needle))
    }
}

/// What the catalogue is built from: the published courses, their module counts and audiences.
type Published = (
    Vec<Course>,
    std::collections::HashMap<i32, i64>,
    std::collections::HashMap<i32, Vec<String>>,
);

impl CataloguePage {
    fn new(ctx: Ctx, query: &CatalogueQuery, (published, counts, audiences): Published) -> Self {
        let lang = ctx.lang;
        let filter = Filter::of(query);
        let cards = published
            .into_iter()
            .filter(|c| filter.lets_through(c, audiences.get(&c.id)))
            .map(|c| CourseCard {
                modules: counts.get(&c.id).copied().unwrap_or(0),
                audience: audience_labels(lang, audiences.get(&c.id).map_or(&[], |a| a)),
                language: language_name(&c.language),
                slug: c.slug,
                title: c.title,
                summary: c.summary,
                hours: c.hours,
                counts_toward_target: c.counts_toward_target,
            })
            .collect::<Vec<_>>();
        Self {
            count_text: lang.t_args(
                "catalogue-count",
                &[("count", Arg::from(cards.len() as i64))],
            ),
            categories: Category::ALL
                .iter()
                .map(|c| Choice {
                    value: c.as_str().to_owned(),
                    label: lang.t(c.label_key()),
                })
                .collect(),
            languages: Lang::ALL
                .iter()
                .map(|l| Choice {
                    value: l.code().to_owned(),
                    label: l.native_name().to_owned(),
                })
                .collect(),
            areas: CompetencyArea::ALL
                .iter()
                .map(|a| Choice {
                    value: a.as_str().to_owned(),
                    label: lang.t(a.label_key()),
                })
                .collect(),
            filtered: !filter.is_empty(),
            ctx,
            cards,
            q: query.q.trim().to_owned(),
            category: filter.category,
            language: filter.language,
            area: filter.area,
        }
    }
}

pub async fn catalogue(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<CatalogueQuery>,
) -> AppResult<HttpResponse> {
    let published = run(&state.pool, |conn| {
        let published = models::published_courses(conn)?;
        let ids: Vec<i32> = published.iter().map(|c| c.id).collect();
        let counts = models::module_counts(conn, &ids)?;
        let audiences = models::audiences(conn, &ids)?;
        Ok((published, counts, audiences))
    })
    .await?;
    render(&CataloguePage::new(ctx, &query, published))
}

// ---- A course ---------------------------------------------------------------------------------

/// Where the visitor stands with a course, which decides what the course page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Anonymous,
    Unconfirmed,
    NotTeacher,
    CanEnrol,
    Active,
    Completed,
    Withdrawn,
}

fn standing(user: Option<&CurrentUser>, enrolment: Option<&Enrolment>) -> Standing {
    let status = enrolment.map(Enrolment::status);
    match (user, status) {
        (None, _) => Standing::Anonymous,
        (Some(u), _) if u.role != Role::Teacher => Standing::NotTeacher,
        (Some(_), Some(EnrolmentStatus::Completed)) => Standing::Completed,
        (Some(_), Some(EnrolmentStatus::Active)) => Standing::Active,
        (Some(u), _) if !u.email_verified => Standing::Unconfirmed,
        (Some(_), Some(_)) => Standing::Withdrawn,
        (Some(_), None) => Standing::CanEnrol,
    }
}

#[derive(Template)]
#[template(path = "courses/course.html")]
pub struct CoursePage {
    pub ctx: Ctx,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description_html: String,
    pub language: String,
    pub hours: i32,
    pub area: String,
    pub audience: Vec<String>,
    pub counts_toward_target: bool,
    pub modules: Vec<ModuleRow>,
    pub standing: Standing,
    pub done: i64,
    pub required: i64,
    pub bar: i64,
    pub next_module: Option<String>,
    pub completed_on: String,
    pub sign_in_link: String,
    pub progress_text: String,
    /// Set when an administrator previews a course (its id): links stay inside the preview and
    /// nothing can be submitted.
    pub preview: Option<i32>,
}

impl CoursePage {
    fn module_href(&self, module: &str) -> String {
        outline::module_href(self.preview, &self.slug, module)
    }
}

/// What a course page is built from.
struct CourseData {
    course: Course,
    modules: Vec<Module>,
    audience: Vec<String>,
    enrolment: Option<Enrolment>,
    progress: Vec<ModuleProgress>,
    counts: (i64, i64),
}

impl CourseData {
    /// A published course by slug with the user's enrolment and progress; None for a course
    /// teachers may not see (drafts, archived courses).
    fn published(
        conn: &mut AnyConnection,
        slug: &str,
        user_id: Option<i32>,
    ) -> QueryResult<Option<Self>> {
        let Some(course) = models::published_course_by_slug(conn, slug)? else {
            return Ok(None);
        };
        let enrolment = match user_id {
            Some(id) => learning::enrolment(conn, id, course.id)?,
            None => None,
        };
        let (progress, counts) = match &enrolment {
            Some(e) => (
                learning::progress_of(conn, e.id)?,
                learning::required_progress(conn, e.id, course.id)?,
            ),
            None => (vec![], (0, 0)),
        };
        Ok(Some(Self {
            modules: models::modules_of(conn, course.id, false)?,
            audience: models::audience_of(conn, course.id)?,
            course,
            enrolment,
            progress,
            counts,
        }))
    }

    /// A course in any status, as a teacher about to enrol sees it.
    fn preview(conn: &mut AnyConnection, id: i32) -> QueryResult<Self> {
        let course = models::course_by_id(conn, id)?;
        let modules = models::modules_of(conn, id, false)?;
        let required = modules.iter().filter(|m| m.required).count() as i64;
        Ok(Self {
            audience: models::audience_of(conn, id)?,
            course,
            modules,
            enrolment: None,
            progress: vec![],
            counts: (0, required),
        })
    }
}

fn course_page(ctx: Ctx, data: CourseData, preview: Option<i32>) -> CoursePage {
    let CourseData {
        course,
        modules,
        audience,
        enrolment,
        progress,
        counts: (done, required),
    } = data;
    let lang = ctx.lang;
    // A preview shows the page an eligible teacher sees before enrolling.
    let standing = match preview {
        Some(_) => Standing::CanEnrol,
        None => standing(ctx.user.as_ref(), enrolment.as_ref()),
    };
    CoursePage {
        description_html: to_safe_html(&course.description),
        language: language_name(&course.language),
        area: area_label(lang, &course),
        audience: audience_labels(lang, &audience),
        modules: module_rows(&modules, &progress, 0),
        next_module: next_to_take(&modules, &progress)
            .or(modules.first())
            .map(|m| m.slug.clone()),
        completed_on: enrolment
            .as_ref()
            .and_then(|e| e.completed_at)
            .map(|d| lang.date(d.date()))
            .unwrap_or_default(),
        sign_in_link: format!("/login?next={}", outline::course_path(&course.slug)),
        progress_text: progress_text(lang, done, required),
        standing,
        done,
        required,
        bar: bar(done, required),
        counts_toward_target: course.counts_toward_target,
        hours: course.hours,
        slug: course.slug,
        title: course.title,
        summary: course.summary,
        preview,
        ctx,
    }
}

pub async fn course(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let slug = path.into_inner();
    let user_id = ctx.user.as_ref().map(|u| u.id);
    let data = run(&state.pool, move |conn| {
        CourseData::published(conn, &slug, user_id)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    render(&course_page(ctx, data, None))
}

/// `/admin/courses/{id}/preview`: the course page as a teacher who may enrol sees it, whatever
/// the course's status.
pub async fn preview(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let data = run(&state.pool, move |conn| CourseData::preview(conn, id)).await?;
    render(&course_page(ctx, data, Some(id)))
}
