//! Administration: users and roles, the audit log, schools, bulk imports.

pub mod audit;
pub mod courses;
pub mod imports;
pub mod schools;
pub mod targets;
pub mod users;
