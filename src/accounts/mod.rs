//! Accounts: users, roles and regions.

pub mod models;
