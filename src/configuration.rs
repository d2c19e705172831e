//! Typed settings from the environment (and an optional `.env`). Secrets are never logged.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use crate::certificates::credential::IssuerKey;
use crate::domain::Role;
use crate::domain::TrustedProxies;
use rand::RngCore;

#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    pub bind: String,
    pub base_url: String,
    pub data_dir: PathBuf,
    pub secret_key: SecretKey,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub static_dir: PathBuf,
    /// Connections in the pool; the blocking thread pool is sized to match.
    pub db_pool_size: u32,
    /// Signs the Open Badges credentials: `USTAZ_CREDENTIAL_KEY` (a PKCS#8 PEM), else a key pair
    /// generated once in `data/credential-ed25519.pem`.
    pub credential_key: IssuerKey,
    /// Lookups allowed per client address per minute on the public verification pages.
    pub verify_rate_per_minute: u32,
    /// How long a client may take to send its request.
    pub timeouts: Timeouts,
    /// Password hashes run at once (`USTAZ_PASSWORD_HASHES_AT_ONCE`, one per core by default).
    pub password_hashes_at_once: usize,
    /// How long a request waits for its turn to hash before the "busy" page
    /// (`USTAZ_PASSWORD_HASH_WAIT_MS`, 5,000 by default).
    pub password_hash_wait: Duration,
    /// Proxies whose `X-Forwarded-For`/`Forwarded`/`X-Forwarded-Host` are believed
    /// (`USTAZ_TRUSTED_PROXIES`, addresses or networks; none by default).
    pub trusted_proxies: TrustedProxies,
    /// Registrations allowed from one client address per hour
    /// (`USTAZ_REGISTRATIONS_PER_ADDRESS_PER_HOUR`, 10 by default): room for a school's teachers
    /// registering together behind one address, too little to mail strangers in bulk.
    pub registrations_per_address_per_hour: i32,
    /// Removal of unconfirmed registrations (`USTAZ_UNCONFIRMED_DAYS`, `USTAZ_PURGE_INTERVAL_SECS`).
    pub purge: PurgeSettings,
    /// Whether coordinators and administrators must sign in with a second factor
    /// (`USTAZ_STAFF_TWO_STEP`: `required`, the default, or `optional` for a pilot).
    pub staff_two_step: StaffTwoStep,
    /// How long a session lasts without activity, per role.
    pub idle: IdleTimeouts,
}

/// Teachers who registered and never confirmed their address are removed after `days` days; the
/// server looks for them every `every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PurgeSettings {
    pub days: u32,
    pub every: Duration,
}

impl PurgeSettings {
    fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let days = match get("USTAZ_UNCONFIRMED_DAYS") {
            // Less than the confirmation link's 3 days would remove accounts whose link still works.
            Some(n) => n.trim().parse().ok().filter(|&d| d >= 3).context(
                "USTAZ_UNCONFIRMED_DAYS must be a whole number of days, at least 3 (the link's life)",
            )?,
            None => 7,
        };
        let every = match get("USTAZ_PURGE_INTERVAL_SECS") {
            Some(n) => Duration::from_secs(n.trim().parse().ok().filter(|&s| s > 0).context(
                "USTAZ_PURGE_INTERVAL_SECS must be a whole number of seconds, at least 1",
            )?),
            None => Duration::from_secs(60 * 60),
        };
        Ok(Self { days, every })
    }
}

/// Whether staff must have a second factor (`USTAZ_STAFF_TWO_STEP`: `required`, the default, or
/// `optional` for a pilot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffTwoStep {
    Required,
    Optional,
}

impl StaffTwoStep {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "required" => Some(Self::Required),
            "optional" => Some(Self::Optional),
            _ => None,
        }
    }

    /// Whether a user of `role` must set up a second factor before using the site.
    pub fn required_for(self, role: Role) -> bool {
        self == Self::Required && role.is_staff()
    }
}

/// Inactivity timeouts, in whole minutes (at least 1): `USTAZ_STAFF_IDLE_MINUTES` for
/// administrators and coordinators (30 by default: they see many teachers' records),
/// `USTAZ_TEACHER_IDLE_MINUTES` for teachers (120: a lesson and its quiz take a while).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdleTimeouts {
    pub staff_minutes: i64,
    pub teacher_minutes: i64,
}

impl IdleTimeouts {
    pub const DEFAULT: IdleTimeouts = IdleTimeouts {
        staff_minutes: 30,
        teacher_minutes: 120,
    };

    /// The minutes of inactivity after which a `role`'s session ends.
    pub fn minutes_for(&self, role: Role) -> i64 {
        if role.is_staff() {
            self.staff_minutes
        } else {
            self.teacher_minutes
        }
    }

    fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let minutes = |name: &str, default: i64| -> anyhow::Result<i64> {
            let Some(raw) = get(name) else {
                return Ok(default);
            };
            match raw.trim().parse::<i64>() {
                // Up to a week: more is no inactivity timeout at all (and stays far from overflow).
                Ok(n) if (1..=7 * 24 * 60).contains(&n) => Ok(n),
                _ => anyhow::bail!("{name} must be a whole number of minutes, from 1 to 10080"),
            }
        };
        let d = Self::DEFAULT;
        Ok(Self {
            staff_minutes: minutes("USTAZ_STAFF_IDLE_MINUTES", d.staff_minutes)?,
            teacher_minutes: minutes("USTAZ_TEACHER_IDLE_MINUTES", d.teacher_minutes)?,
        })
    }
}

/// How long a client may take to send a request, so that slow or stalled clients cannot hold
/// connections: seconds each, always on; `USTAZ_*_SECS` change them (never to 0 = off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// From the connection (or the previous response) to the end of the request's headers.
    pub request_head: Duration,
    /// The longest wait for the next piece of a body (a stalled body).
    pub body_idle: Duration,
    /// From the end of the headers to the end of the body (a body that trickles in).
    pub body_total: Duration,
    /// How long a connection is kept to let the client read the answer before it is closed
    /// (after an answer to a body that was not read to its end).
    pub disconnect: Duration,
}

impl Timeouts {
    pub const DEFAULT: Timeouts = Timeouts {
        request_head: Duration::from_secs(5),
        body_idle: Duration::from_secs(10),
        body_total: Duration::from_secs(30),
        disconnect: Duration::from_secs(2),
    };

    fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let seconds = |name: &str, default: Duration| -> anyhow::Result<Duration> {
            let Some(raw) = get(name) else {
                return Ok(default);
            };
            match raw.trim().parse::<u64>() {
                Ok(secs) if secs > 0 => Ok(Duration::from_secs(secs)),
                _ => anyhow::bail!("{name} must be a whole number of seconds, at least 1"),
            }
        };
        let d = Self::DEFAULT;
        Ok(Self {
            request_head: seconds("USTAZ_REQUEST_HEAD_TIMEOUT_SECS", d.request_head)?,
            body_idle: seconds("USTAZ_BODY_IDLE_TIMEOUT_SECS", d.body_idle)?,
            body_total: seconds("USTAZ_BODY_TIMEOUT_SECS", d.body_total)?,
            disconnect: seconds("USTAZ_DISCONNECT_TIMEOUT_SECS", d.disconnect)?,
        })
    }
}

/// At least 256 random bits; `Debug` never shows it.
#[derive(Clone)]
pub struct SecretKey(Vec<u8>);

