//! Stopping the real binary while it is sending: SIGTERM or SIGINT lets the mail worker finish
//! the delivery in progress and record it before the process exits, so a normal restart sends
//! nothing twice. A crash (SIGKILL) loses nothing: the message goes again when its claim ends.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ustaz::db::{establish, now, run_migrations, AnyConnection};
use ustaz::i18n::Lang;
use ustaz::mail::{enqueue, OutgoingEmail};
use ustaz::schema::outbox_emails;

use crate::helpers::TestDatabase;
use crate::smtp::{DataAnswer, SmtpServer};

/// How long the test SMTP server holds each message before answering it.
const SLOW_DATA: Duration = Duration::from_millis(1500);

/// `ustaz serve` on a free port, sending to `smtp`, its log in the data directory.
struct Serving {
    child: Child,
    log: std::path::PathBuf,
}

impl Serving {
    fn start(db: &TestDatabase, smtp: &SmtpServer, life: usize) -> Self {
        let log = db.data_dir().join(format!("serve-{life}.log"));
        let output = File::create(&log).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_ustaz"))
            .arg("serve")
            .env("DATABASE_URL", &db.url)
            .env("USTAZ_DATA_DIR", db.data_dir())
            .env("USTAZ_BIND", "127.0.0.1:0")
            .env("USTAZ_SECRET_KEY", "7".repeat(64))
            .env("USTAZ_SMTP_URL", smtp.url())
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(output.try_clone().expect("log file"))
            .stderr(output)
            .spawn()
            .expect("start ustaz serve");
        Self { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Waits (up to 30 s) for the process to end.
    async fn exited(&mut self) -> ExitStatus {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for ustaz") {
                return status;
            }
            if tokio::time::Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("ustaz did not exit within 30 s; log:\n{}", self.log());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[derive(Debug)]
struct Row {
    subject: String,
    attempts: i32,
    last_error: Option<String>,
    send_after: NaiveDateTime,
    sent_at: Option<NaiveDateTime>,
}

fn rows(conn: &mut AnyConnection) -> Vec<Row> {
    outbox_emails::table
        .order(outbox_emails::id.asc())
        .select((
            outbox_emails::subject,
            outbox_emails::attempts,
            outbox_emails::last_error,
            outbox_emails::send_after,
            outbox_emails::sent_at,
        ))
        .load::<(
            String,
            i32,
            Option<String>,
            NaiveDateTime,
            Option<NaiveDateTime>,
        )>(conn)
        .expect("outbox rows")
        .into_iter()
        .map(|(subject, attempts, last_error, send_after, sent_at)| Row {
            subject,
            attempts,
            last_error,
            send_after,
            sent_at,
        })
        .collect()
}

/// A migrated database holding `count` emails, numbered in their subjects.
fn outbox_of(count: usize) -> (TestDatabase, AnyConnection) {
    let db = TestDatabase::new();
    let mut conn = establish(&db.url).expect("connect");
    run_migrations(&mut conn).expect("migrate");
    for i in 1..=count {
        let email = OutgoingEmail {
            to: format!("teacher{i}@example.kz"),
            to_name: format!("Мұғалім {i}"),
            lang: Lang::Kk,
            subject: format!("Хабарлама {i}"),
            text: "Сәлеметсіз бе!".into(),
            html: None,
        };
        enqueue(&mut conn, &email).expect("enqueue");
    }
    (db, conn)
}

/// Makes every unsent message due now, as if the restart came after any claim had run out
/// (a process that died mid-delivery holds its message for five minutes).
fn let_claims_run_out(conn: &mut AnyConnection) {
    diesel::update(outbox_emails::table.filter(outbox_emails::sent_at.is_null()))
        .set(outbox_emails::send_after.eq(now()))
        .execute(conn)
        .expect("rewind the claims");
}

/// Waits (up to 20 s) until the SMTP server has seen more than `before` DATA commands.
async fn delivery_in_progress(smtp: &SmtpServer, before: usize, serving: &Serving) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while smtp.deliveries_begun() <= before {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no delivery began; log:\n{}",
            serving.log()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A test SMTP server that holds each message `SLOW_DATA` before accepting (or refusing) it.
async fn slow_smtp(refuse: bool) -> SmtpServer {
    let answer = DataAnswer {
        delay: SLOW_DATA,
        refuse,
    };
    SmtpServer::start_answering(0, answer).await
}

/// One email in the outbox, `ustaz serve` started, and `signal` sent while it is on the wire.
async fn signalled_mid_delivery(
    smtp: &SmtpServer,
    signal: &str,
) -> (TestDatabase, AnyConnection, Serving, ExitStatus) {
    let (db, conn) = outbox_of(1);
    let mut serving = Serving::start(&db, smtp, 0);
    delivery_in_progress(smtp, 0, &serving).await;
    serving.signal(signal);
    let status = serving.exited().await;
    (db, conn, serving, status)
}

/// Waits (up to 30 s) until every message is marked sent.
async fn all_marked_sent(conn: &mut AnyConnection, serving: &Serving) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !rows(conn).iter().all(|r| r.sent_at.is_some()) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "not all sent: {:?}; log:\n{}",
            rows(conn),
            serving.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn subjects_received(smtp: &SmtpServer) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for mail in smtp.messages() {
        let subject = mail.message().header("Subject").unwrap_or_default();
        *counts.entry(subject).or_insert(0) += 1;
    }
    counts
}

/// Six restarts, each signalled while a message is on the wire to a slow SMTP server: every
/// message the server took in is marked sent by the time the process has exited, and after the
/// last start all of them arrived exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_is_never_sent_twice_across_restarts_during_delivery() {
    let count = 8;
    let (db, mut conn) = outbox_of(count);
    let smtp = slow_smtp(false).await;

    for life in 0..6 {
        let mut serving = Serving::start(&db, &smtp, life);
        delivery_in_progress(&smtp, smtp.deliveries_begun(), &serving).await;
        serving.signal(if life % 2 == 0 { "TERM" } else { "INT" });
        let status = serving.exited().await;
        assert!(status.success(), "{status}; log:\n{}", serving.log());

        let received = smtp.messages().len();
        let outbox = rows(&mut conn);
        let marked = outbox.iter().filter(|r| r.sent_at.is_some()).count();
        assert_eq!(
            marked,
            received,
            "life {life}: every message the server took in is marked sent; rows: {outbox:?}; log:\n{}",
            serving.log()
        );
        let_claims_run_out(&mut conn);
    }

    let mut last = Serving::start(&db, &smtp, 6);
    all_marked_sent(&mut conn, &last).await;
    last.signal("TERM");
    assert!(last.exited().await.success(), "{}", last.log());

    let received = subjects_received(&smtp);
    let twice: Vec<_> = received.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    let expected: BTreeSet<String> = (1..=count).map(|i| format!("Хабарлама {i}")).collect();
    assert_eq!(received.keys().cloned().collect::<BTreeSet<_>>(), expected);
    assert!(rows(&mut conn).iter().all(|r| r.sent_at.is_some()));
}

/// A delivery that fails while the process is stopping is recorded as failed and due again after
/// its backoff, not held for the five-minute claim.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_refused_while_stopping_is_released_for_a_retry() {
    let smtp = slow_smtp(true).await;
    let (_db, mut conn, serving, status) = signalled_mid_delivery(&smtp, "TERM").await;
    assert!(status.success(), "{status}; log:\n{}", serving.log());

    let outbox = rows(&mut conn);
    let row = &outbox[0];
    assert_eq!(row.subject, "Хабарлама 1");
    assert!(row.sent_at.is_none(), "{row:?}");
    assert_eq!(row.attempts, 1, "{row:?}; log:\n{}", serving.log());
    let error = row.last_error.clone().unwrap_or_default();
    assert!(error.contains("451"), "{error}");
    assert!(
        row.send_after < now() + chrono::TimeDelta::seconds(10),
        "due again after its backoff, not after a claim: {row:?}"
    );
    assert_eq!(
        smtp.deliveries_begun(),
        1,
        "nothing claimed after the signal"
    );
}

/// SIGKILL mid-delivery: nothing records the message, its claim keeps other instances off it
/// for five minutes, and then it goes again and is marked. The copy the server took in before
/// the crash makes two: at least once is all a crash can promise.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_claimed_by_a_crashed_process_goes_again_when_its_claim_ends() {
    let smtp = slow_smtp(false).await;
    let (db, mut conn, crashed, status) = signalled_mid_delivery(&smtp, "KILL").await;
    assert!(!status.success(), "{status}; log:\n{}", crashed.log());

    let row = &rows(&mut conn)[0];
    assert!(row.sent_at.is_none(), "{row:?}");
    assert!(
        row.send_after > now() + chrono::TimeDelta::seconds(240),
        "held by its claim: {row:?}"
    );

    let_claims_run_out(&mut conn);
    let mut restarted = Serving::start(&db, &smtp, 1);
    all_marked_sent(&mut conn, &restarted).await;
    restarted.signal("TERM");
    assert!(restarted.exited().await.success(), "{}", restarted.log());
    assert_eq!(smtp.messages().len(), 2);
}
