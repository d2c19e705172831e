//! Email goes through an outbox: `enqueue` writes a row in the same transaction as the event
//! that causes it, and a background worker sends due rows (by SMTP when `USTAZ_SMTP_URL` is set,
//! else as `.eml` files under `data/mail/`), retrying with backoff and marking each row sent.
//! A row is only marked sent after the transport accepted it, so nothing is lost across a
//! restart. On shutdown the worker claims nothing more and finishes and records the message it
//! is sending before the process exits, so a normal restart sends nothing twice; only a crash
//! between sending and marking can (the message goes again when its claim ends: at least once).

mod message;
mod models;

use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::QueryResult;
use lettre::message::Mailbox;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::configuration::Settings;
use crate::db::{now, AnyConnection, DbPool};
use crate::i18n::Lang;

use crate::telemetry::redact_secrets;
use models::{KeptBody, NewOutboxRow, PendingEmail};

/// An email to send, already in the recipient's language.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    /// An already-validated address.
    pub to: String,
    pub to_name: String,
    pub lang: Lang,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

/// Inserts the email into the outbox. Callers run it inside their own `db::transaction(…)`
/// together with the event, so the email exists exactly when the event does.
pub fn enqueue(conn: &mut AnyConnection, email: &OutgoingEmail) -> QueryResult<()> {
    let now = now();
    models::insert(
        conn,
        &NewOutboxRow {
            recipient: email.to.trim(),
            recipient_name: &email.to_name,
            language: email.lang.code(),
            subject: &email.subject,
            body_text: &email.text,
            body_html: email.html.as_deref(),
            created_at: now,
            send_after: now,
        },
    )
}

/// How often the worker looks for due messages when the outbox is idle.
const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// Pause after the database could not be reached, so an outage is not logged twice a second.
const DATABASE_PAUSE: Duration = Duration::from_secs(5);
/// Messages taken per look; after a full batch the worker looks again at once.
const BATCH: i64 = 20;
/// One delivery may take at most this long (lettre's own per-command timeout is shorter).
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
const SMTP_COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a claimed message is reserved for the instance that claimed it; longer than any
/// delivery can take, so two instances never send it at once. After a crash it becomes due again.
const CLAIM_LEASE: Duration = Duration::from_secs(300);
const _: () = assert!(CLAIM_LEASE.as_secs() > 2 * SEND_TIMEOUT.as_secs());
const _: () = assert!(SMTP_COMMAND_TIMEOUT.as_secs() < SEND_TIMEOUT.as_secs());
/// How long shutdown waits for the delivery in progress: its own timeout, then time to record it
/// (a pooled connection comes within 5 s or not at all).
pub const SHUTDOWN_WAIT: Duration = Duration::from_secs(SEND_TIMEOUT.as_secs() + 10);
const _: () = assert!(SHUTDOWN_WAIT.as_secs() < CLAIM_LEASE.as_secs());
/// First retry after one second, doubling, at most an hour apart.
const FIRST_RETRY: Duration = Duration::from_secs(1);
const MAX_RETRY: Duration = Duration::from_secs(3600);
/// After this many failures (about four days of hourly retries) a message is left for an operator:
/// it stays in the table with its last error but is no longer tried.
pub const MAX_ATTEMPTS: i32 = 100;
/// Stored error texts are cut to this many characters.
const MAX_ERROR_CHARS: usize = 500;

/// Delay before the next try of a message that has now failed `attempts` times:
/// 1 s, 2 s, 4 s, … capped at one hour.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 30) as u32;
    FIRST_RETRY
        .checked_mul(1u32 << doublings)
        .map_or(MAX_RETRY, |delay| delay.min(MAX_RETRY))
}

/// Starts the outbox worker on the current async runtime (the server's, or a test's). A bad
/// sender address or SMTP URL is logged and no worker starts (`None`): the messages wait in the
/// outbox until the configuration is fixed. Dropping the handle leaves the worker running.
pub fn spawn_worker(pool: DbPool, settings: Settings) -> Option<MailWorker> {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::error!("the mail worker needs an async runtime; mail waits in the outbox");
        return None;
    };
    let sender: Mailbox = match settings.mail_from.parse() {
        Ok(sender) => sender,
        Err(error) => {
            tracing::error!(%error, "USTAZ_MAIL_FROM is not an address; mail waits in the outbox");
            return None;
        }
    };
    // Inside the runtime: lettre's connection pool starts a task of its own.
    let _guard = runtime.enter();
    let transport = match Transport::from_settings(&settings) {
        Ok(transport) => transport,
        Err(error) => {
            tracing::error!(%error, "no mail transport; mail waits in the outbox");
            return None;
        }
    };
    tracing::info!(transport = transport.describe(), "mail worker started");
    let (stop, stopping) = watch::channel(false);
    let task = runtime.spawn(run(pool, transport, sender, Stopping(stopping)));
    Some(MailWorker {
        stop: StopMail(stop),
        task,
    })
}

