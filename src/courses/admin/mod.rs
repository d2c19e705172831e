//! Course authoring: the forms, the queries only authoring uses, and the pages (its URLs are in
//! `courses`).

pub mod forms;
pub mod models;
pub mod pages;
