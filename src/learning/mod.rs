//! Learning: the catalogue, enrolments, lessons and quizzes, progress and completion.

pub mod handlers;
pub mod models;
pub mod quiz;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    use handlers as h;
    cfg.route("/courses", web::get().to(h::catalogue))
        .route("/courses/{slug}", web::get().to(h::course))
        .route("/courses/{slug}/enrol", web::post().to(h::enrol))
        .route("/courses/{slug}/withdraw", web::post().to(h::withdraw))
        .route("/learn", web::get().to(h::my_learning))
        .route("/learn/{slug}/{module}", web::get().to(h::module))
        .route(
            "/learn/{slug}/{module}/complete",
            web::post().to(h::complete_lesson),
        )
        .route(
            "/learn/{slug}/{module}/quiz",
            web::post().to(h::submit_quiz),
        );
}
