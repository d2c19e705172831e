//! Black-box tests through HTTP (and the command line), each against a fresh database: a temporary
//! SQLite file, or a fresh PostgreSQL database when `TEST_DATABASE_URL` is set.

mod access;
mod accounts;
mod admin_certificates;
mod admin_courses;
mod admin_schools;
mod admin_targets;
mod admin_users;
mod certificate_pages;
mod certificates;
mod cli;
mod concurrency;
mod dashboards;
mod dashboards_regional;
mod database;
mod demo;
mod edit_conflicts;
mod errors;
mod fixtures;
mod hardening;
mod health;
mod helpers;
mod home;
mod learning;
mod mail;
mod mail_shutdown;
mod outage;
mod password_hashing;
mod schema;
mod secrets_at_rest;
mod security;
mod smtp;
mod tokens;
