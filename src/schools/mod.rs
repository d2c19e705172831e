//! Regions and schools.

pub mod admin;
pub mod forms;
pub mod models;
pub mod ops;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    use admin::{import, pages};
    cfg.route("/admin/schools", web::get().to(pages::list))
        .route("/admin/schools/new", web::get().to(pages::new_form))
        .route("/admin/schools/new", web::post().to(pages::create))
        .route(
            r"/admin/schools/{id:\d+}/edit",
            web::get().to(pages::edit_form),
        )
        .route(
            r"/admin/schools/{id:\d+}/edit",
            web::post().to(pages::update),
        )
        .route("/admin/schools/import", web::get().to(import::form))
        .route("/admin/schools/import", web::post().to(import::submit));
}