impl SecretKey {
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn random() -> Self {
        let mut key = vec![0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self(key)
    }

    /// Hex (64+ digits) or any string of at least 32 bytes.
    pub fn parse(raw: &str) -> anyhow::Result<Self> {
        let raw = raw.trim();
        if let Ok(bytes) = hex::decode(raw) {
            if bytes.len() >= 32 {
                return Ok(Self(bytes));
            }
        }
        anyhow::ensure!(
            raw.len() >= 32,
            "USTAZ_SECRET_KEY must hold at least 256 bits (64 hex digits)"
        );
        Ok(Self(raw.as_bytes().to_vec()))
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("database", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("base_url", &self.base_url)
            .field("data_dir", &self.data_dir)
            .field("smtp", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("staff_two_step", &self.staff_two_step)
            .field("credential_key", &self.credential_key)
            .finish_non_exhaustive()
    }
}

/// Hides a password in `scheme://user:password@host/…`.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => {
                    format!("{}://{user}:***@{}", &url[..scheme_end], &url[at + 1..])
                }
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Settings {
    /// A key for one purpose ("ustaz session v1", "ustaz csrf v1"), derived from the secret key,
    /// so that no two uses share a key.
    pub fn derived_key(&self, purpose: &str) -> Vec<u8> {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(self.secret_key.bytes())
            .expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// Reads the process environment (after loading `.env` if present).
    pub fn from_env() -> anyhow::Result<Self> {
        let _ = dotenvy::dotenv();
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let data_dir = PathBuf::from(get("USTAZ_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = get("DATABASE_URL")
            .unwrap_or_else(|| data_dir.join("ustaz.db").to_string_lossy().into_owned());
        let bind = get("USTAZ_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let base_url = get("USTAZ_BASE_URL")
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_owned();
        anyhow::ensure!(
            base_url.starts_with("http://") || base_url.starts_with("https://"),
            "USTAZ_BASE_URL must start with http:// or https://"
        );
        let secret_key = match get("USTAZ_SECRET_KEY") {
            Some(raw) => SecretKey::parse(&raw)?,
            None => load_or_create_key(&data_dir.join("secret.key"))?,
        };
        let static_dir = get("USTAZ_STATIC_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(default_static_dir);
        let db_pool_size = match get("USTAZ_DB_POOL_SIZE") {
            Some(n) => n.parse().context("USTAZ_DB_POOL_SIZE must be a number")?,
            None => 8,
        };
        let credential_key = match get("USTAZ_CREDENTIAL_KEY") {
            Some(pem) => IssuerKey::from_pkcs8_pem(&pem).context("USTAZ_CREDENTIAL_KEY")?,
            None => IssuerKey::load_or_create(&data_dir.join("credential-ed25519.pem"))?,
        };
        let verify_rate_per_minute = match get("USTAZ_VERIFY_RATE_PER_MINUTE") {
            Some(n) => n
                .parse()
                .context("USTAZ_VERIFY_RATE_PER_MINUTE must be a number")?,
            None => 30,
        };
        let password_hashes_at_once = match get("USTAZ_PASSWORD_HASHES_AT_ONCE") {
            Some(n) => n
                .parse()
                .ok()
                .filter(|&n| n > 0)
                .context("USTAZ_PASSWORD_HASHES_AT_ONCE must be a number above 0")?,
            // One per core: the most that can make progress at once.
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let password_hash_wait = match get("USTAZ_PASSWORD_HASH_WAIT_MS") {
            Some(ms) => Duration::from_millis(
                ms.parse()
                    .context("USTAZ_PASSWORD_HASH_WAIT_MS must be a number")?,
            ),
            // Fifty sign-ins at once on two cores wait about a second: room for a busier moment.
            None => Duration::from_millis(5000),
        };
        let trusted_proxies =
            TrustedProxies::parse(&get("USTAZ_TRUSTED_PROXIES").unwrap_or_default())
                .map_err(|e| anyhow::anyhow!("USTAZ_TRUSTED_PROXIES: {e}"))?;
        let registrations_per_address_per_hour =
            match get("USTAZ_REGISTRATIONS_PER_ADDRESS_PER_HOUR") {
                Some(n) => {
                    n.parse().ok().filter(|&n| n > 0).context(
                        "USTAZ_REGISTRATIONS_PER_ADDRESS_PER_HOUR must be a number above 0",
                    )?
                }
                None => 10,
            };
        let staff_two_step = match get("USTAZ_STAFF_TWO_STEP") {
            Some(raw) => StaffTwoStep::parse(&raw)
                .context("USTAZ_STAFF_TWO_STEP must be \"required\" or \"optional\"")?,
            None => StaffTwoStep::Required,
        };
        Ok(Self {
            registrations_per_address_per_hour,
            purge: PurgeSettings::from_lookup(&get)?,
            staff_two_step,
            timeouts: Timeouts::from_lookup(&get)?,
            idle: IdleTimeouts::from_lookup(&get)?,
            trusted_proxies,
            credential_key,
            verify_rate_per_minute,
            password_hashes_at_once,
            password_hash_wait,
            database_url,
            bind,
            base_url,
            data_dir,
            secret_key,
            smtp_url: get("USTAZ_SMTP_URL"),
            mail_from: get("USTAZ_MAIL_FROM").unwrap_or_else(|| "Ustaz <no-reply@ustaz.kz>".into()),
            static_dir,
            db_pool_size,
        })
    }

    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }
}

/// `static/` next to the working directory, else the one in the source tree (for `cargo run` from elsewhere).
fn default_static_dir() -> PathBuf {
    let local = PathBuf::from("static");
    if local.is_dir() {
        local
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("static")
    }
}

/// The key is generated once and kept with 0600 permissions, so sessions survive restarts.
fn load_or_create_key(path: &Path) -> anyhow::Result<SecretKey> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        return SecretKey::parse(&existing)
            .with_context(|| format!("bad key in {}", path.display()));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the data directory {}", parent.display()))?;
    }
    let key = SecretKey::random();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(hex::encode(key.bytes()).as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(key)
        }
        // Another process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let existing = std::fs::read_to_string(path)?;
            SecretKey::parse(&existing)
        }
        Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)], dir: &Path) -> Settings {
        let mut vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        vars.push(("USTAZ_DATA_DIR".into(), dir.to_string_lossy().into_owned()));
        Settings::from_lookup(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
            .expect("settings")
    }

    #[test]
    fn defaults_follow_the_contract() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = settings(&[], dir.path());
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.base_url, "http://127.0.0.1:8080");
        assert_eq!(
            s.database_url,
            dir.path().join("ustaz.db").to_string_lossy()
        );
        assert!(s.smtp_url.is_none());
        assert!(!s.is_https());
        let cores = std::thread::available_parallelism().expect("cores").get();
        assert_eq!(s.password_hashes_at_once, cores);
        assert_eq!(s.password_hash_wait, Duration::from_millis(5000));
        assert_eq!(s.timeouts, Timeouts::DEFAULT);
        assert!(s.trusted_proxies.is_empty());
        assert_eq!(s.staff_two_step, StaffTwoStep::Required);
    }

