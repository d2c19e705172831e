use std::sync::Once;

use diesel::connection::SimpleConnection;
use diesel::Connection;
use ustaz::configuration::Settings;
use ustaz::db::{build_pool, establish, run_migrations, DbPool};
use ustaz::startup::Application;

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

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub pool: DbPool,
    pub db: TestDatabase,
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

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// Starts the app on a free port with a fresh, migrated database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with_env(&[]).await
}

/// Like `spawn_app`, with extra environment settings (e.g. `USTAZ_SMTP_URL`).
pub async fn spawn_app_with_env(extra: &[(&str, &str)]) -> TestApp {
    let db = TestDatabase::new();
    let mut conn = establish(&db.url).expect("connect to the test database");
    run_migrations(&mut conn).expect("migrate");
    drop(conn);
    start_with_env(db, extra).await
}

/// Starts the app on a database as it is (possibly unreachable, never migrated).
pub async fn start(db: TestDatabase) -> TestApp {
    start_with_env(db, &[]).await
}

pub async fn start_with_env(db: TestDatabase, extra: &[(&str, &str)]) -> TestApp {
    init_logging();
    let settings = settings_with(&db.url, db.data_dir(), extra);
    let pool = build_pool(&settings.database_url, settings.db_pool_size);
    let app = Application::build_with_pool(settings, pool.clone()).expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: client(),
        pool,
        db,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_in(&self, path: &str, accept_language: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("Accept-Language", accept_language)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    pub fn conn(&self) -> ustaz::db::Conn {
        self.pool.get().expect("database connection")
    }
}

/// The text of an HTML page with tags removed and whitespace collapsed, as a reader would see it.
pub fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(ch),
            _ => {}
        }
    }
    let text = text
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}
