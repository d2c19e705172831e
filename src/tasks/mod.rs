//! Practical tasks: a teacher submits a task module (text and files, stored in the database) and
//! a reviewer (an administrator, or a tutor appointed to the course) passes it, completing the
//! module, or returns it with feedback for a new submission. The task's part of its module page
//! is built by `section`.

pub mod access;
pub mod forms;
pub mod models;
pub mod ops;
mod pages;
pub mod section;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    use pages::{review, submit};
    cfg.route(
        "/learn/{slug}/{module}/task",
        web::post().to(submit::submit),
    )
    .route(
        r"/learn/{slug}/{module}/files/{file_id:\d+}",
        web::get().to(submit::own_file),
    )
    .route("/review", web::get().to(review::queue))
    .route(r"/review/{id:\d+}", web::get().to(review::review))
    .route(r"/review/{id:\d+}", web::post().to(review::decide))
    .route(r"/review/files/{file_id:\d+}", web::get().to(review::file));
}