    #[test]
    fn timeouts_are_whole_seconds_and_never_off() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = settings(&[("USTAZ_BODY_TIMEOUT_SECS", "3")], dir.path());
        assert_eq!(s.timeouts.body_total, Duration::from_secs(3));
        assert_eq!(s.timeouts.body_idle, Timeouts::DEFAULT.body_idle);
        for bad in ["0", "-1", "1.5", "soon"] {
            let vars = [("USTAZ_BODY_IDLE_TIMEOUT_SECS".to_owned(), bad.to_owned())];
            let data = (
                "USTAZ_DATA_DIR".to_owned(),
                dir.path().to_string_lossy().into_owned(),
            );
            let found = Settings::from_lookup(|name| {
                vars.iter()
                    .chain([&data])
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            });
            assert!(found.is_err(), "{bad}");
        }
    }

    #[test]
    fn unconfirmed_accounts_go_after_a_week_unless_set_and_never_before_their_link_expires() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = settings(&[], dir.path());
        assert_eq!(s.purge.days, 7);
        assert_eq!(s.purge.every, Duration::from_secs(3600));
        let s = settings(
            &[
                ("USTAZ_UNCONFIRMED_DAYS", "30"),
                ("USTAZ_PURGE_INTERVAL_SECS", "60"),
            ],
            dir.path(),
        );
        assert_eq!(s.purge.days, 30);
        assert_eq!(s.purge.every, Duration::from_secs(60));
        let data = dir.path().to_string_lossy().into_owned();
        for (name, bad) in [
            ("USTAZ_UNCONFIRMED_DAYS", "2"),
            ("USTAZ_UNCONFIRMED_DAYS", "a week"),
            ("USTAZ_PURGE_INTERVAL_SECS", "0"),
        ] {
            let found = Settings::from_lookup(|n| match n {
                "USTAZ_DATA_DIR" => Some(data.clone()),
                _ if n == name => Some(bad.to_owned()),
                _ => None,
            });
            assert!(found.is_err(), "{name}={bad}");
        }
    }

    #[test]
    fn idle_timeouts_are_whole_minutes_per_role() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = settings(&[], dir.path());
        assert_eq!(s.idle, IdleTimeouts::DEFAULT);
        assert_eq!(s.idle.minutes_for(Role::Admin), 30);
        assert_eq!(s.idle.minutes_for(Role::Coordinator), 30);
        assert_eq!(s.idle.minutes_for(Role::Teacher), 120);
        let s = settings(
            &[
                ("USTAZ_STAFF_IDLE_MINUTES", "15"),
                ("USTAZ_TEACHER_IDLE_MINUTES", " 1 "),
            ],
            dir.path(),
        );
        assert_eq!(s.idle.minutes_for(Role::Coordinator), 15);
        assert_eq!(s.idle.minutes_for(Role::Teacher), 1);
        for name in ["USTAZ_STAFF_IDLE_MINUTES", "USTAZ_TEACHER_IDLE_MINUTES"] {
            for bad in ["0", "-5", "1.5", "30m", "", "10081"] {
                let found = Settings::from_lookup(|key| match key {
                    "USTAZ_DATA_DIR" => Some(dir.path().to_string_lossy().into_owned()),
                    _ if key == name => Some(bad.to_owned()),
                    _ => None,
                });
                assert!(found.is_err(), "{name}={bad:?}");
            }
        }
    }

    #[test]
    fn generated_key_is_kept_private_and_reused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = settings(&[], dir.path()).secret_key;
        let second = settings(&[], dir.path()).secret_key;
        assert_eq!(first.bytes(), second.bytes());
        assert_eq!(first.bytes().len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("secret.key"))
                .expect("key file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn short_keys_are_refused_and_debug_hides_secrets() {
        assert!(SecretKey::parse("too short").is_err());
        let dir = tempfile::tempdir().expect("tempdir");
        let s = settings(
            &[
                ("DATABASE_URL", "postgres://app:hunter2@db/ustaz"),
                ("USTAZ_SECRET_KEY", &"ab".repeat(32)),
            ],
            dir.path(),
        );
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("postgres://app:***@db/ustaz"), "{shown}");
        assert!(!shown.contains(&"ab".repeat(32)));
    }
}
