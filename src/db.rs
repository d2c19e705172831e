//! One code base over SQLite (default, embedded) and PostgreSQL (when `DATABASE_URL` is a `postgres://` URL).

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{HandleError, ManageConnection, Pool, PooledConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Pg(PgConnection),
    // Last: SQLite accepts any string as a path.
    Sqlite(SqliteConnection),
}

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Runs the same diesel DSL against the concrete backend of a connection, for the few things the
/// multi-backend cannot express (RETURNING, multi-row inserts). `$c` is bound to the inner connection.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::AnyConnection::Pg($c) => $body,
            $crate::db::AnyConnection::Sqlite($c) => $body,
        }
    };
}

pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

pub type DbPool = Pool<Manager>;
pub type Conn = PooledConnection<Manager>;

/// Pool manager that opens the right backend itself, so a failure reports its real cause (the
/// derived multi-connection only says "Invalid connection url"), and gives every SQLite connection
/// its pragmas. `busy_timeout` must come before WAL, or a fresh file reports "database is locked"
/// when several connections open it at once. Reads go through a memory map (shared by the
/// connections, through the operating system's page cache) rather than a copy per page read:
/// the dashboards' figures read a national-scale database in half the time.
#[derive(Debug, Clone)]
pub struct Manager {
    database_url: String,
}

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, Self::Error> {
        let conn = if is_postgres_url(&self.database_url) {
            AnyConnection::Pg(PgConnection::establish(&self.database_url)?)
        } else {
            if let Some(parent) = Path::new(&self.database_url).parent() {
                // Best effort: if it cannot be created, opening the file reports why.
                let _ = std::fs::create_dir_all(parent);
            }
            let mut c = SqliteConnection::establish(&self.database_url)?;
            c.batch_execute(
                "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                 PRAGMA mmap_size = 268435456;",
            )
            .map_err(diesel::r2d2::Error::QueryError)?;
            AnyConnection::Sqlite(c)
        };
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut AnyConnection) -> bool {
        false
    }
}

#[derive(Debug)]
struct LoggingErrorHandler;

impl HandleError<diesel::r2d2::Error> for LoggingErrorHandler {
    fn handle_error(&self, error: diesel::r2d2::Error) {
        tracing::error!(%error, "database connection failed");
    }
}

/// Builds the pool without connecting: the site starts, and `/healthz` reports, even while the
/// database is unreachable.
pub fn build_pool(database_url: &str, max_size: u32) -> DbPool {
    Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(5))
        .test_on_check_out(false)
        .error_handler(Box::new(LoggingErrorHandler))
        .build_unchecked(Manager {
            database_url: database_url.to_owned(),
        })
}

/// Opens one connection outside the pool (for the command line), with the same settings.
pub fn establish(database_url: &str) -> anyhow::Result<AnyConnection> {
    let manager = Manager {
        database_url: database_url.to_owned(),
    };
    manager
        .connect()
        .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))
}

/// Applies pending migrations; returns how many ran. Running it again is a no-op.
pub fn run_migrations(conn: &mut AnyConnection) -> anyhow::Result<usize> {
    let applied = match conn {
        AnyConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
    }
    .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    Ok(applied.len())
}

// ---- Case-insensitive search, the same on both databases ----------------------------------

#[diesel::declare_sql_function]
extern "SQL" {
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
    /// Unicode lower-casing for SQLite, whose own `lower` folds ASCII letters only (registered
    /// on the connection by `prepare_search`; PostgreSQL's `lower` already folds Cyrillic).
    fn ustaz_lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// `%text%` for LIKE, lower-cased, with the wildcards in the text itself escaped by `\`.
pub fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for ch in text.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}

/// Whether the connection is SQLite (search with `ustaz_lower`, registered here) or
/// PostgreSQL (search with `lower`).
pub fn prepare_search(conn: &mut AnyConnection) -> diesel::QueryResult<bool> {
    match conn {
        AnyConnection::Sqlite(c) => {
            ustaz_lower_utils::register_impl(c, |text: String| text.to_lowercase())?;
            Ok(true)
        }
        AnyConnection::Pg(_) => Ok(false),
    }
}

/// Times are stored in UTC, written by the application (not the database's clock or time zone).
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
