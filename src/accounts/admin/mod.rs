//! Accounts administration: users and roles, staff-list imports.

pub mod import;
pub mod import_forms;
pub mod import_ops;
pub mod users;
