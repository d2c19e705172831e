//! The administration of schools: the list, the add and edit forms, and the CSV import.

pub mod import;
pub mod pages;
