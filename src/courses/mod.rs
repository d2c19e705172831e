//! Courses: the catalogue, authoring (courses, modules, quiz questions, the publishing
//! workflow), Markdown lessons and the starter content. A course's page and its preview, the
//! course as a teacher walks it, are the learning area's.

pub mod admin;
pub mod labels;
pub mod markdown;
pub mod models;
pub mod ops;
pub mod pages;
pub mod seed;

use actix_web::{guard, web};

use crate::web::extractors::long_text_form;

pub fn routes(cfg: &mut web::ServiceConfig) {
    use admin::pages::{courses as c, modules as m, rubric as r};
    const COURSE: &str = r"/admin/courses/{id:\d+}";
    const MODULE: &str = r"/admin/courses/{id:\d+}/modules/{module_id:\d+}";
    let at = |suffix: &str| format!("{COURSE}{suffix}");
    let module_at = |suffix: &str| format!("{MODULE}{suffix}");
    // The course and module forms carry long texts: a larger body limit than other forms.
    let long_texts = |path: &str, handler: actix_web::Route| {
        web::resource(path.to_owned())
            .guard(guard::Post())
            .app_data(long_text_form())
            .route(handler)
    };
    cfg.route("/courses", web::get().to(pages::catalogue))
        .route("/admin/courses", web::get().to(c::list))
        .route("/admin/courses/new", web::get().to(c::new_course_form))
        .service(long_texts(
            "/admin/courses/new",
            web::post().to(c::create_course),
        ))
        .route(COURSE, web::get().to(c::detail))
        .route(&at("/edit"), web::get().to(c::edit_course_form))
        .service(long_texts(&at("/edit"), web::post().to(c::update_course)))
        .route(
            &at("/{action:publish|archive|draft}"),
            web::post().to(c::change_status),
        )
        .route(&at("/modules/new"), web::get().to(m::new_module_form))
        .service(long_texts(
            &at("/modules/new"),
            web::post().to(m::create_module),
        ))
        .route(&module_at("/edit"), web::get().to(m::edit_module_form))
        .service(long_texts(
            &module_at("/edit"),
            web::post().to(m::update_module),
        ))
        .route(
            &module_at("/{direction:up|down}"),
            web::post().to(m::move_module),
        )
        .route(&module_at("/remove"), web::post().to(m::remove_module))
        .route(&module_at("/questions"), web::post().to(m::add_question))
        .route(
            &module_at(r"/questions/{question_id:\d+}/edit"),
            web::get().to(m::edit_question_form),
        )
        .route(
            &module_at(r"/questions/{question_id:\d+}/edit"),
            web::post().to(m::update_question),
        )
        .route(
            &module_at(r"/questions/{question_id:\d+}/delete"),
            web::post().to(m::delete_question),
        )
        .route(
            &module_at(r"/questions/{question_id:\d+}/{direction:up|down}"),
            web::post().to(m::move_question),
        )
        .route(&module_at("/criteria"), web::post().to(m::add_criterion))
        .route(
            &module_at(r"/criteria/{criterion_id:\d+}/edit"),
            web::get().to(r::edit_criterion_form),
        )
        .route(
            &module_at(r"/criteria/{criterion_id:\d+}/edit"),
            web::post().to(r::update_criterion),
        )
        .route(
            &module_at(r"/criteria/{criterion_id:\d+}/delete"),
            web::post().to(m::remove_criterion),
        )
        .route(
            &module_at(r"/criteria/{criterion_id:\d+}/{direction:up|down}"),
            web::post().to(m::move_criterion),
        );
}
