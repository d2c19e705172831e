//! Accounts administration: users and roles, staff-list imports.

pub mod imports;
pub mod users;
