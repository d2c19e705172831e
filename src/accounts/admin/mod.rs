//! Accounts administration: users and roles, staff-list imports.

pub mod forms;
pub mod import;
pub mod import_forms;
pub mod import_ops;
pub mod ops;
pub mod pages;
