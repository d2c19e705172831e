//! One code base over SQLite (default, embedded) and PostgreSQL (when `DATABASE_URL` is a `postgres://` URL).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::r2d2::{HandleError, ManageConnection, Pool, PooledConnection};
use diesel::result::{DatabaseErrorKind, Error};
use diesel::{Connection, PgConnection, QueryResult, SqliteConnection};
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

    /// A connection that lost its server (marked by [`checked`]) or was returned inside a
    /// transaction is dropped, not handed to the next request.
    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        diesel::r2d2::R2D2Connection::is_broken(conn)
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
        // A PostgreSQL connection can die while idle (a server restart, a failover, a proxy's
        // timeout); a round trip before lending it keeps the first visitor after from meeting
        // it. SQLite's connections are files: nothing to check.
        .test_on_check_out(is_postgres_url(database_url))
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

// ---- Transactions and faults ---------------------------------------------------------------

/// How many times a transaction that PostgreSQL aborted (serialization failure, deadlock) runs
/// before the caller gets the error.
const TRANSIENT_ATTEMPTS: u32 = 4;

/// Runs `work` in a write transaction. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`), so a transaction that reads and then writes waits its turn (the busy
/// timeout) instead of failing with "database is locked" when its read lock cannot be upgraded.
/// On PostgreSQL a transaction aborted by a serialization failure or a deadlock runs again, a few
/// times. Inside another transaction it is a savepoint. The only way the code opens a transaction.
pub fn transaction<T, E, F>(conn: &mut AnyConnection, mut work: F) -> Result<T, E>
where
    F: FnMut(&mut AnyConnection) -> Result<T, E>,
    E: From<Error> + Transient,
{
    let outermost = AnyTransactions::transaction_manager_status_mut(conn)
        .transaction_depth()
        .map_err(E::from)?
        .is_none();
    if !outermost {
        return conn.transaction(work);
    }
    let postgres = matches!(conn, AnyConnection::Pg(_));
    let mut attempt = 1;
    loop {
        match once(conn, &mut work) {
            Err(e)
                if attempt < TRANSIENT_ATTEMPTS
                    && e.database_error().is_some_and(|e| may_retry(e, postgres)) =>
            {
                tracing::info!(
                    attempt,
                    "transaction aborted by the database; running it again"
                );
                std::thread::sleep(Duration::from_millis(5 << attempt));
                attempt += 1;
            }
            result => return result,
        }
    }
}

/// Whether a transaction that failed with `error` may succeed when it runs again: PostgreSQL
/// aborted it to let another finish (a serialization failure, a deadlock), or, on PostgreSQL, a
/// row it inserted was committed meanwhile by another (run again, it finds that row; on SQLite,
/// where writers take turns, a unique violation is the caller's to handle).
fn may_retry(error: &Error, postgres: bool) -> bool {
    match error {
        Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => postgres,
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            info.message().contains("deadlock detected")
        }
        Error::RollbackErrorOnCommit { commit_error, .. } => may_retry(commit_error, postgres),
        _ => false,
    }
}

