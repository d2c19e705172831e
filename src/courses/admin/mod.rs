//! Course authoring: the forms and the pages (its URLs are in `courses`).

pub mod forms;
pub mod pages;
