//! The email outbox: messages written with their event, sent by the worker over real SMTP to a
//! server on loopback (or as .eml files), retried while the server is down, never lost.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ustaz::db::{establish, run_migrations};
use ustaz::i18n::Lang;
use ustaz::mail::{enqueue, OutgoingEmail};
use ustaz::schema::outbox_emails;

use crate::helpers::{
    settings_with, spawn_app, spawn_app_with_env, start_with_env, TestApp, TestDatabase,
};
use crate::smtp::{Entity, SmtpServer};

fn email(to: &str, name: &str, lang: Lang, subject: &str) -> OutgoingEmail {
    OutgoingEmail {
        to: to.into(),
        to_name: name.into(),
        lang,
        subject: subject.into(),
        text: "Сәлеметсіз бе!\n\nКурсқа қош келдіңіз.\nhttps://ustaz.kz/courses/1".into(),
        html: None,
    }
}

#[derive(Debug)]
struct OutboxRow {
    recipient: String,
    attempts: i32,
    last_error: Option<String>,
    sent_at: Option<NaiveDateTime>,
}

fn outbox(app: &TestApp) -> Vec<OutboxRow> {
    outbox_emails::table
        .order(outbox_emails::id.asc())
        .select((
            outbox_emails::recipient,
            outbox_emails::attempts,
            outbox_emails::last_error,
            outbox_emails::sent_at,
        ))
        .load::<(String, i32, Option<String>, Option<NaiveDateTime>)>(&mut app.conn())
        .expect("outbox rows")
        .into_iter()
        .map(|(recipient, attempts, last_error, sent_at)| OutboxRow {
            recipient,
            attempts,
            last_error,
            sent_at,
        })
        .collect()
}

/// Polls the outbox (up to 10 s) until `done` holds, and returns the rows then.
async fn wait_for_outbox(
    app: &TestApp,
    what: &str,
    done: impl Fn(&[OutboxRow]) -> bool,
) -> Vec<OutboxRow> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let rows = outbox(app);
        if done(&rows) {
            return rows;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "outbox never got to: {what}; rows: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn all_sent(rows: &[OutboxRow]) -> bool {
    !rows.is_empty() && rows.iter().all(|r| r.sent_at.is_some())
}

/// A loopback port where nothing listens (yet).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

/// The `.eml` files the app wrote to `dir` (mail without an SMTP server).
pub fn eml_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "eml"))
                .collect()
        })
        .unwrap_or_default()
}

async fn wait_for_eml(dir: &std::path::Path, n: usize) -> Vec<std::path::PathBuf> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let files = eml_files(dir);
        if files.len() >= n {
            return files;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "expected {n} .eml file(s) in {}, found {}",
            dir.display(),
            files.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn mail_is_delivered_over_smtp_in_the_recipients_language() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with_env(&[("USTAZ_SMTP_URL", &smtp.url())]).await;
    let text = "Здравствуйте!\n\nПодтвердите адрес по ссылке:\nhttps://ustaz.kz/confirm?t=abc";
    enqueue(
        &mut app.conn(),
        &OutgoingEmail {
            to: "aigerim@example.kz".into(),
            to_name: "Айгерим Садыкова".into(),
            lang: Lang::Ru,
            subject: "Подтвердите адрес электронной почты".into(),
            text: text.into(),
            html: Some(
                "<p>Здравствуйте!</p>\n<p><a href=\"https://ustaz.kz/confirm?t=abc\">Подтвердить</a></p>"
                    .into(),
            ),
        },
    )
    .expect("enqueue");

    let received = smtp.wait_for(1).await;
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert_eq!(mail.from, "no-reply@ustaz.kz");
    assert_eq!(mail.to, vec!["aigerim@example.kz".to_owned()]);

    let message = mail.message();
    let to = message.header("To").expect("To");
    assert!(
        to.contains("Айгерим Садыкова") && to.contains("<aigerim@example.kz>"),
        "{to}"
    );
    assert!(message
        .header("From")
        .expect("From")
        .contains("no-reply@ustaz.kz"));
    assert_eq!(
        message.header("Subject").as_deref(),
        Some("Подтвердите адрес электронной почты")
    );
    assert_eq!(message.header("Content-Language").as_deref(), Some("ru"));
    assert!(message.content_type().starts_with("multipart/alternative"));
    assert_eq!(
        message
            .find_text("text/plain")
            .expect("a text/plain part")
            .trim_end(),
        text
    );
    let html = message.find_text("text/html").expect("a text/html part");
    assert!(
        html.contains("<a href=\"https://ustaz.kz/confirm?t=abc\">"),
        "{html}"
    );

    let rows = wait_for_outbox(&app, "sent", all_sent).await;
    assert_eq!(rows[0].attempts, 0);
    assert!(rows[0].last_error.is_none());
}

