//! The state every request shares: the pool, the settings, and the process-wide caches and limits.
//! It sits below every area (areas import it; it imports no page), as crates.io keeps `App` apart
//! from its router.

use crate::accounts::hashing::Hashing;
use crate::certificates::limits::VerifyLimiter;
use crate::configuration::Settings;
use crate::dashboards::cache::Cache;
use crate::dashboards::models::national::NationalFigures;
use crate::dashboards::models::regional::RegionFigures;
use crate::db::{DbPool, Migrated};

pub struct AppState {
    pub pool: DbPool,
    pub settings: Settings,
    /// Until it is done, pages answer 503 (`web::readiness`).
    pub migrated: Migrated,
    /// Shared by every worker thread: the server's app factory runs once per worker.
    pub verify_limiter: VerifyLimiter,
    /// Password hashing and checking, a few at a time (see `crate::accounts::hashing`).
    pub hashing: Hashing,
    /// The national dashboard's figures per view, valid while the data version stands.
    pub national_figures: Cache<NationalFigures>,
    /// The same for each region's dashboard.
    pub region_figures: Cache<RegionFigures>,
    /// Teachers who count toward each target (the home page, `/admin/targets`).
    pub trained: Cache<i64>,
}

impl AppState {
    pub fn new(pool: DbPool, settings: Settings) -> Self {
        Self {
            verify_limiter: VerifyLimiter::new(settings.verify_rate_per_minute),
            hashing: Hashing::new(
                settings.password_hashes_at_once,
                settings.password_hash_wait,
            ),
            national_figures: Cache::default(),
            region_figures: Cache::default(),
            trained: Cache::default(),
            migrated: Migrated::already(),
            pool,
            settings,
        }
    }
}
