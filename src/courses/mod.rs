//! Courses: authoring, the catalogue, Markdown lessons and the starter content.

pub mod admin;
pub mod markdown;
pub mod models;
pub mod seed;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    admin::courses::routes(cfg);
}