/// The running outbox worker.
pub struct MailWorker {
    stop: StopMail,
    task: JoinHandle<()>,
}

/// Tells a worker to claim no more messages; the one it is sending is still finished and recorded.
#[derive(Clone)]
pub struct StopMail(watch::Sender<bool>);

impl StopMail {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

impl MailWorker {
    /// A handle that stops the worker, for whoever learns first that the process is stopping.
    pub fn stopper(&self) -> StopMail {
        self.stop.clone()
    }

    /// Stops the worker and waits until the message it is sending is recorded, as sent or as
    /// failed and due again, but at most `SHUTDOWN_WAIT`; past that its claim makes it go again
    /// later, as after a crash.
    pub async fn shut_down(self) {
        self.stop.stop();
        match tokio::time::timeout(SHUTDOWN_WAIT, self.task).await {
            Ok(Ok(())) => tracing::info!("mail worker stopped"),
            Ok(Err(error)) => tracing::error!(%error, "the mail worker had failed"),
            Err(_) => tracing::error!(
                waited_s = SHUTDOWN_WAIT.as_secs(),
                "mail worker still busy at exit; its message goes again when its claim ends"
            ),
        }
    }
}

/// The worker's side of `StopMail`.
struct Stopping(watch::Receiver<bool>);

impl Stopping {
    fn requested(&self) -> bool {
        *self.0.borrow()
    }

    /// Waits `pause`, or less if a stop comes meanwhile.
    async fn pause(&mut self, pause: Duration) {
        let until = tokio::time::Instant::now() + pause;
        let stop = self.0.wait_for(|stop| *stop);
        let closed = matches!(tokio::time::timeout(pause, stop).await, Ok(Err(_)));
        if closed {
            // The handle was dropped: nothing will stop this worker but the runtime's end.
            tokio::time::sleep_until(until).await;
        }
    }
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Development: each message an `.eml` file in this folder, readable by the owner only.
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

impl Transport {
    fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        match &settings.smtp_url {
            // The URL may hold a password: it is never logged, nor its parse error's input.
            Some(url) => {
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("USTAZ_SMTP_URL is unusable: {e}"))?;
                let smtp = builder.timeout(Some(SMTP_COMMAND_TIMEOUT)).build();
                Ok(Self::Smtp(smtp))
            }
            None => {
                let dir = settings.mail_dir();
                crate::db::private_dir(&dir).map_err(|e| {
                    anyhow::anyhow!("cannot create the mail directory {}: {e}", dir.display())
                })?;
                Ok(Self::Files(AsyncFileTransport::new(&dir), dir))
            }
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            Self::Smtp(_) => "smtp",
            Self::Files(..) => "files",
        }
    }

    async fn send(&self, message: Message) -> Result<(), String> {
        let delivery = async {
            match self {
                Self::Smtp(smtp) => smtp
                    .send(message)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string()),
                Self::Files(files, dir) => {
                    let id = files.send(message).await.map_err(|e| e.to_string())?;
                    // The message holds its links: the owner's only, whatever the umask. It is
                    // written already (and its folder is private), so a failure here is no reason
                    // to write it again.
                    let file = dir.join(format!("{id}.eml"));
                    if let Err(error) = crate::db::private_file(&file) {
                        tracing::warn!(path = %file.display(), %error, "cannot make the .eml file private");
                    }
                    Ok(())
                }
            }
        };
        match tokio::time::timeout(SEND_TIMEOUT, delivery).await {
            Ok(result) => result,
            Err(_) => Err(format!("timed out after {} s", SEND_TIMEOUT.as_secs())),
        }
    }
}

async fn run(pool: DbPool, transport: Transport, sender: Mailbox, mut stopping: Stopping) {
    let mut backlog_redacted = false;
    while !stopping.requested() {
        match deliver_due(&pool, &transport, &sender, &stopping).await {
            Ok(_) if !backlog_redacted => {
                // Once per start, when the database answers: rows from before redaction.
                match blocking(&pool, redact_backlog).await {
                    Ok(0) => {}
                    Ok(count) => tracing::info!(count, "links blanked in old sent emails"),
                    Err(error) => {
                        tracing::warn!(error = %format!("{error:#}"), "old sent emails not redacted")
                    }
                }
                backlog_redacted = true;
            }
            Ok(taken) if taken >= BATCH as usize => {}
            Ok(_) => stopping.pause(POLL_INTERVAL).await,
            Err(error) => {
                tracing::warn!(error = %format!("{error:#}"), "mail outbox unavailable");
                stopping.pause(DATABASE_PAUSE).await;
            }
        }
    }
}

