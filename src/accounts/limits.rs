//! Attempts counted in the database (`rate_limits`), so that every app instance shares them:
//! sign-ins (per account from browsers it does not know, per device cookie, per client address),
//! registrations and reset mails (per client address and per target address).
//!
//! Each attempt is counted by one atomic statement (an upsert that returns the new count) before
//! it is acted on: a burst of requests at once gets no more than the limit, whichever instance
//! answers them. Windows are fixed: the first attempt after a window has ended starts a new one
//! at one, so counters decay instead of growing for ever.

use std::net::IpAddr;

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::case_when;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Timestamp};

use crate::db::{self, AnyConnection};
use crate::domain::Email;
use crate::on_backend;
use crate::schema::rate_limits;

/// How many attempts of one kind one subject (an account, an address…) may make in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Names the kind in the stored key (`kind:subject`).
    pub kind: &'static str,
    pub max: i32,
    pub window: Duration,
}

impl Limit {
    fn key(&self, subject: &str) -> String {
        format!("{}:{subject}", self.kind)
    }
}

/// The window of every sign-in counter: a lock lasts at most this long after its first failure.
pub const SIGN_IN_WINDOW: Duration = Duration::minutes(15);

/// Sign-ins to one account from browsers without its device cookie (OWASP's "untrusted clients").
pub const ACCOUNT_SIGN_IN: Limit = Limit {
    kind: "sign-in-account",
    max: 5,
    window: SIGN_IN_WINDOW,
};

/// Sign-ins presenting one device cookie: its own budget, after which that cookie is locked.
pub const DEVICE_SIGN_IN: Limit = Limit {
    kind: "sign-in-device",
    max: 10,
    window: SIGN_IN_WINDOW,
};

/// Failed sign-ins without a device cookie from one client address, whatever the account.
pub const ADDRESS_SIGN_IN: Limit = Limit {
    kind: "sign-in-address",
    max: 20,
    window: SIGN_IN_WINDOW,
};

/// Registrations from one client address: `max` comes from the settings (a school's teachers may
/// register together from behind one address).
pub const fn registrations_from_address(max: i32) -> Limit {
    Limit {
        kind: "register-from",
        max,
        window: Duration::hours(1),
    }
}

/// Registrations naming one email address: one mail to it per window.
pub const REGISTRATION_TO: Limit = Limit {
    kind: "register-to",
    max: 1,
    window: Duration::minutes(15),
};

/// "Forgot password" requests from one client address.
pub const RESET_FROM_ADDRESS: Limit = Limit {
    kind: "reset-from",
    max: 10,
    window: Duration::hours(1),
};

/// Reset mails to one address: one per window, and a few a day.
pub const RESET_TO: Limit = Limit {
    kind: "reset-to",
    max: 1,
    window: Duration::minutes(15),
};
pub const RESET_TO_DAILY: Limit = Limit {
    kind: "reset-to-daily",
    max: 5,
    window: Duration::days(1),
};

/// No window is longer: a row whose window began before this has ended.
const LONGEST_WINDOW: Duration = Duration::days(1);

