//! A test's app: the server it runs (`server`) and a browser on it (`browser`).
//!
//! `TestApp` is one browser on one server: it is used as the browser (`app.get(..)`,
//! `app.post(..)`, `app.login(..)`, `app.address`), reaches the server's database and mail
//! (`app.conn()`, `app.emails_to(..)`), and opens more browsers on the same server with
//! `another_browser()`.

mod browser;
mod proxy;
pub mod quiz;
mod server;
pub mod two_step;

use std::sync::Arc;

/// A password the site accepts (long, not a common one), for accounts tests sign in to.
pub const GOOD_PASSWORD: &str = "steppe wind over the aral";

pub use browser::{csrf_in, field_in, location, text_of, version_in, visible_text, Browser};
pub use proxy::TcpProxy;
pub use server::{settings_with, SentEmail, TestDatabase, TestServer};

/// The password of the accounts the helpers create and sign in to.
pub const PASSWORD: &str = "a matrix of passphrases";
/// The administrator of `spawn_admin_app`.
pub const ADMIN: &str = "admin@ustaz.kz";

pub struct TestApp {
    pub server: Arc<TestServer>,
    browser: Browser,
}

/// Starts the app on a free port with a fresh, migrated database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with_env(&[]).await
}

/// Like `spawn_app`, with extra environment settings (e.g. `USTAZ_SMTP_URL`).
pub async fn spawn_app_with_env(extra: &[(&str, &str)]) -> TestApp {
    start_with_env(TestDatabase::migrated(), extra).await
}

/// Like `spawn_app`, sending its email over SMTP to a server the test runs on loopback.
pub async fn spawn_app_with_smtp() -> TestApp {
    let smtp = crate::smtp::SmtpServer::start().await;
    let mut server =
        TestServer::start(TestDatabase::migrated(), &[("USTAZ_SMTP_URL", &smtp.url())]);
    server.smtp = Some(Arc::new(smtp));
    TestApp::on(Arc::new(server))
}

/// Starts the app on a database as it is (possibly unreachable, never migrated).
pub async fn start(db: TestDatabase) -> TestApp {
    start_with_env(db, &[]).await
}

pub async fn start_with_env(db: TestDatabase, extra: &[(&str, &str)]) -> TestApp {
    TestApp::on(Arc::new(TestServer::start(db, extra)))
}

/// An app with `role` `email` signed in (with `PASSWORD`, reading English); and their id.
pub async fn spawn_signed_in(role: &str, email: &str, region: Option<&str>) -> (TestApp, i32) {
    let app = spawn_app().await;
    let id = app.sign_in_english(role, email, region).await;
    (app, id)
}

/// An app with the administrator `ADMIN` signed in, reading English; and the admin's id.
pub async fn spawn_admin_app() -> (TestApp, i32) {
    spawn_signed_in("admin", ADMIN, None).await
}

impl std::ops::Deref for TestApp {
    type Target = Browser;

    fn deref(&self) -> &Browser {
        &self.browser
    }
}

impl TestApp {
    pub fn on(server: Arc<TestServer>) -> Self {
        let browser = Browser::new(&server.address);
        Self { server, browser }
    }

    /// A second browser on the same site, with cookies of its own.
    pub fn another_browser(&self) -> TestApp {
        TestApp::on(self.server.clone())
    }

    /// The database the app ran on, once this is its last browser (to start it again).
    pub fn into_database(self) -> TestDatabase {
        match Arc::try_unwrap(self.server) {
            Ok(server) => server.db,
            Err(_) => panic!("another browser still uses the app"),
        }
    }

    pub fn conn(&self) -> ustaz::db::Conn {
        self.server.conn()
    }

    /// An account; a coordinator or administrator also has an authenticator app (the second
    /// step of their sign-ins types its codes).
    pub fn create_user(
        &self,
        role: &str,
        email: &str,
        password: &str,
        region: Option<&str>,
    ) -> i32 {
        self.server.create_user(role, email, password, region)
    }

    /// Creates an account (with `PASSWORD`) and signs this browser in to it; returns its id.
    pub async fn sign_in(&self, role: &str, email: &str, region: Option<&str>) -> i32 {
        let id = self.create_user(role, email, PASSWORD, region);
        let response = self.login(email, PASSWORD).await;
        assert_eq!(response.status(), 303, "{email} signs in");
        id
    }

    /// Like `sign_in`, then switches to English (the account's language and a cookie).
    pub async fn sign_in_english(&self, role: &str, email: &str, region: Option<&str>) -> i32 {
        let id = self.sign_in(role, email, region).await;
        assert_eq!(self.switch_language("en").await.status(), 303);
        id
    }

    /// Emails written for `to`, oldest first.
    pub fn emails_to(&self, to: &str) -> Vec<SentEmail> {
        self.server.emails_to(to)
    }

    pub fn last_email_to(&self, to: &str) -> SentEmail {
        self.server.last_email_to(to)
    }

    /// The `n`th email (1-based) that arrived at the SMTP server for `to`, waiting up to 10 s.
    pub async fn mail_to(&self, to: &str, n: usize) -> SentEmail {
        self.server.mail_to(to, n).await
    }

    /// Everything that arrived at the SMTP server for `to` so far.
    pub fn mail_count(&self, to: &str) -> usize {
        self.server.mail_count(to)
    }
}
