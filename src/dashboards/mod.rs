//! Progress toward the targets: the national and regional dashboards, their downloads,
//! reminders to stalled teachers, and the targets' administration. The counting rule lives in
//! `models` and nowhere else.

pub mod admin;
pub mod cache;
pub mod forms;
pub mod models;
pub mod ops;
pub mod pages;

use actix_web::web;

use admin::pages as targets;
use pages::{downloads, national, regional};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/dashboard", web::get().to(national::national))
        .route(
            r"/dashboard/{table:regions|trend|categories|courses}.{format:csv|xlsx}",
            web::get().to(downloads::national_table),
        )
        .route(
            "/dashboard/regions/{code}",
            web::get().to(regional::dashboard),
        )
        .route(
            "/dashboard/regions/{code}/reminders",
            web::post().to(regional::remind),
        )
        .route(
            "/dashboard/regions/{code}/schools/export",
            web::get().to(downloads::region_schools),
        )
        .route(
            "/dashboard/regions/{code}/teachers/export",
            web::get().to(downloads::region_teachers),
        )
        .route("/admin/targets", web::get().to(targets::list))
        .route("/admin/targets/new", web::get().to(targets::new_form))
        .route("/admin/targets/new", web::post().to(targets::create))
        .route(
            r"/admin/targets/{id:\d+}/edit",
            web::get().to(targets::edit_form),
        )
        .route(
            r"/admin/targets/{id:\d+}/edit",
            web::post().to(targets::update),
        )
        .route(
            r"/admin/targets/{id:\d+}/delete",
            web::get().to(targets::delete_form),
        )
        .route(
            r"/admin/targets/{id:\d+}/delete",
            web::post().to(targets::delete),
        );
}
