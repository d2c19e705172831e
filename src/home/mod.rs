//! The home page with live national progress, and the language switch.

mod pages;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(pages::home))
        .route("/language", web::post().to(pages::switch_language));
}
