//! The periodic removal of registrations whose address was never confirmed
//! (`ops::purge_unconfirmed`; also `ustaz purge-unconfirmed`).

use crate::accounts::ops;
use crate::configuration::PurgeSettings;
use crate::db::DbPool;

/// Starts the removal on the current async runtime, first one interval after start (migrations
/// are done by then), then every interval. Several instances may run it: a removal is one
/// transaction, and the second finds nothing left.
pub fn spawn(pool: DbPool, settings: PurgeSettings) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::error!("no async runtime: unconfirmed accounts are not removed");
        return;
    };
    runtime.spawn(async move {
        let start = tokio::time::Instant::now() + settings.every;
        let mut ticks = tokio::time::interval_at(start, settings.every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let pool = pool.clone();
            let removed = tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
                let mut conn = pool.get()?;
                let result = ops::purge_unconfirmed(&mut conn, settings.days);
                Ok(crate::db::checked(&mut conn, result)?)
            })
            .await;
            match removed {
                Ok(Ok(0)) => {}
                Ok(Ok(removed)) => tracing::info!(removed, "unconfirmed accounts removed"),
                Ok(Err(error)) => {
                    tracing::warn!(error = %format!("{error:#}"), "unconfirmed accounts not removed")
                }
                Err(error) => tracing::error!(%error, "the removal of unconfirmed accounts failed"),
            }
        }
    });
}
