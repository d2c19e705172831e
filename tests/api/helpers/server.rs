//! The test server: a database of the test's own, the app started on it on a free port, its
//! connection pool, and what it sent (the outbox, or a loopback SMTP server).

use std::sync::{Arc, Once};

use diesel::connection::SimpleConnection;
use diesel::Connection;
use ustaz::configuration::Settings;
use ustaz::db::{build_pool, establish, run_migrations, DbPool};
use ustaz::startup::Application;

use crate::smtp::SmtpServer;

/// A database of the test's own, removed when the test ends.
pub struct TestDatabase {
    pub url: String,
    admin: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl TestDatabase {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        match std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            Some(admin_url) => {
                let name = format!("ustaz_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = diesel::PgConnection::establish(&admin_url)
                    .expect("TEST_DATABASE_URL must point at a reachable PostgreSQL");
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create test database");
                let (base, _) = admin_url
                    .rsplit_once('/')
                    .expect("URL with a database name");
                Self {
                    url: format!("{base}/{name}"),
                    admin: Some((admin_url, name)),
                    _dir: dir,
                }
            }
            None => Self {
                url: dir.path().join("ustaz.db").to_string_lossy().into_owned(),
                admin: None,
                _dir: dir,
            },
        }
    }

    /// A fresh database with the migrations run.
    pub fn migrated() -> Self {
        let db = Self::new();
        let mut conn = establish(&db.url).expect("connect to the test database");
        run_migrations(&mut conn).expect("migrate");
        db
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.admin {
            if let Ok(mut admin) = diesel::PgConnection::establish(admin_url) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// Test settings plus `extra` environment variables (which win over the defaults here).
pub fn settings_with(
    database_url: &str,
    data_dir: &std::path::Path,
    extra: &[(&str, &str)],
) -> Settings {
    let mut vars: Vec<(String, String)> = extra
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let defaults = [
        ("DATABASE_URL", database_url.to_owned()),
        ("USTAZ_DATA_DIR", data_dir.to_string_lossy().into_owned()),
        ("USTAZ_BIND", "127.0.0.1:0".to_owned()),
        ("USTAZ_SECRET_KEY", "7".repeat(64)),
        ("USTAZ_DB_POOL_SIZE", "4".to_owned()),
    ];
    vars.extend(defaults.into_iter().map(|(k, v)| (k.to_owned(), v)));
    Settings::from_lookup(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
        .expect("test settings")
}

fn init_logging() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            ustaz::telemetry::init();
        }
    });
}

/// An email as the outbox holds it for sending.
#[derive(Debug, Clone)]
pub struct SentEmail {
    pub subject: String,
    pub text: String,
}

impl SentEmail {
    /// The first link in the body that starts with `prefix` (e.g. the app's address).
    pub fn link(&self, prefix: &str) -> String {
        let start = self
            .text
            .find(prefix)
            .unwrap_or_else(|| panic!("no link {prefix} in {}", self.text));
        self.text[start..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    }
}

/// The app running on its own database.
pub struct TestServer {
    pub address: String,
    pub pool: DbPool,
    pub db: TestDatabase,
    /// The SMTP server the app sends to, for apps started with `spawn_app_with_smtp`.
    pub smtp: Option<Arc<SmtpServer>>,
    /// The app's settings (its keys, for what a test enrols as the app would).
    pub settings: Settings,
}

impl TestServer {
    /// Starts the app on a database as it is (possibly unreachable, never migrated), with extra
    /// environment settings.
    pub fn start(db: TestDatabase, extra: &[(&str, &str)]) -> Self {
        let url = db.url.clone();
        Self::start_at(db, &url, extra)
    }

    /// Starts the app on `db` reached at `url` (e.g. through a `TcpProxy`).
    pub fn start_at(db: TestDatabase, url: &str, extra: &[(&str, &str)]) -> Self {
        init_logging();
        let settings = settings_with(url, db.data_dir(), extra);
        let pool = build_pool(&settings.database_url, settings.db_pool_size);
        let app = Application::build_with_pool(settings.clone(), pool.clone()).expect("build app");
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        Self {
            address,
            pool,
            db,
            smtp: None,
            settings,
        }
    }

    pub fn conn(&self) -> ustaz::db::Conn {
        self.pool.get().expect("database connection")
    }

