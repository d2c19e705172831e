//! The database going away and coming back (PostgreSQL through a proxy the test cuts): pages
//! answer the translated 503 page, sessions survive, and the site recovers within seconds.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ustaz::db::is_postgres_url;

use crate::helpers::{visible_text, Browser, TcpProxy, TestApp, TestDatabase, TestServer};

/// How long the site may take to serve pages again once the database is back.
const RECOVERY: Duration = Duration::from_secs(10);

fn postgres_only(db: &TestDatabase) -> bool {
    let pg = is_postgres_url(&db.url);
    if !pg {
        eprintln!("skipped on SQLite: needs PostgreSQL (TEST_DATABASE_URL)");
    }
    pg
}

/// The page says, in English, that the service is unavailable, and asks to come back later.
async fn assert_unavailable(browser: &Browser, path: &str) {
    let response = browser.get_in(path, "en").await;
    assert_eq!(response.status(), 503, "{path}");
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().ok()),
        Some(Some("5")),
        "{path}"
    );
    let text = visible_text(&response.text().await.expect("body"));
    assert!(
        text.contains("The service is temporarily unavailable"),
        "{path}: {text}"
    );
    assert!(!text.to_lowercase().contains("postgres"), "{text}");
}

/// Polls `path` until it answers 200 (within `RECOVERY`), and returns the page.
async fn when_served(browser: &Browser, path: &str) -> String {
    let since = Instant::now();
    loop {
        let response = browser.get(path).await;
        if response.status() == 200 {
            eprintln!(
                "figure: {path} served again {:?} after the database came back",
                since.elapsed()
            );
            return response.text().await.expect("body");
        }
        assert!(
            since.elapsed() < RECOVERY,
            "{path} still answers {} after {:?}",
            response.status(),
            since.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_shows_the_503_page_and_the_site_recovers_with_the_user_signed_in() {
    let db = TestDatabase::migrated();
    if !postgres_only(&db) {
        return;
    }
    let (proxy, url) = TcpProxy::before(&db.url).await;
    let app = TestApp::on(Arc::new(TestServer::start_at(db, &url, &[])));
    app.sign_in_english("teacher", "aigerim@mektep.kz", Some("KZ-75"))
        .await;
    assert!(when_served(&app, "/account")
        .await
        .contains("aigerim@mektep.kz"));

    proxy.cut();
    for path in ["/account", "/courses"] {
        assert_unavailable(&app, path).await;
    }
    assert_eq!(app.get("/healthz").await.status(), 503);
    // A form sent during the outage is not taken for a forgery, nor the user for a stranger.
    let token = crate::helpers::csrf_in(&app.get("/login").await.text().await.expect("body"));
    let response = app
        .post_form("/account", &[("full_name", "A"), ("csrf_token", &token)])
        .await;
    assert_eq!(response.status(), 503);

    proxy.restore();
    let page = when_served(&app, "/account").await;
    assert!(
        page.contains("aigerim@mektep.kz"),
        "still signed in: {page}"
    );
    assert_eq!(app.get("/healthz").await.status(), 200);

    // A restart while nobody was asking: the pool's idle connections are dead, and no visitor
    // may be the one who finds out.
    proxy.cut();
    tokio::time::sleep(Duration::from_millis(200)).await;
    proxy.restore();
    let after: Vec<u16> = futures_util::future::join_all(
        (0..8).map(|_| async { app.get("/account").await.status().as_u16() }),
    )
    .await;
    assert!(after.iter().all(|s| *s == 200), "{after:?}");
}

/// `ustaz serve` (or a command that runs it) listening on a free port; stopped when dropped.
struct Served {
    child: Child,
    pub browser: Browser,
}

impl Served {
    fn start(db: &TestDatabase, url: &str) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ustaz"));
        command
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Self::spawn(command, db.data_dir(), url)
    }

    /// Runs `command` with the settings of a server on `url`, its data in `data_dir`.
    fn spawn(mut command: Command, data_dir: &Path, url: &str) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = command
            .env("DATABASE_URL", url)
            .env("USTAZ_DATA_DIR", data_dir)
            .env("USTAZ_BIND", format!("127.0.0.1:{port}"))
            .env("USTAZ_SECRET_KEY", "7".repeat(64))
            .env("RUST_LOG", "warn")
            .spawn()
            .expect("run ustaz serve");
        Self {
            child,
            browser: Browser::new(&format!("http://127.0.0.1:{port}")),
        }
    }

    /// The first answer to `path` (the server may take a moment to listen).
    async fn first_answer(&mut self, path: &str) -> reqwest::Response {
        let since = Instant::now();
        loop {
            if let Ok(response) = self.browser.client.get(self.browser.url(path)).send().await {
                return response;
            }
            if let Some(status) = self.child.try_wait().expect("child") {
                panic!("ustaz serve exited ({status}) instead of serving");
            }
            assert!(since.elapsed() < RECOVERY, "ustaz serve does not listen");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_starts_while_the_database_is_down_and_connects_when_it_can() {
    // Never migrated: the server applies the migrations once it reaches the database.
    let db = TestDatabase::new();
    if !postgres_only(&db) {
        return;
    }
    let (proxy, url) = TcpProxy::before(&db.url).await;
    proxy.cut();
    let mut served = Served::start(&db, &url);
    let health = served.first_answer("/healthz").await;
    assert_eq!(health.status(), 503);
    assert_unavailable(&served.browser, "/courses").await;
    assert_unavailable(&served.browser, "/").await;

    proxy.restore();
    let page = when_served(&served.browser, "/courses").await;
    assert!(
        visible_text(&page).contains("Courses") || page.contains("<h1"),
        "{page}"
    );
    assert_eq!(served.browser.get("/healthz").await.status(), 200);
}

/// A disk the test can fill: a small tmpfs in a mount namespace of its own (no privileges
/// needed), with `ustaz serve` running on a SQLite database in it. Lines on the shell's
/// standard input fill the disk or free it again.
const FULL_DISK_SHELL: &str = r#"
mount -t tmpfs -o size=8m tmpfs "$USTAZ_DATA_DIR" || exit 97
"$USTAZ" migrate > /dev/null || exit 98
"$USTAZ" serve 2> /dev/null &
while read -r command; do
  case "$command" in
    fill) dd if=/dev/zero of="$USTAZ_DATA_DIR/filler" bs=64k 2> /dev/null; echo filled ;;
    free) rm -f "$USTAZ_DATA_DIR/filler"; echo freed ;;
  esac
done
kill $!
wait
"#;

struct Disk {
    served: Served,
    input: std::process::ChildStdin,
    output: BufReader<std::process::ChildStdout>,
}

impl Disk {
    fn mounted(dir: &Path) -> Self {
        let mut command = Command::new("unshare");
        command
            .args(["--map-root-user", "--mount", "sh", "-c", FULL_DISK_SHELL])
            .env("USTAZ", env!("CARGO_BIN_EXE_ustaz"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        let url = dir.join("ustaz.db").to_string_lossy().into_owned();
        let mut served = Served::spawn(command, dir, &url);
        let input = served.child.stdin.take().expect("stdin");
        let output = BufReader::new(served.child.stdout.take().expect("stdout"));
        Self {
            served,
            input,
            output,
        }
    }

    fn run(&mut self, command: &str) {
        writeln!(self.input, "{command}").expect("to the shell");
        let mut answer = String::new();
        self.output.read_line(&mut answer).expect("from the shell");
        assert!(!answer.is_empty(), "the shell ended");
    }
}

/// Registers a teacher (Almaty Region, no school, English) with the registration form.
pub async fn register(browser: &Browser, email: &str) -> reqwest::Response {
    let token =
        crate::helpers::csrf_in(&browser.get("/register").await.text().await.expect("body"));
    browser
        .post_form(
            "/register",
            &[
                ("region", "KZ-75"),
                ("full_name", "Айгерім Нұрланқызы"),
                ("email", email),
                ("password", "steppe wind over the aral"),
                ("school", "none"),
                ("category", "general"),
                ("language", "en"),
                ("iin", ""),
                ("csrf_token", &token),
            ],
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_503_and_health_says_the_database_cannot_be_written() {
    let db = TestDatabase::new();
    if is_postgres_url(&db.url) {
        eprintln!("skipped on PostgreSQL: SQLite's own disk");
        return;
    }
    let mut disk = Disk::mounted(db.data_dir());
    let health = disk.served.first_answer("/healthz").await;
    assert_eq!(health.status(), 200);
    let browser = &disk.served.browser;
    assert_eq!(switch_to_english(browser).await, 303);

    disk.run("fill");
    let health = disk.served.browser.get("/healthz").await;
    assert_eq!(health.status(), 503);
    let body: serde_json::Value = health.json().await.expect("json");
    assert_eq!(body["database"], "not writable");
    // Reading goes on; a write is refused with the page that says nothing was changed.
    let browser = &disk.served.browser;
    assert_eq!(browser.get("/courses").await.status(), 200);
    let refused = register(browser, "first@mektep.kz").await;
    assert_eq!(refused.status(), 503);
    let text = visible_text(&refused.text().await.expect("body"));
    assert!(text.contains("nothing has been changed"), "{text}");

    disk.run("free");
    let browser = &disk.served.browser;
    assert_eq!(browser.get("/healthz").await.status(), 200);
    assert_eq!(register(browser, "first@mektep.kz").await.status(), 303);
}

async fn switch_to_english(browser: &Browser) -> u16 {
    browser.switch_language("en").await.status().as_u16()
}
