//! Accounts: registration, email confirmation, sign-in, password reset, the account page, roles.

pub mod handlers;
pub mod models;
pub mod session;
pub mod tokens;
