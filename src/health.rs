//! `GET /healthz` for load balancers and monitoring.

use std::time::Duration;

use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;
use serde_json::json;

use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz));
}

/// 200 when a pooled connection answers a query, 503 otherwise; never an error page.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let reachable = web::block(move || {
        let mut conn = pool.get_timeout(Duration::from_secs(2))?;
        conn.batch_execute("SELECT 1").map_err(anyhow::Error::from)
    })
    .await;
    match reachable {
        Ok(Ok(())) => HttpResponse::Ok().json(json!({ "status": "ok", "database": "ok" })),
        Ok(Err(e)) => {
            tracing::warn!(cause = %format!("{e:#}"), "health check: database unavailable");
            unavailable()
        }
        Err(e) => {
            tracing::warn!(cause = %e, "health check: worker failed");
            unavailable()
        }
    }
}

fn unavailable() -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .json(json!({ "status": "unavailable", "database": "unavailable" }))
}
