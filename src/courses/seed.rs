//! The starter courses (`ustaz seed-courses`): real lessons in inclusive education, shipped in the
//! binary as JSON under `src/courses/seed/`.

use chrono::NaiveDateTime;
use serde::Deserialize;

use super::models::{self, CourseFields, ModuleFields};
use crate::db::{self, AnyConnection};
use crate::domain::CourseStatus;

const FILES: [&str; 5] = [
    include_str!("seed/foundations-of-inclusive-education-kk.json"),
    include_str!("seed/foundations-of-inclusive-education-ru.json"),
    include_str!("seed/foundations-of-inclusive-education-en.json"),
    include_str!("seed/supporting-learners-with-sen-ru.json"),
    include_str!("seed/supporting-learners-with-sen-en.json"),
];

#[derive(Debug, Deserialize)]
pub struct SeedCourse {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub language: String,
    pub hours: i32,
    pub competency_area: String,
    pub audience: Vec<String>,
    pub counts_toward_target: bool,
    pub certificate_mode: String,
    pub modules: Vec<SeedModule>,
}

#[derive(Debug, Deserialize)]
pub struct SeedModule {
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub required: bool,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub video_url: Option<String>,
    #[serde(default)]
    pub transcript: Option<String>,
    #[serde(default)]
    pub pass_mark: Option<i32>,
    #[serde(default)]
    pub questions: Vec<SeedQuestion>,
}

#[derive(Debug, Deserialize)]
pub struct SeedQuestion {
    pub prompt: String,
    pub multiple: bool,
    pub options: Vec<SeedOption>,
}

#[derive(Debug, Deserialize)]
pub struct SeedOption {
    pub label: String,
    pub correct: bool,
}

pub fn starter_courses() -> anyhow::Result<Vec<SeedCourse>> {
    FILES
        .iter()
        .map(|text| {
            serde_json::from_str(text).map_err(|e| anyhow::anyhow!("bad starter course JSON: {e}"))
        })
        .collect()
}

/// Installs each starter course that is not there yet (by slug), published. Returns the slugs added.
pub fn install(conn: &mut AnyConnection, now: NaiveDateTime) -> anyhow::Result<Vec<String>> {
    let mut added = Vec::new();
    for course in starter_courses()? {
        if models::course_by_slug(conn, &course.slug)?.is_some() {
            continue;
        }
        db::transaction(conn, |conn| -> anyhow::Result<()> {
            let fields = CourseFields {
                slug: course.slug.clone(),
                title: course.title.clone(),
                summary: course.summary.clone(),
                description: course.description.clone(),
                language: course.language.clone(),
                hours: course.hours,
                competency_area: course.competency_area.clone(),
                counts_toward_target: course.counts_toward_target,
                certificate_mode: course.certificate_mode.clone(),
                sequential: false,
                updated_at: now,
            };
            let audience: Vec<&str> = course.audience.iter().map(String::as_str).collect();
            let course_id = models::create_course(conn, &fields, &audience)?;
            for module in &course.modules {
                let fields = ModuleFields {
                    title: module.title.clone(),
                    slug: module.slug.clone(),
                    body_markdown: module.body.clone(),
                    video_url: module.video_url.clone(),
                    transcript: module.transcript.clone(),
                    pass_mark: module.pass_mark,
                    required: module.required,
                    updated_at: now,
                };
                let module_id = models::add_module(conn, course_id, &module.kind, &fields)?;
                for question in &module.questions {
                    let options: Vec<(String, bool)> = question
                        .options
                        .iter()
                        .map(|o| (o.label.clone(), o.correct))
                        .collect();
                    models::add_question(
                        conn,
                        module_id,
                        &question.prompt,
                        question.multiple,
                        "",
                        &options,
                    )?;
                }
            }
            models::set_status(conn, course_id, CourseStatus::Published, now)?;
            Ok(())
        })?;
        added.push(course.slug);
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::courses::markdown::images_without_alt;
    use crate::domain::ModuleKind;

    fn kind(module: &SeedModule) -> Option<ModuleKind> {
        ModuleKind::parse(&module.kind)
    }

    #[test]
    fn starter_courses_are_complete_and_well_formed() {
        let courses = starter_courses().expect("valid JSON");
        assert_eq!(courses.len(), 5);
        for lang in ["kk", "ru", "en"] {
            assert!(
                courses.iter().any(|c| c.language == lang),
                "a course in {lang}"
            );
        }
        for course in &courses {
            let lessons = course
                .modules
                .iter()
                .filter(|m| kind(m) == Some(ModuleKind::Lesson))
                .count();
            assert!(
                (4..=6).contains(&lessons),
                "{}: {lessons} lessons",
                course.slug
            );
            let quizzes: Vec<_> = course
                .modules
                .iter()
                .filter(|m| kind(m) == Some(ModuleKind::Quiz))
                .collect();
            assert!(!quizzes.is_empty(), "{} has a quiz", course.slug);
            for module in &course.modules {
                assert!(
                    images_without_alt(&module.body).is_empty(),
                    "{}/{}",
                    course.slug,
                    module.slug
                );
                if kind(module) == Some(ModuleKind::Lesson) {
                    assert!(
                        module.body.split_whitespace().count() > 400,
                        "{}/{} has substance",
                        course.slug,
                        module.slug
                    );
                }
            }
            for quiz in quizzes {
                assert!(quiz.pass_mark.is_some());
                for q in &quiz.questions {
                    let correct = q.options.iter().filter(|o| o.correct).count();
                    assert!(correct >= 1, "{}: {}", course.slug, q.prompt);
                    if !q.multiple {
                        assert_eq!(correct, 1, "{}: {}", course.slug, q.prompt);
                    }
                }
            }
        }
    }
}
