//! Learning: enrolments, "my learning", lessons and quizzes, progress and completion.

pub mod models;
pub mod ops;
pub mod outline;
pub mod pages;
pub mod quiz;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    use pages::{learn, module};
    const PREVIEW: &str = r"/admin/courses/{id:\d+}/preview/{module_slug}";
    cfg.route("/courses/{slug}/enrol", web::post().to(learn::enrol))
        .route("/courses/{slug}/withdraw", web::post().to(learn::withdraw))
        .route("/learn", web::get().to(learn::my_learning))
        .route("/learn/{slug}/{module}", web::get().to(module::module))
        .route(
            "/learn/{slug}/{module}/complete",
            web::post().to(module::complete_lesson),
        )
        .route(
            "/learn/{slug}/{module}/quiz",
            web::post().to(module::submit_quiz),
        )
        // An administrator's preview of a course's module (the course page's is in courses).
        .route(PREVIEW, web::get().to(module::preview_module))
        .route(
            &format!("{PREVIEW}/quiz"),
            web::post().to(module::preview_quiz),
        );
}
