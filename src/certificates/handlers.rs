//! Teachers' and public certificate pages: my certificates, the PDF, the signed credential, the
//! issuer's public keys and verification.

use actix_web::web;

pub fn routes(_cfg: &mut web::ServiceConfig) {}
