//! The catalogue of published courses, as teachers (and visitors) see it. A course's own page,
//! with the teacher's enrolment and progress, is the learning area's.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::courses::labels::{audience_labels, language_name};
use crate::courses::models::{self, Course};
use crate::domain::{Category, CompetencyArea};
use crate::error::AppResult;
use crate::i18n::{Arg, Lang};
use crate::state::AppState;
use crate::web::{render, run, Ctx};

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
