//! Accounts: registration, email confirmation, sign-in, password reset, the account page, roles,
//! and their administration (users, staff-list imports).

pub mod admin;
pub mod handlers;
pub mod models;
pub mod session;
pub mod tokens;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    use handlers as h;
    cfg.route("/login", web::get().to(h::login_form))
        .route("/login", web::post().to(h::login))
        .route("/logout", web::post().to(h::logout))
        .route("/register", web::get().to(h::register_start))
        .route("/register", web::post().to(h::register))
        .route("/account", web::get().to(h::account))
        .route("/account", web::post().to(h::update_account))
        .route("/account/password", web::post().to(h::change_password))
        .route(
            "/account/confirm/resend",
            web::post().to(h::resend_confirmation),
        )
        .route("/account/confirm/{token}", web::get().to(h::confirm_form))
        .route("/account/confirm/{token}", web::post().to(h::confirm))
        .route("/password/forgot", web::get().to(h::forgot_form))
        .route("/password/forgot", web::post().to(h::forgot))
        .route("/password/reset/{token}", web::get().to(h::reset_form))
        .route("/password/reset/{token}", web::post().to(h::reset));
    admin::users::routes(cfg);
    cfg.route("/admin/users/import", web::get().to(admin::import::form))
        .route("/admin/users/import", web::post().to(admin::import::submit));
}
