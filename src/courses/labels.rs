//! How a course's stored codes read to teachers: its language, competency area and audience.
//! Shared by the catalogue and the course page.

use crate::courses::models::Course;
use crate::domain::Category;
use crate::i18n::Lang;

/// A course language by its own name ("Қазақша"), or its code when this version does not know it.
pub fn language_name(code: &str) -> String {
    Lang::parse(code)
        .map(|l| l.native_name().to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// A course's competency area in `lang`, or its code when unknown.
pub fn area_label(lang: Lang, course: &Course) -> String {
    match course.competency_area() {
        Some(area) => lang.t(area.label_key()),
        None => course.competency_area.clone(),
    }
}

/// The teacher categories a course is for, in `lang` (unknown codes as they are).
pub fn audience_labels(lang: Lang, audience: &[String]) -> Vec<String> {
    audience
        .iter()
        .map(|a| match Category::parse(a) {
            Ok(c) => lang.t(c.label_key()),
            Err(_) => a.clone(),
        })
        .collect()
}
