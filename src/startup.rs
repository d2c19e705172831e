//! Builds the HTTP server: the middleware, then each area's routes, once each.

use std::net::TcpListener;

use actix_files::Files;
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{from_fn, DefaultHeaders, ErrorHandlers};
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::configuration::Settings;
use crate::db::{build_pool, DbPool};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::{error_page, extractors, requests, security};
use crate::{accounts, audit, certificates, courses, dashboards, health, home, learning, schools};

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
        let timeouts = settings.timeouts;
        let state = web::Data::new(AppState::new(pool, settings));
        let server = HttpServer::new(move || {
            let static_dir = state.settings.static_dir.clone();
            App::new()
                .app_data(state.clone())
                // Forms that take long texts set a larger limit of their own.
                .app_data(web::PayloadConfig::new(extractors::MAX_FORM_BYTES))
                .wrap(from_fn(accounts::session::sessions))
                .wrap(from_fn(requests::refuse_control_characters))
                .wrap(ErrorHandlers::new().default_handler(error_page::render_error_page))
                .wrap(from_fn(requests::body_timeouts))
                .wrap(from_fn(security::security))
                .wrap(TracingLogger::default())
                .wrap(from_fn(requests::head_as_get))
                .configure(health::routes)
                .configure(home::routes)
                .configure(accounts::routes)
                .configure(audit::routes)
                .configure(schools::routes)
                .configure(courses::routes)
                .configure(certificates::routes)
                .configure(dashboards::routes)
                .configure(learning::routes)
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
        .client_request_timeout(timeouts.request_head)
        .client_disconnect_timeout(timeouts.disconnect)
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