fn once<T, E, F>(conn: &mut AnyConnection, work: &mut F) -> Result<T, E>
where
    F: FnMut(&mut AnyConnection) -> Result<T, E>,
    E: From<Error>,
{
    match conn {
        AnyConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
        AnyConnection::Pg(_) => AnyTransactions::begin_transaction(conn)?,
    }
    match work(conn) {
        Ok(value) => {
            AnyTransactions::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => match AnyTransactions::rollback_transaction(conn) {
            Ok(()) | Err(Error::BrokenTransactionManager) => Err(e),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

type AnyTransactions = <AnyConnection as Connection>::TransactionManager;

/// What a transaction's error says about the database: the diesel error inside, if any.
pub trait Transient {
    fn database_error(&self) -> Option<&Error>;

    /// PostgreSQL aborted the transaction for another one (serialization failure, deadlock):
    /// it was run again and still lost.
    fn is_transient(&self) -> bool {
        self.database_error().is_some_and(|e| {
            !matches!(
                e,
                Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
            ) && may_retry(e, true)
        })
    }
}

impl Transient for Error {
    fn database_error(&self) -> Option<&Error> {
        Some(self)
    }
}

impl Transient for anyhow::Error {
    fn database_error(&self) -> Option<&Error> {
        self.downcast_ref::<Error>()
    }
}

/// Whether an error means the database cannot be used right now (the server is gone, the
/// connection broke, the disk is full or read-only, the write lock stayed taken past the busy
/// timeout): the visitor gets the "temporarily unavailable" page, not an internal error.
pub fn is_unavailable(error: &Error) -> bool {
    match error {
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        ) => true,
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            const SIGNS: [&str; 10] = [
                // PostgreSQL
                "terminating connection",
                "server closed the connection",
                "no connection to the server",
                "could not receive data",
                "the database system is",
                // SQLite
                "database or disk is full",
                "disk I/O error",
                "database is locked",
                "readonly database",
                "unable to open database",
            ];
            let message = info.message();
            SIGNS.iter().any(|sign| message.contains(sign))
        }
        Error::BrokenTransactionManager => true,
        Error::RollbackErrorOnCommit { commit_error, .. } => is_unavailable(commit_error),
        _ => false,
    }
}

/// Passes `result` on; when it says the connection lost its server, marks the connection so
/// the pool drops it instead of lending it again (the next request gets a fresh one).
pub fn checked<T>(conn: &mut AnyConnection, result: QueryResult<T>) -> QueryResult<T> {
    if let Err(e) = &result {
        if is_unavailable(e) && matches!(conn, AnyConnection::Pg(_)) {
            AnyTransactions::transaction_manager_status_mut(conn).set_in_error();
        }
    }
    result
}

/// Free space below which a SQLite database's disk counts as full: room for a few hundred pages
/// of the write-ahead log.
const MIN_FREE_BYTES: u64 = 1 << 20;

/// Whether the database can take writes as far as this machine can tell: for SQLite, its file
/// system is mounted writable and has room left (a full disk fails every write with "database
/// or disk is full" while reads go on). PostgreSQL's server watches its own disk.
pub fn storage_writable(database_url: &str) -> bool {
    if is_postgres_url(database_url) {
        return true;
    }
    let dir = match Path::new(database_url).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    match rustix::fs::statvfs(dir) {
        Ok(fs) => {
            !fs.f_flag.contains(rustix::fs::StatVfsMountFlags::RDONLY)
                && fs.f_bavail.saturating_mul(fs.f_frsize) >= MIN_FREE_BYTES
        }
        // Cannot tell (the directory is gone, say): the query check reports the rest.
        Err(_) => true,
    }
}

/// Whether this process has brought the schema up to date. `serve` starts before it can reach
/// the database: it answers 503 and applies the migrations in the background as soon as it can.
#[derive(Debug, Clone)]
pub struct Migrated(Arc<AtomicBool>);

impl Migrated {
    /// The migrations ran before the site started (the command line, the tests).
    pub fn already() -> Self {
        Self(Arc::new(AtomicBool::new(true)))
    }

    /// Applies pending migrations on a thread of its own, trying again (every few seconds)
    /// until the database answers.
    pub fn in_background(database_url: String) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let flag = done.clone();
        std::thread::spawn(move || {
            let mut wait = Duration::from_millis(250);
            loop {
                match establish(&database_url).and_then(|mut conn| run_migrations(&mut conn)) {
                    Ok(applied) => {
                        tracing::info!(applied, "database ready");
                        flag.store(true, Ordering::Release);
                        return;
                    }
                    Err(e) => {
                        tracing::warn!(cause = %format!("{e:#}"), ?wait, "database not ready; trying again");
                        std::thread::sleep(wait);
                        wait = (wait * 2).min(Duration::from_secs(5));
                    }
                }
            }
        });
        Self(done)
    }

    pub fn is_done(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

// ---- Files under the data folder ---------------------------------------------------------

/// Everything the app keeps under its data folder (the SQLite database and its `-wal`/`-shm`,
/// keys, outgoing mail) is for its owner's eyes only: folders 0700, files 0600.
pub const PRIVATE_DIR_MODE: u32 = 0o700;
pub const PRIVATE_FILE_MODE: u32 = 0o600;

/// Creates `dir` and any missing parents readable by the owner only, and makes an existing one so.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(PRIVATE_DIR_MODE)
        .create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(PRIVATE_DIR_MODE))
}

/// Makes a file the app wrote readable by the owner only.
pub fn private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(PRIVATE_FILE_MODE))
}

