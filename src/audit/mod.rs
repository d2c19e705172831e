//! The audit log: who changed what, and when. Every area records its changes through
//! `models::record`, inside the change's own transaction; administrators read `/admin/audit`.

pub mod admin;
pub mod models;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/audit", web::get().to(admin::audit_log));
}