/// The subject of an address-keyed limit (the trusted client address, `web::client::client_ip`).
pub fn address_subject(ip: Option<IpAddr>) -> String {
    ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// Whole minutes from `now` until `until`, at least one (for "wait N minutes").
pub fn minutes_until(until: NaiveDateTime, now: NaiveDateTime) -> i64 {
    let seconds = (until - now).num_seconds();
    ((seconds + 59) / 60).max(1)
}

/// One attempt, counted: the how-many-th of its window it is, and when the window began.
#[derive(Debug, Clone)]
pub struct Taken {
    key: String,
    limit: Limit,
    pub hits: i32,
    pub window_start: NaiveDateTime,
}

impl Taken {
    pub fn allowed(&self) -> bool {
        self.hits <= self.limit.max
    }

    /// When the window ends (and the subject may try again).
    pub fn until(&self) -> NaiveDateTime {
        self.window_start + self.limit.window
    }
}

/// Counts one attempt of `subject` under `limit`, atomically: a window that has ended starts
/// again at one. Counted even when over the limit, so a burst is seen whole.
pub fn take(
    conn: &mut AnyConnection,
    limit: Limit,
    subject: &str,
    now: NaiveDateTime,
) -> QueryResult<Taken> {
    use rate_limits::dsl::{hits, limit_key, window_start};
    if rand::random_ratio(1, 64) {
        prune(conn, now)?;
    }
    let key = limit.key(subject);
    let ended = window_start.le(now - limit.window);
    let (count, start): (i32, NaiveDateTime) = on_backend!(conn, |c| {
        diesel::insert_into(rate_limits::table)
            .values((limit_key.eq(&key), window_start.eq(now), hits.eq(1)))
            .on_conflict(limit_key)
            .do_update()
            .set((
                hits.eq(case_when::<_, _, Integer>(ended, 1).otherwise(hits + 1)),
                window_start.eq(case_when::<_, _, Timestamp>(ended, now).otherwise(window_start)),
            ))
            .returning((hits, window_start))
            .get_result(c)
    })?;
    Ok(Taken {
        key,
        limit,
        hits: count,
        window_start: start,
    })
}

/// Until when `subject` may not try again, if it has spent its attempts under `limit` in the
/// current window (read only: for counts that are taken after the work, such as failures).
pub fn spent(
    conn: &mut AnyConnection,
    limit: Limit,
    subject: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    let row: Option<(i32, NaiveDateTime)> = rate_limits::table
        .find(limit.key(subject))
        .filter(rate_limits::window_start.gt(now - limit.window))
        .select((rate_limits::hits, rate_limits::window_start))
        .first(conn)
        .optional()?;
    Ok(row
        .filter(|(hits, _)| *hits >= limit.max)
        .map(|(_, start)| start + limit.window))
}

/// Uncounts an attempt that turned out not to need counting (a sign-in that succeeded), if its
/// window is still the current one.
pub fn give_back(conn: &mut AnyConnection, taken: &Taken) -> QueryResult<()> {
    use rate_limits::dsl::{hits, limit_key, window_start};
    diesel::update(
        rate_limits::table
            .filter(limit_key.eq(&taken.key))
            .filter(window_start.eq(taken.window_start))
            .filter(hits.gt(0)),
    )
    .set(hits.eq(hits - 1))
    .execute(conn)
    .map(|_| ())
}

/// Forgets every attempt counted under the key of `taken`.
pub fn clear(conn: &mut AnyConnection, taken: &Taken) -> QueryResult<()> {
    clear_key(conn, &taken.key)
}

/// Forgets every attempt of `subject` under `limit`.
pub fn forget(conn: &mut AnyConnection, limit: Limit, subject: &str) -> QueryResult<()> {
    clear_key(conn, &limit.key(subject))
}

fn clear_key(conn: &mut AnyConnection, key: &str) -> QueryResult<()> {
    diesel::delete(rate_limits::table.find(key))
        .execute(conn)
        .map(|_| ())
}

/// Removes the rows whose window has ended (they count as nothing already).
fn prune(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(rate_limits::table.filter(rate_limits::window_start.lt(now - LONGEST_WINDOW)))
        .execute(conn)
        .map(|_| ())
}

// ---- Registration and reset mails ----------------------------------------------------------

/// What the limits say about a registration, counted before it runs.
#[derive(Debug)]
pub enum RegistrationGate {
    /// It may run (a mail goes to the target: a confirmation, or a note to the account's owner).
    Open,
    /// Too many from this address: refused until then.
    FromAddress(NaiveDateTime),
    /// The target address was named in the window already: answered as every registration is,
    /// with no mail.
    ToTarget,
}

pub fn reserve_registration(
    conn: &mut AnyConnection,
    from_address: Limit,
    address: &str,
    target: &Email,
    now: NaiveDateTime,
) -> QueryResult<RegistrationGate> {
    db::transaction(conn, |conn| {
        let from = take(conn, from_address, address, now)?;
        if !from.allowed() {
            return Ok(RegistrationGate::FromAddress(from.until()));
        }
        let to = take(conn, REGISTRATION_TO, target.as_str(), now)?;
        Ok(if to.allowed() {
            RegistrationGate::Open
        } else {
            RegistrationGate::ToTarget
        })
    })
}

/// Whether a reset mail may go to `target` now (the request is counted either way); it never
/// says which limit held, since the page must not either.
pub fn reserve_reset_mail(
    conn: &mut AnyConnection,
    address: &str,
    target: &Email,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        for (limit, subject) in [
            (RESET_FROM_ADDRESS, address),
            (RESET_TO, target.as_str()),
            (RESET_TO_DAILY, target.as_str()),
        ] {
            if !take(conn, limit, subject, now)?.allowed() {
                return Ok(false);
            }
        }
        Ok(true)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_their_kind_and_subject() {
        assert_eq!(
            ACCOUNT_SIGN_IN.key("a@mektep.kz"),
            "sign-in-account:a@mektep.kz"
        );
        assert_eq!(address_subject(None), "unknown");
        assert_eq!(
            address_subject(Some(IpAddr::from([10, 0, 0, 7]))),
            "10.0.0.7"
        );
    }

    #[test]
    fn an_attempt_is_allowed_up_to_the_limit_and_the_lock_ends_with_the_window() {
        let start = crate::db::now();
        let taken = |hits| Taken {
            key: String::new(),
            limit: ACCOUNT_SIGN_IN,
            hits,
            window_start: start,
        };
        assert!(taken(5).allowed());
        assert!(!taken(6).allowed());
        assert_eq!(taken(6).until(), start + Duration::minutes(15));
        let until = taken(6).until();
        assert_eq!(minutes_until(until, start), 15);
        assert_eq!(minutes_until(until, until - Duration::seconds(61)), 2);
        assert_eq!(minutes_until(until, until), 1, "never 0 minutes");
    }
}
