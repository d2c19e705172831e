//! Certificates: issuance, the PDF with its QR code, public verification, revocation and the
//! signed Open Badges 3.0 credential.

pub mod admin;
pub mod credential;
pub mod handlers;
pub mod models;
pub mod pdf;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    admin::routes(cfg);
    handlers::routes(cfg);
}
