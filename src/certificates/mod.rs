//! Certificates: issuance, the PDF with its QR code, public verification, revocation and the
//! signed Open Badges 3.0 credential.

pub mod admin;
pub mod credential;
pub mod evidence;
pub mod forms;
pub mod limits;
pub mod models;
pub mod ops;
pub mod pages;
pub mod pdf;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    use admin::{completion, detail, issue, queue, register};
    // `queue` and `new` come before `{serial}`, which answers 404 to anything not shaped like one.
    cfg.route("/admin/certificates", web::get().to(register::register))
        .route("/admin/certificates/queue", web::get().to(queue::queue))
        .route(
            "/admin/certificates/queue",
            web::post().to(queue::issue_queued),
        )
        .route(
            r"/admin/certificates/queue/{id:\d+}",
            web::get().to(completion::completion),
        )
        .route(
            r"/admin/certificates/queue/{id:\d+}/issue",
            web::post().to(completion::issue),
        )
        .route(
            r"/admin/certificates/queue/{id:\d+}/return",
            web::post().to(completion::return_to_teacher),
        )
        .route("/admin/certificates/new", web::get().to(issue::new_form))
        .route("/admin/certificates/new", web::post().to(issue::create))
        .route(
            "/admin/certificates/{serial}",
            web::get().to(detail::detail),
        )
        .route(
            "/admin/certificates/{serial}/revoke",
            web::post().to(detail::revoke),
        )
        .route(
            "/admin/certificates/{serial}/reinstate",
            web::post().to(detail::reinstate),
        );
    cfg.route("/certificates", web::get().to(pages::my_certificates))
        .route(
            "/certificates/{serial}.pdf",
            web::get().to(pages::certificate_pdf),
        )
        .route(
            "/certificates/{serial}/credential.jwt",
            web::get().to(pages::certificate_credential),
        )
        .route("/.well-known/jwks.json", web::get().to(pages::jwks))
        .route("/verify", web::get().to(pages::verify_form))
        .route("/verify/{code}", web::get().to(pages::verify))
        .route("/verify/{code}/status", web::get().to(pages::verify_status));
}
