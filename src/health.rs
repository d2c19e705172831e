//! `GET /healthz` for load balancers and monitoring.

use std::time::Duration;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;
use serde_json::json;

use crate::db;
use crate::error::RETRY_AFTER_SECONDS;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz));
}

/// 200 when the schema is up to date, a pooled connection answers a query and the database can
/// be written; 503 otherwise (`database` says which); never an error page.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    if !state.migrated.is_done() {
        return unavailable("unavailable");
    }
    let pool = state.pool.clone();
    let reachable = web::block(move || {
        let mut conn = pool.get_timeout(Duration::from_secs(2))?;
        conn.batch_execute("SELECT 1").map_err(anyhow::Error::from)
    })
    .await;
    match reachable {
        Ok(Ok(())) if !db::storage_writable(&state.settings.database_url) => {
            tracing::warn!("health check: the database's disk is full or read-only");
            unavailable("not writable")
        }
        Ok(Ok(())) => HttpResponse::Ok().json(json!({ "status": "ok", "database": "ok" })),
        Ok(Err(e)) => {
            tracing::warn!(cause = %format!("{e:#}"), "health check: database unavailable");
            unavailable("unavailable")
        }
        Err(e) => {
            tracing::warn!(cause = %e, "health check: worker failed");
            unavailable("unavailable")
        }
    }
}

fn unavailable(database: &str) -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .insert_header((header::RETRY_AFTER, RETRY_AFTER_SECONDS))
        .json(json!({ "status": "unavailable", "database": database }))
}