    /// An account made as the app makes one (confirmed, Kazakh, no category), with `password`;
    /// a coordinator or an administrator with an authenticator app enrolled.
    pub fn create_user(
        &self,
        role: &str,
        email: &str,
        password: &str,
        region: Option<&str>,
    ) -> i32 {
        let id = self.create_user_without_two_step(role, email, password, region);
        if ustaz::domain::Role::parse(role).is_ok_and(ustaz::domain::Role::is_staff) {
            let address = &self.address;
            super::two_step::enrol(&mut self.conn(), &self.settings, address, (id, email));
        }
        id
    }

    /// An account made as the app makes one, without a second factor.
    pub fn create_user_without_two_step(
        &self,
        role: &str,
        email: &str,
        password: &str,
        region: Option<&str>,
    ) -> i32 {
        use ustaz::accounts::models::{create_user, NewUser};
        use ustaz::domain::{Email, FullName, Password, Role};
        let mut conn = self.conn();
        let region_id = region.map(|code| crate::fixtures::region_id(&mut conn, code));
        let email = Email::parse(email).expect("email");
        let name = FullName::parse(&format!("{role} {}", email.as_str())).expect("name");
        let hash = Password::parse(password)
            .expect("password")
            .hash()
            .expect("hash");
        let user = NewUser {
            email: &email,
            full_name: &name,
            role: Role::parse(role).expect("role"),
            region_id,
            password_hash: Some(&hash),
        };
        create_user(&mut conn, &user).expect("create user")
    }

    /// Emails written for `to`, oldest first.
    pub fn emails_to(&self, to: &str) -> Vec<SentEmail> {
        use diesel::prelude::*;
        use ustaz::schema::outbox_emails as o;
        let rows: Vec<(i32, String, String, Option<chrono::NaiveDateTime>)> = o::table
            .filter(o::recipient.eq(to))
            .order(o::id.asc())
            .select((o::id, o::subject, o::body_text, o::sent_at))
            .load(&mut self.conn())
            .expect("outbox");
        rows.into_iter()
            .map(|(id, subject, stored, sent_at)| {
                // A sent row keeps its body with the links blanked: read the copy that went.
                let text = match sent_at {
                    Some(_) => self
                        .delivered_text(id)
                        .unwrap_or_else(|| panic!("outbox message {id} was sent but not found")),
                    None => stored,
                };
                SentEmail { subject, text }
            })
            .collect()
    }

    /// The text of outbox message `id` as it went: to the SMTP server, or as an `.eml` file (the
    /// `Message-ID` names the row).
    fn delivered_text(&self, id: i32) -> Option<String> {
        use crate::smtp::Entity;
        let messages: Vec<Entity> = match &self.smtp {
            Some(smtp) => smtp.messages().iter().map(|m| m.message()).collect(),
            None => std::fs::read_dir(self.db.data_dir().join("mail"))
                .map(|entries| {
                    entries
                        .flatten()
                        .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
                        .map(|raw| Entity::parse(&raw))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let id_starts = format!("<outbox.{id}.");
        messages
            .into_iter()
            .find(|m| {
                m.header("Message-ID")
                    .is_some_and(|v| v.starts_with(&id_starts))
            })?
            .find_text("text/plain")
    }

    pub fn last_email_to(&self, to: &str) -> SentEmail {
        self.emails_to(to)
            .pop()
            .unwrap_or_else(|| panic!("no email to {to}"))
    }

    fn smtp(&self) -> &SmtpServer {
        self.smtp
            .as_deref()
            .expect("an app started with spawn_app_with_smtp")
    }

    /// The `n`th email (1-based) that arrived at the SMTP server for `to`, waiting up to 10 s.
    pub async fn mail_to(&self, to: &str, n: usize) -> SentEmail {
        let smtp = self.smtp();
        for _ in 0..100 {
            let arrived: Vec<_> = smtp
                .messages()
                .into_iter()
                .filter(|m| m.to.iter().any(|r| r == to))
                .collect();
            if let Some(mail) = arrived.get(n - 1) {
                let message = mail.message();
                return SentEmail {
                    subject: message.header("Subject").unwrap_or_default(),
                    text: message.find_text("text/plain").unwrap_or_default(),
                };
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("email number {n} to {to} did not arrive");
    }

    /// Everything that arrived at the SMTP server for `to` so far.
    pub fn mail_count(&self, to: &str) -> usize {
        self.smtp()
            .messages()
            .iter()
            .filter(|m| m.to.iter().any(|r| r == to))
            .count()
    }
}
