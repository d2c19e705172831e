//! Accounts administration: users and roles, staff-list imports.

pub mod forms;
pub mod imports;
pub mod ops;
pub mod pages;
