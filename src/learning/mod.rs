//! Learning: enrolments, lessons and quizzes, progress and completion.

pub mod models;
