//! Learning: enrolments, lessons and quizzes, progress and completion.

pub mod handlers;
pub mod models;
pub mod quiz;