/// At start-up, before the database is opened: every folder and file under `dir`, and a SQLite
/// database elsewhere with its `-wal` and `-shm`, that its group or others may read or enter
/// (written by an older version, or copied in) keeps only its owner's permissions, with a warning
/// naming it. Symbolic links are left alone.
pub fn secure_data_dir(dir: &Path, database_url: &str) {
    if !is_postgres_url(database_url) {
        for end in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{database_url}{end}"));
            if let Ok(metadata) = std::fs::symlink_metadata(&file) {
                if metadata.is_file() {
                    keep_to_owner(&file, &metadata);
                }
            }
        }
    }
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        // Gone, or never made: nothing to protect.
        let Ok(metadata) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if metadata.is_dir() {
            match std::fs::read_dir(&path) {
                Ok(entries) => pending.extend(entries.flatten().map(|entry| entry.path())),
                Err(error) => tracing::warn!(path = %path.display(), %error,
                    "cannot look into this folder of the data folder"),
            }
        } else if !metadata.is_file() {
            continue;
        }
        keep_to_owner(&path, &metadata);
    }
}

fn keep_to_owner(path: &Path, metadata: &std::fs::Metadata) {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o7777;
    if mode & 0o077 == 0 {
        return;
    }
    let owner_only = mode & 0o700;
    let was = format!("{:o}", mode & 0o777);
    match std::fs::set_permissions(path, std::fs::Permissions::from_mode(owner_only)) {
        Ok(()) => tracing::warn!(path = %path.display(), was, now = format!("{owner_only:o}"),
            "other users could read this; now only its owner can"),
        Err(error) => tracing::warn!(path = %path.display(), was, %error,
            "other users can read this, and its permissions cannot be changed"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;
    use actix_web::ResponseError;

    fn aborted() -> Error {
        Error::DatabaseError(
            DatabaseErrorKind::SerializationFailure,
            Box::new("could not serialize access".to_owned()),
        )
    }

    #[test]
    fn an_aborted_transaction_runs_again_then_answers_409() {
        let mut conn =
            AnyConnection::Sqlite(SqliteConnection::establish(":memory:").expect("memory"));
        let mut runs = 0;
        let result: QueryResult<()> = transaction(&mut conn, |_| {
            runs += 1;
            Err(aborted())
        });
        assert_eq!(runs, TRANSIENT_ATTEMPTS);
        let error = AppError::from(result.expect_err("aborted"));
        assert_eq!(error.status_code(), actix_web::http::StatusCode::CONFLICT);

        let mut runs = 0;
        let won: QueryResult<i32> = transaction(&mut conn, |_| {
            runs += 1;
            if runs < 3 {
                Err(aborted())
            } else {
                Ok(7)
            }
        });
        assert_eq!((won.expect("third run"), runs), (7, 3));
    }

    #[test]
    fn a_unique_violation_is_the_callers_on_sqlite() {
        let mut conn =
            AnyConnection::Sqlite(SqliteConnection::establish(":memory:").expect("memory"));
        let mut runs = 0;
        let result: QueryResult<()> = transaction(&mut conn, |_| {
            runs += 1;
            Err(Error::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                Box::new("UNIQUE constraint failed".to_owned()),
            ))
        });
        assert_eq!(runs, 1);
        assert!(is_unique_violation(&result.expect_err("refused")));
    }

    #[test]
    fn faults_of_the_database_are_unavailable_not_internal() {
        let lost = Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection,
            Box::new("server closed the connection unexpectedly".to_owned()),
        );
        let full = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("database or disk is full".to_owned()),
        );
        let bug = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("no such column: x".to_owned()),
        );
        assert!(is_unavailable(&lost) && is_unavailable(&full) && !is_unavailable(&bug));
        let status = |e: Error| AppError::from(e).status_code().as_u16();
        assert_eq!((status(lost), status(full), status(bug)), (503, 503, 500));
    }
}