#[tokio::test]
async fn mail_with_only_text_is_plain_text_and_ascii_subjects_stay_readable() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with_env(&[("USTAZ_SMTP_URL", &smtp.url())]).await;
    enqueue(
        &mut app.conn(),
        &email("dana@example.kz", "Dana", Lang::En, "Welcome to Ustaz"),
    )
    .expect("enqueue");
    enqueue(
        &mut app.conn(),
        &email(
            "erlan@example.kz",
            "Ерлан",
            Lang::Kk,
            "Ustaz-қа қош келдіңіз",
        ),
    )
    .expect("enqueue");

    let received = smtp.wait_for(2).await;
    let by_recipient = |address: &str| -> Entity {
        received
            .iter()
            .find(|m| m.to == [address.to_owned()])
            .unwrap_or_else(|| panic!("no message for {address}"))
            .message()
    };
    let english = by_recipient("dana@example.kz");
    assert_eq!(
        english.header("Subject").as_deref(),
        Some("Welcome to Ustaz")
    );
    assert_eq!(english.header("Content-Language").as_deref(), Some("en"));
    assert!(english.content_type().starts_with("text/plain"));
    assert!(english
        .find_text("text/plain")
        .expect("text")
        .contains("Курсқа қош келдіңіз."));
    let kazakh = by_recipient("erlan@example.kz");
    assert_eq!(
        kazakh.header("Subject").as_deref(),
        Some("Ustaz-қа қош келдіңіз")
    );
    assert_eq!(kazakh.header("Content-Language").as_deref(), Some("kk"));
    wait_for_outbox(&app, "both sent", |rows| rows.len() == 2 && all_sent(rows)).await;
}

#[tokio::test]
async fn mail_waits_while_the_smtp_server_is_down_and_goes_when_it_is_back() {
    let port = free_port();
    let app = spawn_app_with_env(&[("USTAZ_SMTP_URL", &format!("smtp://127.0.0.1:{port}"))]).await;
    enqueue(
        &mut app.conn(),
        &email("aset@example.kz", "Асет", Lang::Kk, "Сертификат дайын"),
    )
    .expect("enqueue");

    let rows = wait_for_outbox(&app, "a failed attempt", |rows| {
        rows.len() == 1 && rows[0].attempts >= 1 && rows[0].last_error.is_some()
    })
    .await;
    assert!(rows[0].sent_at.is_none());

    let smtp = SmtpServer::start_on(port).await;
    let received = smtp.wait_for(1).await;
    assert_eq!(received[0].to, vec!["aset@example.kz".to_owned()]);
    let rows = wait_for_outbox(&app, "sent after the retry", all_sent).await;
    assert!(rows[0].attempts >= 1);
    // Sent once, not once per failed attempt.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(smtp.messages().len(), 1);
}

#[tokio::test]
async fn mail_failures_are_recorded_without_the_smtp_password() {
    let port = free_port();
    let url = format!("smtp://mailer:hunter2-secret@127.0.0.1:{port}");
    let app = spawn_app_with_env(&[("USTAZ_SMTP_URL", &url)]).await;
    enqueue(
        &mut app.conn(),
        &email("aset@example.kz", "Асет", Lang::Kk, "Сертификат"),
    )
    .expect("enqueue");
    let rows = wait_for_outbox(&app, "a failed attempt", |rows| {
        rows.len() == 1 && rows[0].last_error.is_some()
    })
    .await;
    let error = rows[0].last_error.clone().unwrap_or_default();
    assert!(!error.is_empty());
    assert!(!error.contains("hunter2"), "{error}");
    assert!(rows[0].sent_at.is_none());
}

#[tokio::test]
async fn mail_enqueued_before_the_app_starts_is_sent_when_it_does() {
    let smtp = SmtpServer::start().await;
    let db = TestDatabase::new();
    {
        let mut conn = establish(&db.url).expect("connect");
        run_migrations(&mut conn).expect("migrate");
        enqueue(
            &mut conn,
            &email("gulnar@example.kz", "Гүлнар", Lang::Kk, "Курс аяқталды"),
        )
        .expect("enqueue");
    }
    let app = start_with_env(db, &[("USTAZ_SMTP_URL", &smtp.url())]).await;
    let received = smtp.wait_for(1).await;
    assert_eq!(received[0].to, vec!["gulnar@example.kz".to_owned()]);
    wait_for_outbox(&app, "sent", all_sent).await;
}

/// The first "process" fails to send (its SMTP server is down) and stops; the next one, started
/// on the same database, delivers the message.
#[test]
fn mail_survives_a_restart_of_the_app() {
    let runtime = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    };
    let dead = free_port();
    let first_life = runtime();
    let db = first_life.block_on(async {
        let app =
            spawn_app_with_env(&[("USTAZ_SMTP_URL", &format!("smtp://127.0.0.1:{dead}"))]).await;
        enqueue(
            &mut app.conn(),
            &email("marat@example.kz", "Марат", Lang::Ru, "Ваш сертификат"),
        )
        .expect("enqueue");
        wait_for_outbox(&app, "a failed attempt", |rows| {
            rows.len() == 1 && rows[0].attempts >= 1
        })
        .await;
        app.into_database()
    });
    // Ends the first worker with its runtime.
    first_life.shutdown_timeout(Duration::from_secs(5));

    runtime().block_on(async {
        let smtp = SmtpServer::start().await;
        let app = start_with_env(db, &[("USTAZ_SMTP_URL", &smtp.url())]).await;
        let received = smtp.wait_for(1).await;
        assert_eq!(received[0].to, vec!["marat@example.kz".to_owned()]);
        let rows = wait_for_outbox(&app, "sent", all_sent).await;
        assert!(rows[0].attempts >= 1);
    });
}

