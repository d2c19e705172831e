//! Accounts: registration, email confirmation, sign-in, password reset, the account page, roles,
//! and their administration (users, staff-list imports).

pub mod admin;
pub mod device;
pub mod forms;
pub mod hashing;
pub mod limits;
pub mod models;
pub mod ops;
pub mod pages;
pub mod purge;
pub mod session;
pub mod tokens;
pub mod two_step;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    use admin::pages as users;
    use pages::{account, password, register, session as timeout, sign_in, two_step as step};
    cfg.route("/login", web::get().to(sign_in::login_form))
        .route("/login", web::post().to(sign_in::login))
        .route("/login/code", web::get().to(step::code_form))
        .route("/login/code", web::post().to(step::code))
        .route("/login/recovery", web::get().to(step::recovery_form))
        .route("/login/recovery", web::post().to(step::recovery))
        .route("/account/two-step/setup", web::get().to(step::setup_form))
        .route("/account/two-step/setup", web::post().to(step::setup))
        .route(
            "/account/two-step/recovery-codes",
            web::get().to(step::renew_form),
        )
        .route(
            "/account/two-step/recovery-codes",
            web::post().to(step::renew),
        )
        .route("/account/two-step/off", web::get().to(step::off_form))
        .route("/account/two-step/off", web::post().to(step::off))
        .route("/logout", web::post().to(sign_in::logout))
        .route(session::STATUS_PATH, web::get().to(timeout::status))
        .route("/session/extend", web::post().to(timeout::extend))
        .route("/register", web::get().to(register::register_start))
        .route("/register", web::post().to(register::register))
        .route(
            "/register/check-email",
            web::get().to(register::register_sent),
        )
        .route("/account", web::get().to(account::account))
        .route("/account", web::post().to(account::update_account))
        .route(
            "/account/password",
            web::post().to(account::change_password),
        )
        .route(
            "/account/confirm/resend",
            web::post().to(register::resend_confirmation),
        )
        .route(
            "/account/confirm/{token}",
            web::get().to(register::confirm_form),
        )
        .route(
            "/account/confirm/{token}",
            web::post().to(register::confirm),
        )
        .route("/password/forgot", web::get().to(password::forgot_form))
        .route("/password/forgot", web::post().to(password::forgot))
        .route(
            "/password/reset/{token}",
            web::get().to(password::reset_form),
        )
        .route("/password/reset/{token}", web::post().to(password::reset));
    // `{id:\d+}` leaves other paths under /admin/users (such as the import) to their own routes.
    cfg.route("/admin/users", web::get().to(users::list))
        .route(r"/admin/users/{id:\d+}", web::get().to(users::detail))
        .route(
            r"/admin/users/{id:\d+}/role",
            web::post().to(users::change_role),
        )
        .route(
            r"/admin/users/{id:\d+}/tutoring",
            web::post().to(users::save_tutoring),
        )
        .route(
            r"/admin/users/{id:\d+}/coordinator",
            web::post().to(users::appoint_coordinator),
        )
        .route(
            r"/admin/users/{id:\d+}/disable",
            web::post().to(users::disable),
        )
        .route(
            r"/admin/users/{id:\d+}/enable",
            web::post().to(users::enable),
        )
        .route(
            r"/admin/users/{id:\d+}/end-sessions",
            web::post().to(users::end_sessions),
        )
        .route(
            r"/admin/users/{id:\d+}/two-step/reset",
            web::post().to(users::reset_two_step),
        );
    cfg.route("/admin/users/import", web::get().to(admin::import::form))
        .route("/admin/users/import", web::post().to(admin::import::submit));
}
