//! Courses: authoring, the catalogue, Markdown lessons and the starter content.

pub mod markdown;
pub mod models;
pub mod seed;
