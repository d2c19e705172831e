//! The dashboards' figures, cached per filter and per `stats_version`: a database counter that
//! triggers bump on every change that can move a figure (certificates issued or revoked,
//! enrolments, teachers, schools, targets, courses). A request reads the counter (one indexed
//! row) and reuses the figures computed at that version, or computes them afresh — so a cached
//! figure is never stale, and at national scale the heavy queries run once per change, not per
//! request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::schema::stats_version;

/// Views kept at once (of the current version; older ones go at the next insert).
const CAPACITY: usize = 256;

pub fn current_version(conn: &mut AnyConnection) -> QueryResult<i64> {
    stats_version::table
        .find(1)
        .select(stats_version::version)
        .first(conn)
}

/// Figures of type `T` keyed by a description of the view (its filters).
pub struct Cache<T> {
    entries: Mutex<HashMap<String, (i64, Arc<T>)>>,
}

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<T> Cache<T> {
    /// The figures of `key` at the database's current version, computing them with `compute`
    /// (on the same connection) when the cache has none for that version.
    pub fn get_or_compute(
        &self,
        conn: &mut AnyConnection,
        key: &str,
        compute: impl FnOnce(&mut AnyConnection) -> QueryResult<T>,
    ) -> QueryResult<Arc<T>> {
        let version = current_version(conn)?;
        if let Some((v, figures)) = self.lock().get(key) {
            if *v == version {
                return Ok(Arc::clone(figures));
            }
        }
        // Read the version before computing: a change during the computation leaves the entry
        // at the older version, so the next request computes again.
        let figures = Arc::new(compute(conn)?);
        let mut entries = self.lock();
        // Entries of older versions can never be served again: drop them.
        entries.retain(|_, (v, _)| *v >= version);
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(key.to_owned(), (version, Arc::clone(&figures)));
        Ok(figures)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (i64, Arc<T>)>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
