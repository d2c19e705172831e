//! Secrets at rest: a sent email's row keeps no working link, no log line holds a link token,
//! and what the app writes under its data folder is readable by its owner only.

use std::fs::File;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use ustaz::schema::outbox_emails as o;

use crate::helpers::{
    spawn_app_with_env, spawn_app_with_smtp, start, Browser, TestApp, TestDatabase, ADMIN,
    GOOD_PASSWORD,
};
use crate::mail::eml_files;
use crate::outage::register;
use crate::smtp::{DataAnswer, Entity, SmtpServer};

/// Every column of the outbox a secret could sit in, one row a line.
fn outbox_text(app: &TestApp) -> Vec<String> {
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = o::table
        .order(o::id.asc())
        .select((
            o::recipient,
            o::recipient_name,
            o::subject,
            o::body_text,
            o::body_html,
            o::last_error,
        ))
        .load(&mut app.conn())
        .expect("outbox");
    rows.into_iter()
        .map(|(a, b, c, d, e, f)| {
            [a, b, c, d, e.unwrap_or_default(), f.unwrap_or_default()].join("\n")
        })
        .collect()
}

/// Every run of 64 hex digits in `text` (the shape of a link token).
fn hex64_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_hexdigit() {
            run.push(c);
        } else {
            if run.len() >= 64 {
                found.push(run.clone());
            }
            run.clear();
        }
    }
    found
}

/// The token at the end of a link path.
fn token_of(path: &str) -> String {
    path.rsplit('/').next().unwrap_or_default().to_owned()
}

fn link_path(app: &TestApp, text: &str) -> String {
    let start = text.find(&app.address).expect("a link to the site");
    let link = text[start..].split_whitespace().next().unwrap_or_default();
    link.trim_start_matches(&app.address).to_owned()
}

