//! Progress toward the targets. The counting rule lives in `models` and nowhere else.

pub mod admin;
pub mod cache;
pub mod handlers;
pub mod models;
pub mod regional;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    admin::targets::routes(cfg);
    handlers::routes(cfg);
    regional::routes(cfg);
}