#[tokio::test]
async fn mail_without_an_smtp_url_is_written_as_eml_files() {
    let app = spawn_app().await;
    enqueue(
        &mut app.conn(),
        &email(
            "saule@example.kz",
            "Сәуле Ахметова",
            Lang::Kk,
            "Тіркелу расталды",
        ),
    )
    .expect("enqueue");
    let mail_dir = app.server.db.data_dir().join("mail");
    let files = wait_for_eml(&mail_dir, 1).await;
    assert_eq!(files.len(), 1);
    let raw = std::fs::read_to_string(&files[0]).expect("read .eml");
    let message = Entity::parse(&raw);
    let to = message.header("To").expect("To");
    assert!(
        to.contains("Сәуле Ахметова") && to.contains("saule@example.kz"),
        "{to}"
    );
    assert_eq!(
        message.header("Subject").as_deref(),
        Some("Тіркелу расталды")
    );
    assert_eq!(message.header("Content-Language").as_deref(), Some("kk"));
    assert!(message
        .find_text("text/plain")
        .expect("text")
        .contains("Сәлеметсіз бе!"));
    wait_for_outbox(&app, "sent", all_sent).await;
}

#[tokio::test]
async fn mail_headers_cannot_be_injected_through_names_or_subjects() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with_env(&[("USTAZ_SMTP_URL", &smtp.url())]).await;
    enqueue(
        &mut app.conn(),
        &OutgoingEmail {
            to: "victim@example.kz".into(),
            to_name: "Eve\r\nBcc: evil@x.kz".into(),
            lang: Lang::En,
            subject: "Hello\r\nBcc: evil@x.kz\nX-Injected: yes".into(),
            text: "Body".into(),
            html: None,
        },
    )
    .expect("enqueue");

    let received = smtp.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(smtp.messages().len(), 1, "one message, one recipient");
    let mail = &received[0];
    assert_eq!(mail.to, vec!["victim@example.kz".to_owned()]);
    let message = mail.message();
    assert!(message.raw_headers("Bcc").is_empty(), "{}", mail.data);
    assert!(
        message.raw_headers("X-Injected").is_empty(),
        "{}",
        mail.data
    );
    let head = mail.data.split("\r\n\r\n").next().unwrap_or_default();
    for line in head.split("\r\n") {
        let lower = line.to_ascii_lowercase();
        assert!(
            !lower.starts_with("bcc:") && !lower.starts_with("x-injected:"),
            "{head}"
        );
    }
    let subject = message.header("Subject").expect("Subject");
    assert!(!subject.contains(['\r', '\n']), "{subject:?}");
    assert!(subject.starts_with("Hello"), "{subject}");
    wait_for_outbox(&app, "sent", all_sent).await;
}

#[tokio::test]
async fn mail_rolled_back_with_its_event_is_never_stored_or_sent() {
    let app = spawn_app().await;
    let mut conn = app.conn();
    let rolled_back = conn.transaction::<(), diesel::result::Error, _>(|c| {
        enqueue(c, &email("a@example.kz", "A", Lang::En, "Rolled back"))?;
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(rolled_back.is_err());
    assert!(outbox(&app).is_empty());

    conn.transaction::<(), diesel::result::Error, _>(|c| {
        enqueue(c, &email("b@example.kz", "B", Lang::En, "Committed"))
    })
    .expect("commit");
    drop(conn);
    let rows = wait_for_outbox(&app, "the committed one sent", all_sent).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].recipient, "b@example.kz");
    assert_eq!(eml_files(&app.server.db.data_dir().join("mail")).len(), 1);
}

/// Several app instances share one outbox: each message is claimed, and sent, by one of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_is_sent_once_when_several_workers_share_the_outbox() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with_env(&[("USTAZ_SMTP_URL", &smtp.url())]).await;
    for _ in 0..3 {
        ustaz::mail::spawn_worker(
            app.server.pool.clone(),
            settings_with(
                &app.server.db.url,
                app.server.db.data_dir(),
                &[("USTAZ_SMTP_URL", &smtp.url())],
            ),
        );
    }
    let count = 12;
    app.conn()
        .transaction::<(), diesel::result::Error, _>(|c| {
            for i in 0..count {
                enqueue(
                    c,
                    &email(&format!("t{i}@example.kz"), "T", Lang::Ru, "Новость"),
                )?;
            }
            Ok(())
        })
        .expect("enqueue");

    smtp.wait_for(count).await;
    wait_for_outbox(&app, "all sent", all_sent).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let received = smtp.messages();
    let recipients: BTreeSet<_> = received.iter().flat_map(|m| m.to.clone()).collect();
    assert_eq!(received.len(), count, "no message twice");
    assert_eq!(recipients.len(), count);
}