/// Waits until every row of the outbox is done with (sent, or given up after `attempts`).
async fn wait_until_done(app: &TestApp, given_up_after: Option<i32>) {
    let since = Instant::now();
    loop {
        let open: i64 = match given_up_after {
            None => o::table
                .filter(o::sent_at.is_null())
                .count()
                .get_result(&mut app.conn()),
            Some(attempts) => o::table
                .filter(o::attempts.lt(attempts))
                .count()
                .get_result(&mut app.conn()),
        }
        .expect("count");
        if open == 0 {
            return;
        }
        assert!(
            since.elapsed() < Duration::from_secs(15),
            "{open} email(s) still open"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn sent_emails_keep_no_working_link_in_the_outbox() {
    let app = spawn_app_with_smtp().await;
    // A confirmation link (registration), a reset link (forgotten password) and an invitation
    // (an administrator's import), each through its real flow and delivered over SMTP.
    let teacher = app.another_browser();
    assert_eq!(register(&teacher, "new@mektep.kz").await.status(), 303);
    app.create_user("teacher", "reset@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    let forgot = teacher
        .post("/password/forgot", &[("email", "reset@mektep.kz")])
        .await;
    assert_eq!(forgot.status(), 200);
    app.sign_in_english("admin", ADMIN, None).await;
    let csv = "full_name,email,region_code,school,category,iin\n\
               Иван Петров,invited@mektep.kz,KZ-71,,special,\n";
    let imported = app
        .post("/admin/users/import", &[("csv", csv), ("language", "en")])
        .await;
    assert_eq!(imported.status(), 200);

    let mut delivered = Vec::new();
    for to in ["new@mektep.kz", "reset@mektep.kz", "invited@mektep.kz"] {
        delivered.push(link_path(&app, &app.mail_to(to, 1).await.text));
    }
    wait_until_done(&app, None).await;

    let rows = outbox_text(&app);
    assert_eq!(rows.len(), 3, "{rows:#?}");
    for (row, path) in rows.iter().zip(&delivered) {
        assert!(
            !row.contains(&token_of(path)),
            "the row keeps the link: {row}"
        );
        assert!(row.contains("[redacted]"), "{row}");
    }
    // Whatever looks like a token in any column does not open a link.
    for token in rows.iter().flat_map(|row| hex64_in(row)) {
        for path in [
            format!("/password/reset/{token}"),
            format!("/account/confirm/{token}"),
        ] {
            assert_eq!(
                app.another_browser().get(&path).await.status(),
                410,
                "{path}"
            );
        }
    }
    // The links that went still work: only the stored copies lost them.
    for path in &delivered {
        assert_eq!(
            app.another_browser().get(path).await.status(),
            200,
            "{path}"
        );
    }
}

#[tokio::test]
async fn an_email_given_up_on_keeps_no_link_either() {
    let smtp = SmtpServer::start_answering(
        0,
        DataAnswer {
            refuse: true,
            ..DataAnswer::default()
        },
    )
    .await;
    let app = spawn_app_with_env(&[("USTAZ_SMTP_URL", &smtp.url())]).await;
    app.create_user("teacher", "reset@mektep.kz", GOOD_PASSWORD, Some("KZ-75"));
    let forgot = app
        .post("/password/forgot", &[("email", "reset@mektep.kz")])
        .await;
    assert_eq!(forgot.status(), 200);
    // Refused all along: the last try comes now.
    let last = ustaz::mail::MAX_ATTEMPTS;
    diesel::update(o::table)
        .set((o::attempts.eq(last - 1), o::send_after.eq(ustaz::db::now())))
        .execute(&mut app.conn())
        .expect("age the email");
    wait_until_done(&app, Some(last)).await;

    let rows = outbox_text(&app);
    assert_eq!(rows.len(), 1);
    assert!(hex64_in(&rows[0]).is_empty(), "{}", rows[0]);
    assert!(
        rows[0].contains("/password/reset/[redacted]"),
        "{}",
        rows[0]
    );
}

#[tokio::test]
async fn links_in_emails_sent_before_the_upgrade_are_blanked_at_start() {
    use ustaz::accounts::models::{create_user, NewUser};
    use ustaz::accounts::tokens::{self, Purpose};
    use ustaz::domain::{Email, FullName, Role};
    use ustaz::mail::{enqueue, OutgoingEmail};

    // A row as an older version left it: sent, its reset link still working.
    let db = TestDatabase::migrated();
    let token = {
        let mut conn = ustaz::db::establish(&db.url).expect("connect");
        let email = Email::parse("old@mektep.kz").expect("email");
        let name = FullName::parse("Old Teacher").expect("name");
        let user = NewUser {
            email: &email,
            full_name: &name,
            role: Role::Teacher,
            region_id: None,
            password_hash: None,
        };
        let id = create_user(&mut conn, &user).expect("user");
        let token =
            tokens::create(&mut conn, id, Purpose::ResetPassword, ustaz::db::now()).expect("token");
        let message = OutgoingEmail {
            to: "old@mektep.kz".into(),
            to_name: "Old Teacher".into(),
            lang: ustaz::i18n::Lang::En,
            subject: "Reset".into(),
            text: format!("Reset: http://localhost/password/reset/{token}\n"),
            html: None,
        };
        enqueue(&mut conn, &message).expect("enqueue");
        diesel::update(o::table)
            .set(o::sent_at.eq(Some(ustaz::db::now())))
            .execute(&mut conn)
            .expect("sent");
        token
    };
    let app = start(db).await;
    assert_eq!(
        app.get(&format!("/password/reset/{token}")).await.status(),
        200,
        "the link itself still works"
    );
    let since = Instant::now();
    while outbox_text(&app)[0].contains(&token) {
        assert!(
            since.elapsed() < Duration::from_secs(10),
            "the old row keeps its link"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(outbox_text(&app)[0].contains("/password/reset/[redacted]"));
}

// ---- The real binary: logs and file modes ----------------------------------------------------

/// `ustaz` run as an operator runs it, its standard error kept in a file.
struct Binary {
    child: Child,
    stderr: PathBuf,
    browser: Browser,
}

/// Settings for the binary: its data in `data_dir`, the database at `database_url` (SQLite: in
/// the data folder, as by default).
fn command(args: &[&str], data_dir: &Path, database_url: &str, log: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ustaz"));
    command
        .args(args)
        .env("USTAZ_DATA_DIR", data_dir)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", log)
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    command
}

/// A data folder the binary has yet to create, and its database for `db`: PostgreSQL's own, or
/// a SQLite file in the data folder (as by default).
fn fresh_data_dir(db: &TestDatabase) -> (PathBuf, String) {
    let data_dir = db.data_dir().join("data");
    let database_url = if ustaz::db::is_postgres_url(&db.url) {
        db.url.clone()
    } else {
        data_dir.join("ustaz.db").to_string_lossy().into_owned()
    };
    (data_dir, database_url)
}

impl Binary {
    async fn serve(data_dir: &Path, database_url: &str, log: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let stderr = data_dir.with_extension("stderr.log");
        let mut command = command(&["serve"], data_dir, database_url, log);
        command
            .env("USTAZ_BIND", format!("127.0.0.1:{port}"))
            .env("USTAZ_BASE_URL", format!("http://127.0.0.1:{port}"))
            .stderr(File::create(&stderr).expect("stderr file"));
        let mut served = Self {
            child: command.spawn().expect("run ustaz serve"),
            stderr,
            browser: Browser::new(&format!("http://127.0.0.1:{port}")),
        };
        let since = Instant::now();
        loop {
            let health = served
                .browser
                .client
                .get(served.browser.url("/healthz"))
                .send();
            if health.await.is_ok_and(|r| r.status() == 200) {
                return served;
            }
            if let Some(status) = served.child.try_wait().expect("child") {
                panic!("ustaz serve exited ({status}): {}", served.log());
            }
            // Generous: a fresh database is migrated first, on a machine that may be busy.
            assert!(
                since.elapsed() < Duration::from_secs(60),
                "ustaz serve does not answer"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The text of the `.eml` files in `dir`, once there are `n` of them.
async fn delivered_files(dir: &Path, n: usize) -> Vec<String> {
    let since = Instant::now();
    loop {
        let files = eml_files(dir);
        if files.len() >= n {
            return files
                .iter()
                .map(|f| std::fs::read_to_string(f).expect("read .eml"))
                .map(|raw| {
                    Entity::parse(&raw)
                        .find_text("text/plain")
                        .unwrap_or_default()
                })
                .collect();
        }
        // The worker may be in its 5 s pause after finding the outbox not yet migrated.
        assert!(
            since.elapsed() < Duration::from_secs(20),
            "{} of {n} emails",
            files.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn path_after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in {text}"));
    let token: String = text[start + marker.len()..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    format!("{marker}{token}")
}

#[tokio::test]
async fn link_tokens_never_reach_the_logs_even_in_warnings() {
    let db = TestDatabase::new();
    let (data_dir, database_url) = fresh_data_dir(&db);
    let served = Binary::serve(&data_dir, &database_url, "debug").await;
    let browser = &served.browser;
    assert_eq!(register(browser, "logged@mektep.kz").await.status(), 303);
    let reset_asked = browser
        .post("/password/forgot", &[("email", "logged@mektep.kz")])
        .await;
    assert_eq!(reset_asked.status(), 200);
    let texts = delivered_files(&data_dir.join("mail"), 2).await;
    let all = texts.join("\n");
    let confirm = path_after(&all, "/account/confirm/");
    let reset = path_after(&all, "/password/reset/");

    for path in [&confirm, &reset] {
        let stranger = Browser::new(&browser.address);
        assert_eq!(stranger.get(path).await.status(), 200, "{path}");
        assert_eq!(stranger.get(&format!("{path}?again=1")).await.status(), 200);
        // Warnings: a wrong CSRF token, and a request from another site.
        let forged = stranger.post_form(path, &[("password", "x"), ("csrf_token", "forged")]);
        assert_eq!(forged.await.status(), 403, "{path}");
        let cross_site = stranger
            .client
            .post(stranger.url(path))
            .header("Origin", "https://evil.example")
            .header("Sec-Fetch-Site", "cross-site")
            .form(&[("password", "x")])
            .send()
            .await
            .expect("request");
        assert_eq!(cross_site.status(), 403, "{path}");
        // A refused password, then the link used for real.
        if path == &reset {
            assert_eq!(
                stranger.post(path, &[("password", "short")]).await.status(),
                422
            );
            let done = stranger.post(path, &[("password", "a brand new long passphrase")]);
            assert_eq!(done.await.status(), 303);
        } else {
            assert_eq!(stranger.post(path, &[]).await.status(), 303);
        }
        // Spent: the "no longer valid" page, logged too.
        assert_eq!(stranger.get(path).await.status(), 410);
    }

    let log = served.log();
    assert!(log.contains("WARN"), "no warning was logged: {log}");
    assert!(log.contains("/password/reset/[redacted]"), "{log}");
    assert!(log.contains("/account/confirm/[redacted]"), "{log}");
    for path in [&confirm, &reset] {
        let token = token_of(path);
        assert_eq!(token.len(), 64, "{path}");
        let lines: Vec<&str> = log.lines().filter(|l| l.contains(&token)).collect();
        assert!(
            lines.is_empty(),
            "the token of {path} was logged: {lines:#?}"
        );
    }
}

fn mode_of(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test]
async fn everything_the_app_writes_under_its_data_folder_is_the_owners_only() {
    let db = TestDatabase::new();
    let (data_dir, database_url) = fresh_data_dir(&db);
    let served = Binary::serve(&data_dir, &database_url, "info").await;
    assert_eq!(
        register(&served.browser, "modes@mektep.kz").await.status(),
        303
    );
    let mail_dir = data_dir.join("mail");
    delivered_files(&mail_dir, 1).await;

    let mut checked = vec![(data_dir.clone(), 0o700), (mail_dir.clone(), 0o700)];
    for entry in std::fs::read_dir(&data_dir).expect("data folder").flatten() {
        if entry.path().is_file() {
            checked.push((entry.path(), 0o600));
        }
    }
    if !ustaz::db::is_postgres_url(&database_url) {
        for end in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{database_url}{end}"));
            assert!(file.exists(), "{} is missing", file.display());
        }
    }
    checked.extend(eml_files(&mail_dir).into_iter().map(|f| (f, 0o600)));
    assert!(checked.len() >= 4, "{checked:?}");
    for (path, expected) in &checked {
        assert_eq!(
            mode_of(path),
            *expected,
            "{} is {:o}",
            path.display(),
            mode_of(path)
        );
    }
}

#[tokio::test]
async fn files_others_could_read_are_made_private_at_start_with_a_warning() {
    let db = TestDatabase::new();
    let (data_dir, database_url) = fresh_data_dir(&db);
    let migrate = |log: &str| {
        let stderr = data_dir.with_extension("migrate.log");
        let status = command(&["migrate"], &data_dir, &database_url, log)
            .stderr(File::create(&stderr).expect("stderr file"))
            .status()
            .expect("run ustaz migrate");
        assert!(status.success());
        std::fs::read_to_string(&stderr).expect("stderr")
    };
    migrate("warn");
    // As an older version (or a copy without care) left them.
    let mail_dir = data_dir.join("mail");
    std::fs::create_dir_all(&mail_dir).expect("mail folder");
    let old_mail = mail_dir.join("old.eml");
    std::fs::write(
        &old_mail,
        "Subject: old\r\n\r\nhttp://x/password/reset/abc\r\n",
    )
    .expect("eml");
    let mut loose = vec![
        (data_dir.clone(), 0o755),
        (mail_dir.clone(), 0o755),
        (old_mail, 0o644),
    ];
    if !ustaz::db::is_postgres_url(&database_url) {
        loose.push((PathBuf::from(&database_url), 0o644));
    }
    for (path, mode) in &loose {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(*mode)).expect("chmod");
    }

    let log = migrate("warn");
    for (path, was) in &loose {
        let private = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode_of(path), private, "{}", path.display());
        let named = log.lines().any(|l| {
            l.contains("WARN")
                && l.contains(&*path.to_string_lossy())
                && l.contains(&format!("{was:o}"))
        });
        assert!(named, "no warning names {}: {log}", path.display());
    }
    // Nothing left to tighten: no more warnings.
    assert!(!migrate("warn").contains("WARN"));
}
