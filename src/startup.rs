//! Builds the HTTP server: the middleware, then each area's routes, once each; and stops it
//! gracefully on SIGTERM or SIGINT, the mail worker with it.

use std::net::TcpListener;

use actix_files::Files;
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{from_fn, DefaultHeaders, ErrorHandlers};
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::configuration::Settings;
use crate::db::{build_pool, DbPool, Migrated};
use crate::error::AppError;
use crate::mail::{MailWorker, StopMail};
use crate::state::AppState;
use crate::telemetry::RequestSpan;
use crate::web::{error_page, extractors, readiness, requests, security};
use crate::{
    accounts, audit, certificates, courses, dashboards, health, home, learning, schools, tasks,
};

pub struct Application {
    port: u16,
    server: Server,
    mail: Option<MailWorker>,
}

impl Application {
    /// Binds `settings.bind` (port 0 picks a free port) and builds the server; the database is
    /// connected lazily, so the site starts even when it is unreachable.
    pub fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = build_pool(&settings.database_url, settings.db_pool_size);
        Self::build_with_pool(settings, pool)
    }

    /// Like `build`, for `serve`: the site answers at once (503 while the database cannot be
    /// reached) and applies pending migrations as soon as it can.
    pub fn build_migrating(settings: Settings) -> anyhow::Result<Self> {
        let pool = build_pool(&settings.database_url, settings.db_pool_size);
        let migrated = Migrated::in_background(settings.database_url.clone());
        Self::build_on(settings, pool, migrated)
    }

    pub fn build_with_pool(settings: Settings, pool: DbPool) -> anyhow::Result<Self> {
        Self::build_on(settings, pool, Migrated::already())
    }

    fn build_on(mut settings: Settings, pool: DbPool, migrated: Migrated) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
        let address = listener.local_addr()?;
        // With port 0 the default base URL names the port actually bound.
        if settings.base_url == format!("http://{}", settings.bind) {
            settings.base_url = format!("http://{address}");
        }
        tracing::info!(%address, base_url = %settings.base_url, "listening");
        let mail = crate::mail::spawn_worker(pool.clone(), settings.clone());
        let stop_mail = mail.as_ref().map(MailWorker::stopper);
        accounts::purge::spawn(pool.clone(), settings.purge);
        let timeouts = settings.timeouts;
        let state = web::Data::new(AppState {
            migrated,
            ..AppState::new(pool, settings)
        });
        let server = HttpServer::new(move || {
            let static_dir = state.settings.static_dir.clone();
            App::new()
                .app_data(state.clone())
                // Forms that take long texts set a larger limit of their own.
                .app_data(web::PayloadConfig::new(extractors::MAX_FORM_BYTES))
                // Inside the sessions middleware: it reads the user that one loaded.
                .wrap(from_fn(accounts::two_step::gate::gate))
                .wrap(from_fn(accounts::session::sessions))
                .wrap(from_fn(readiness::until_migrated))
                .wrap(from_fn(requests::refuse_control_characters))
                .wrap(ErrorHandlers::new().default_handler(error_page::render_error_page))
                .wrap(from_fn(requests::body_timeouts))
                .wrap(from_fn(security::security))
                .wrap(TracingLogger::<RequestSpan>::new())
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
                .configure(tasks::routes)
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
        .shutdown_signal(stop_requested(stop_mail))
        .client_request_timeout(timeouts.request_head)
        .client_disconnect_timeout(timeouts.disconnect)
        .listen(listener)?
        .run();
        Ok(Self {
            port: address.port(),
            server,
            mail,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM or SIGINT, then lets the requests in progress finish and waits (at most
    /// `mail::SHUTDOWN_WAIT`) for the mail worker to record the message it is sending.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(mail) = self.mail {
            mail.shut_down().await;
        }
        tracing::info!("stopped");
        served
    }
}

/// Resolves on the first SIGTERM or SIGINT (Ctrl-C elsewhere than Unix). The server then accepts
/// no more connections and finishes the requests it has; at the same moment the mail worker stops
/// claiming messages.
async fn stop_requested(stop_mail: Option<StopMail>) {
    let signal = termination_signal().await;
    tracing::info!(signal, "shutting down");
    if let Some(stop_mail) = stop_mail {
        stop_mail.stop();
    }
}

#[cfg(unix)]
async fn termination_signal() -> &'static str {
    use actix_web::rt::signal::unix::{signal, SignalKind};
    use futures_util::future::{select, Either};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => {
            match select(std::pin::pin!(term.recv()), std::pin::pin!(int.recv())).await {
                Either::Left(_) => "SIGTERM",
                Either::Right(_) => "SIGINT",
            }
        }
        (Err(error), _) | (_, Err(error)) => {
            tracing::error!(%error, "cannot listen for SIGTERM and SIGINT");
            std::future::pending().await
        }
    }
}

#[cfg(not(unix))]
async fn termination_signal() -> &'static str {
    match actix_web::rt::signal::ctrl_c().await {
        Ok(()) => "Ctrl-C",
        Err(error) => {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending().await
        }
    }
}
