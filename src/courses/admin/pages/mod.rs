//! Course authoring pages: the course list, form and page with its workflow (`courses`), the
//! module forms with their quiz questions and task rubrics (`modules`), and a rubric's
//! criterion form (`rubric`). What they share is here.

pub mod courses;
pub mod modules;
pub mod rubric;

use crate::web::Notices;

/// The confirmations the authoring pages show after a redirect (`?done=…`).
const NOTICES: Notices = &[
    ("created", "admin-courses-done-created"),
    ("saved", "admin-courses-done-saved"),
    ("published", "admin-courses-done-published"),
    ("archived", "admin-courses-done-archived"),
    ("draft", "admin-courses-done-draft"),
    ("module-added", "admin-courses-done-module-added"),
    ("module-saved", "admin-courses-done-module-saved"),
    ("module-deleted", "admin-courses-done-module-deleted"),
    ("module-archived", "admin-courses-done-module-archived"),
    ("moved", "admin-courses-done-moved"),
    ("question-added", "admin-courses-done-question-added"),
    ("question-saved", "admin-courses-done-question-saved"),
    ("question-deleted", "admin-courses-done-question-deleted"),
    ("question-moved", "admin-courses-done-question-moved"),
    ("criterion-added", "admin-courses-done-criterion-added"),
    ("criterion-saved", "admin-courses-done-criterion-saved"),
    ("criterion-removed", "admin-courses-done-criterion-removed"),
    ("criterion-moved", "admin-courses-done-criterion-moved"),
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_notice_is_translated() {
        crate::i18n::assert_translated(super::NOTICES.iter().map(|(_, key)| *key));
    }
}
