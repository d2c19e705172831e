//! The dashboards' figures, cached per filter and per `stats_version`: a database counter that
//! triggers bump on every change that can move a figure (certificates issued or revoked,
//! enrolments, teachers, schools, targets, courses). A request reads the counter (one indexed
//! row) and reuses the figures computed at that version, or computes them afresh — so a cached
//! figure is never stale, and at national scale the heavy queries run once per change, not per
//! request — nor once per request that arrives while they run: those wait for the first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

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
    /// The keys being computed, each with its turn: one computation per key at a time.
    computing: Mutex<HashMap<String, Arc<Mutex<()>>>>,
}

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            computing: Mutex::new(HashMap::new()),
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
        if let Some(figures) = self.cached(key, version) {
            return Ok(figures);
        }
        // Requests that miss together take turns: the first computes, the others find its
        // figures when their turn comes (after a change, a busy page costs one computation).
        let gate = Arc::clone(lock(&self.computing).entry(key.to_owned()).or_default());
        let result = {
            let _turn = lock(&gate);
            match self.cached(key, version) {
                Some(figures) => Ok(figures),
                None => compute(conn).map(|figures| self.insert(key, version, figures)),
            }
        };
        let mut computing = lock(&self.computing);
        // Nobody else holds the gate (the map's and ours): forget it.
        if Arc::strong_count(&gate) == 2 {
            computing.remove(key);
        }
        result
    }

    fn cached(&self, key: &str, version: i64) -> Option<Arc<T>> {
        match lock(&self.entries).get(key) {
            // (Newer than the version read is as good: a change came meanwhile.)
            Some((v, figures)) if *v >= version => Some(Arc::clone(figures)),
            _ => None,
        }
    }

    /// Keeps figures computed at `version` (read before computing: a change during the
    /// computation leaves the entry at the older version, so the next request computes again).
    fn insert(&self, key: &str, version: i64, figures: T) -> Arc<T> {
        let figures = Arc::new(figures);
        let mut entries = lock(&self.entries);
        // Entries of older versions can never be served again: drop them.
        entries.retain(|_, (v, _)| *v >= version);
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        if entries.get(key).is_none_or(|(v, _)| *v < version) {
            entries.insert(key.to_owned(), (version, Arc::clone(&figures)));
        }
        figures
    }
}

fn lock<V>(mutex: &Mutex<V>) -> MutexGuard<'_, V> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::SqliteConnection;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// A database of its own at `version` (an in-memory SQLite database per connection).
    fn database(version: i64) -> AnyConnection {
        let mut conn = SqliteConnection::establish(":memory:").expect("sqlite");
        conn.batch_execute(&format!(
            "CREATE TABLE stats_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL); \
             INSERT INTO stats_version VALUES (1, {version});"
        ))
        .expect("table");
        AnyConnection::Sqlite(conn)
    }

    #[test]
    fn requests_that_miss_together_compute_once() {
        let cache = Cache::<usize>::default();
        let computed = AtomicUsize::new(0);
        std::thread::scope(|s| {
            let views: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        let mut conn = database(7);
                        let figures = cache
                            .get_or_compute(&mut conn, "national", |_| {
                                std::thread::sleep(Duration::from_millis(100));
                                Ok(computed.fetch_add(1, Ordering::SeqCst) + 41)
                            })
                            .expect("figures");
                        *figures
                    })
                })
                .collect();
            for view in views {
                assert_eq!(view.join().expect("thread"), 41);
            }
        });
        assert_eq!(computed.load(Ordering::SeqCst), 1);
        assert!(lock(&cache.computing).is_empty(), "no gate left behind");
    }

    #[test]
    fn a_new_version_computes_again_and_an_old_one_never_replaces_it() {
        let cache = Cache::<i64>::default();
        let at = |version: i64| {
            *cache
                .get_or_compute(&mut database(version), "k", |_| Ok(version * 10))
                .expect("figures")
        };
        assert_eq!(at(1), 10);
        assert_eq!(at(2), 20);
        // A request that read version 1 before the change is served the newer figures.
        assert_eq!(at(1), 20);
        assert_eq!(at(3), 30);
    }
}
