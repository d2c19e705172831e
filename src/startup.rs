//! Builds the HTTP server: routes, middleware, shared state.

use std::net::TcpListener;

use actix_files::Files;
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{from_fn, DefaultHeaders, ErrorHandlers};
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::accounts::handlers as accounts;
use crate::accounts::session;
use crate::certificates::handlers::VerifyLimiter;
use crate::configuration::Settings;
use crate::dashboards::cache::Cache;
use crate::dashboards::handlers::NationalFigures;
use crate::dashboards::regional::RegionFigures;
use crate::db::{build_pool, DbPool};
use crate::error::AppError;
use crate::learning::handlers as learning;
use crate::{admin, health, home, web as site};

pub struct AppState {
    pub pool: DbPool,
    pub settings: Settings,
    /// Shared by every worker thread: the factory below runs once per worker.
    pub verify_limiter: VerifyLimiter,
    /// The national dashboard's figures per view, valid while the data version stands.
    pub national_figures: Cache<NationalFigures>,
    /// The same for each region's dashboard.
    pub region_figures: Cache<RegionFigures>,
    /// Teachers who count toward each target (the home page, `/admin/targets`).
    pub trained: Cache<i64>,
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Binds `settings.bind` (port 0 picks a free port) and builds the server; the database is
    /// connected lazily, so the site starts even when it is unreachable.
    pub fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = build_pool(&settings.database_url, settings.db_pool_size);
        Self::build_with_pool(settings, pool)
    }

    pub fn build_with_pool(mut settings: Settings, pool: DbPool) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
        let address = listener.local_addr()?;
        // With port 0 the default base URL names the port actually bound.
        if settings.base_url == format!("http://{}", settings.bind) {
            settings.base_url = format!("http://{address}");
        }
        tracing::info!(%address, base_url = %settings.base_url, "listening");
        crate::mail::spawn_worker(pool.clone(), settings.clone());
        let state = web::Data::new(AppState {
            verify_limiter: VerifyLimiter::new(settings.verify_rate_per_minute),
            national_figures: Cache::default(),
            region_figures: Cache::default(),
            trained: Cache::default(),
            pool,
            settings,
        });
        let server = HttpServer::new(move || {
            let static_dir = state.settings.static_dir.clone();
            App::new()
                .app_data(state.clone())
                .app_data(web::FormConfig::default().limit(256 * 1024))
                .wrap(from_fn(session::sessions))
                .wrap(ErrorHandlers::new().default_handler(site::render_error_page))
                .wrap(from_fn(site::security))
                .wrap(TracingLogger::default())
                .route("/healthz", web::get().to(health::healthz))
                .route("/", web::get().to(home::home))
                .route("/language", web::post().to(home::switch_language))
                .route("/login", web::get().to(accounts::login_form))
                .route("/login", web::post().to(accounts::login))
                .route("/logout", web::post().to(accounts::logout))
                .route("/register", web::get().to(accounts::register_start))
                .route("/register", web::post().to(accounts::register))
                .route("/account", web::get().to(accounts::account))
                .route("/account", web::post().to(accounts::update_account))
                .route(
                    "/account/password",
                    web::post().to(accounts::change_password),
                )
                .route(
                    "/account/confirm/resend",
                    web::post().to(accounts::resend_confirmation),
                )
                .route(
                    "/account/confirm/{token}",
                    web::get().to(accounts::confirm_form),
                )
                .route(
                    "/account/confirm/{token}",
                    web::post().to(accounts::confirm),
                )
                .route("/password/forgot", web::get().to(accounts::forgot_form))
                .route("/password/forgot", web::post().to(accounts::forgot))
                .route(
                    "/password/reset/{token}",
                    web::get().to(accounts::reset_form),
                )
                .route("/password/reset/{token}", web::post().to(accounts::reset))
                .configure(admin::users::routes)
                .configure(admin::audit::routes)
                .configure(admin::schools::routes)
                .configure(admin::courses::routes)
                .configure(admin::targets::routes)
                .configure(crate::certificates::admin::routes)
                .configure(crate::certificates::handlers::routes)
                .configure(crate::dashboards::handlers::routes)
                .configure(crate::dashboards::regional::routes)
                // The catalogue and the teacher's learning.
                .route("/courses", web::get().to(learning::catalogue))
                .route("/courses/{slug}", web::get().to(learning::course))
                .route("/courses/{slug}/enrol", web::post().to(learning::enrol))
                .route(
                    "/courses/{slug}/withdraw",
                    web::post().to(learning::withdraw),
                )
                .route("/learn", web::get().to(learning::my_learning))
                .route("/learn/{slug}/{module}", web::get().to(learning::module))
                .route(
                    "/learn/{slug}/{module}/complete",
                    web::post().to(learning::complete_lesson),
                )
                .route(
                    "/learn/{slug}/{module}/quiz",
                    web::post().to(learning::submit_quiz),
                )
                .service(
                    web::scope("/static")
                        .wrap(
                            DefaultHeaders::new()
                                .add((header::CACHE_CONTROL, "public, max-age=86400")),
                        )
                        .service(Files::new("", static_dir)),
                )
                .default_service(web::to(|| async {
                    Err::<actix_web::HttpResponse, _>(AppError::NotFound)
                }))
        })
        .listen(listener)?
        .run();
        Ok(Self {
            port: address.port(),
            server,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