/// Sends every due message this instance manages to claim, claiming none once a stop is
/// requested; returns how many were due.
async fn deliver_due(
    pool: &DbPool,
    transport: &Transport,
    sender: &Mailbox,
    stopping: &Stopping,
) -> anyhow::Result<usize> {
    let due = blocking(pool, |conn| models::due(conn, now(), MAX_ATTEMPTS, BATCH)).await?;
    let count = due.len();
    for email in due {
        if stopping.requested() {
            break;
        }
        let id = email.id;
        let claimed = blocking(pool, move |conn| {
            let now = now();
            models::claim(conn, id, now, later(now, CLAIM_LEASE))
        })
        .await?;
        if claimed {
            deliver(pool, transport, sender, email).await?;
        }
    }
    Ok(count)
}

async fn deliver(
    pool: &DbPool,
    transport: &Transport,
    sender: &Mailbox,
    email: PendingEmail,
) -> anyhow::Result<()> {
    let id = email.id;
    let outcome = match message::build(&email, sender) {
        Ok(message) => transport.send(message).await,
        Err(error) => Err(error),
    };
    // Once it has gone (or will never go), the row keeps no working link.
    let kept = KeptBody::of(&email.body_text, email.body_html.as_deref());
    match outcome {
        Ok(()) => {
            blocking(pool, move |conn| models::mark_sent(conn, id, now(), &kept))
                .await
                .inspect_err(|_| {
                    // Sent, but the row could not be marked: it goes again when the claim ends.
                    tracing::error!(id, "email sent but not marked; it may be sent twice");
                })?;
            tracing::info!(id, "email sent");
        }
        Err(error) => {
            let attempts = email.attempts.saturating_add(1);
            let delay = backoff(attempts);
            let error = truncate(&redact_secrets(&error), MAX_ERROR_CHARS);
            let given_up = attempts >= MAX_ATTEMPTS;
            if given_up {
                tracing::error!(id, attempts, %error, "email failed too often; giving up");
            } else {
                let retry_in_s = delay.as_secs();
                tracing::warn!(id, attempts, retry_in_s, %error, "email not sent; will retry");
            }
            blocking(pool, move |conn| {
                let kept = given_up.then_some(&kept);
                models::mark_failed(conn, id, &error, later(now(), delay), kept)
            })
            .await?;
        }
    }
    Ok(())
}

/// Blanks the links in messages that were done with before bodies were redacted at sending;
/// returns how many changed.
fn redact_backlog(conn: &mut AnyConnection) -> QueryResult<usize> {
    let (mut after, mut changed) = (0, 0);
    loop {
        let rows = models::done_with_links(conn, MAX_ATTEMPTS, after, BATCH)?;
        let Some(&(last, _, _)) = rows.last() else {
            return Ok(changed);
        };
        for (id, text, html) in rows {
            let kept = KeptBody::of(&text, html.as_deref());
            if kept.body_text != text || kept.body_html != html {
                models::keep_only(conn, id, &kept)?;
                changed += 1;
            }
        }
        after = last;
    }
}

/// Runs diesel work with a pooled connection on the blocking thread pool.
async fn blocking<T, F>(pool: &DbPool, work: F) -> anyhow::Result<T>
where
    F: FnOnce(&mut AnyConnection) -> QueryResult<T> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || -> anyhow::Result<T> {
        let mut conn = pool.get()?;
        let result = work(&mut conn);
        Ok(crate::db::checked(&mut conn, result)?)
    })
    .await?
}

fn later(from: NaiveDateTime, delay: Duration) -> NaiveDateTime {
    chrono::TimeDelta::from_std(delay)
        .ok()
        .and_then(|delta| from.checked_add_signed(delta))
        .unwrap_or(from)
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_one_second() {
        let secs: Vec<u64> = (1..=6).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(secs, vec![1, 2, 4, 8, 16, 32]);
    }

    #[test]
    fn backoff_is_capped_at_an_hour() {
        assert_eq!(backoff(12), Duration::from_secs(2048));
        assert_eq!(backoff(13), MAX_RETRY);
        assert_eq!(backoff(40), MAX_RETRY);
        assert_eq!(backoff(i32::MAX), MAX_RETRY);
    }

    #[test]
    fn backoff_never_goes_below_the_first_retry() {
        assert_eq!(backoff(0), FIRST_RETRY);
        assert_eq!(backoff(-5), FIRST_RETRY);
    }

    #[test]
    fn errors_are_cut_at_a_character_boundary() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("абвгд", 3), "абв…");
    }

    #[test]
    fn later_adds_the_delay() {
        let t = now();
        assert_eq!(
            later(t, Duration::from_secs(2)) - t,
            chrono::TimeDelta::seconds(2)
        );
    }
}
