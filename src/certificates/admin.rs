//! Administrators' certificate pages: the review queue, manual issuance, the register of issued
//! certificates, revocation and reinstatement.

use actix_web::web;

pub fn routes(_cfg: &mut web::ServiceConfig) {}
