//! Regions and schools.

pub mod admin;
pub mod models;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    admin::schools::routes(cfg);
}
