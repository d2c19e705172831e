//! Learning: a course as a teacher walks it. Its page, enrolment, "my learning", lessons and
//! quizzes, progress and completion; and an administrator's preview of the course and its
//! modules (the same pages, for a course in any status, recording nothing).

pub mod attempts;
pub mod models;
pub mod ops;
pub mod outline;
pub mod pages;
pub mod quiz;
pub mod rules;
pub mod visit;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    use pages::{attempt, course, learn, module};
    const PREVIEW: &str = r"/admin/courses/{id:\d+}/preview";
    cfg.route("/courses/{slug}", web::get().to(course::course))
        .route("/courses/{slug}/enrol", web::post().to(learn::enrol))
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
        .route(
            r"/learn/{slug}/{module}/attempts/{id:\d+}",
            web::get().to(attempt::attempt),
        )
        // An administrator's preview: the course page, its modules, a quiz graded unrecorded.
        .route(PREVIEW, web::get().to(course::preview))
        .route(
            &format!("{PREVIEW}/{{module_slug}}"),
            web::get().to(module::preview_module),
        )
        .route(
            &format!("{PREVIEW}/{{module_slug}}/quiz"),
            web::post().to(module::preview_quiz),
        );
}
