//! Ustaz: professional-development courses in inclusive education for teachers.

pub mod accounts;
pub mod audit;
pub mod certificates;
pub mod configuration;
pub mod courses;
pub mod dashboards;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod health;
pub mod home;
pub mod i18n;
pub mod learning;
pub mod mail;
pub mod policy;
pub mod schema;
pub mod schools;
pub mod startup;
pub mod state;
pub mod tasks;
pub mod telemetry;
pub mod web;
