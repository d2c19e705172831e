//! Each change to a user's second factor, in one transaction with its audit event and the email
//! that tells the user; and checking a code or a recovery code (counted before it is checked).

use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::models as f;
use super::{matching_step, Keys, STEP_SECONDS};
use crate::accounts::models::{self as m, AccountRow};
use crate::audit::models::{self as audit, AuditAction, AuditSubject};
use crate::db::{self, now, AnyConnection};
use crate::i18n::{Arg, Lang};
use crate::mail::{enqueue, OutgoingEmail};

/// What a code (or a recovery code) came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// Right; for a recovery code, how many are left.
    Accepted { recovery_codes_left: i64 },
    /// Wrong (or not a code of this user).
    Wrong,
    /// Right, but a code of this time step was already accepted: wait for the next one.
    Replayed,
    /// Too many tries lately: wait until then.
    Locked(NaiveDateTime),
    /// The user has no authenticator (any more).
    NoFactor,
}

/// The email of a change to the user's two-step sign-in (`kind` names its messages).
fn notice_email(account: &AccountRow, kind: &str, count: Option<i64>) -> OutgoingEmail {
    let lang = Lang::parse(&account.language).unwrap_or_default();
    let mut args = vec![("name", Arg::from(account.full_name.as_str()))];
    if let Some(count) = count {
        args.push(("count", Arg::from(count)));
    }
    OutgoingEmail {
        to: account.email.clone(),
        to_name: account.full_name.clone(),
        lang,
        subject: lang.t(&format!("email-two-step-{kind}-subject")),
        text: lang.t_args(&format!("email-two-step-{kind}-body"), &args),
        html: None,
    }
}

fn record(
    conn: &mut AnyConnection,
    actor: i32,
    action: AuditAction,
    user_id: i32,
    details: serde_json::Value,
) -> QueryResult<()> {
    audit::record(
        conn,
        Some(actor),
        action,
        AuditSubject::User,
        Some(user_id),
        details,
    )
}

/// New recovery codes for the user (the old ones stop working); the codes in the clear, the
/// only time they exist so.
fn new_recovery_codes(
    conn: &mut AnyConnection,
    keys: &Keys,
    user_id: i32,
    at: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    let codes = super::new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .filter_map(|c| super::normalize_recovery_code(c))
        .map(|c| keys.recovery_hash(&c))
        .collect();
    f::replace_recovery_codes(conn, user_id, &hashes, at)?;
    Ok(codes)
}

/// Turns two-step sign-in on with `secret`, confirmed by a code of time step `step`; the
/// recovery codes, or None when the user already had an authenticator.
pub fn enable(
    conn: &mut AnyConnection,
    keys: &Keys,
    user_id: i32,
    secret: &[u8],
    step: u64,
) -> QueryResult<Option<Vec<String>>> {
    let sealed = keys
        .seal(user_id, secret)
        .ok_or(diesel::result::Error::RollbackTransaction)?;
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    db::transaction(conn, |conn| {
        if f::has_factor(conn, user_id)? {
            return Ok(None);
        }
        let at = now();
        f::insert_factor(conn, user_id, &sealed, step, at)?;
        let codes = new_recovery_codes(conn, keys, user_id, at)?;
        let details =
            serde_json::json!({ "before": { "two_step": "off" }, "after": { "two_step": "on" } });
        record(conn, user_id, AuditAction::TwoStepEnabled, user_id, details)?;
        let account = m::account(conn, user_id)?;
        enqueue(conn, &notice_email(&account, "enabled", None))?;
        Ok(Some(codes))
    })
}

/// Checks a code from the user's app (six digits, normalised): counted first, accepted once.
pub fn check_code(
    conn: &mut AnyConnection,
    keys: &Keys,
    user_id: i32,
    code: &str,
    unix_time: u64,
) -> QueryResult<Checked> {
    let Some(factor) = f::factor(conn, user_id)? else {
        return Ok(Checked::NoFactor);
    };
    if let Err(until) = f::claim_attempt(conn, user_id, now())? {
        return Ok(Checked::Locked(until));
    }
    let step = keys
        .open(user_id, &factor.secret)
        .and_then(|secret| matching_step(&secret, code, unix_time));
    let Some(step) = step else {
        tracing::info!(user_id, "two-step code refused");
        return Ok(Checked::Wrong);
    };
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    if !f::use_step(conn, user_id, step)? {
        tracing::info!(user_id, "two-step code replayed");
        return Ok(Checked::Replayed);
    }
    Ok(Checked::Accepted {
        recovery_codes_left: f::recovery_codes_left(conn, user_id)?,
    })
}

/// Checks a recovery code (normalised) in place of a code: counted first, each works once;
/// the use is audited and the user told by email.
pub fn use_recovery_code(
    conn: &mut AnyConnection,
    keys: &Keys,
    user_id: i32,
    code: &str,
) -> QueryResult<Checked> {
    if !f::has_factor(conn, user_id)? {
        return Ok(Checked::NoFactor);
    }
    let at = now();
    if let Err(until) = f::claim_attempt(conn, user_id, at)? {
        return Ok(Checked::Locked(until));
    }
    let hash = keys.recovery_hash(code);
    db::transaction(conn, |conn| {
        if !f::use_recovery_code(conn, user_id, &hash, at)? {
            tracing::info!(user_id, "recovery code refused");
            return Ok(Checked::Wrong);
        }
        f::clear_attempts(conn, user_id)?;
        let left = f::recovery_codes_left(conn, user_id)?;
        let details = serde_json::json!({ "after": { "recovery_codes_left": left } });
        record(
            conn,
            user_id,
            AuditAction::TwoStepRecoveryUsed,
            user_id,
            details,
        )?;
        let account = m::account(conn, user_id)?;
        enqueue(conn, &notice_email(&account, "recovery-used", Some(left)))?;
        Ok(Checked::Accepted {
            recovery_codes_left: left,
        })
    })
}

/// New recovery codes for a user with an authenticator (the caller checked a current code).
pub fn renew_recovery_codes(
    conn: &mut AnyConnection,
    keys: &Keys,
    user_id: i32,
) -> QueryResult<Vec<String>> {
    db::transaction(conn, |conn| new_recovery_codes(conn, keys, user_id, now()))
}

/// The user turns two-step sign-in off (the caller checked a current code and that it is
/// optional for them); whether it was on.
pub fn disable(conn: &mut AnyConnection, user_id: i32) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        if !f::delete_factor(conn, user_id)? {
            return Ok(false);
        }
        let details =
            serde_json::json!({ "before": { "two_step": "on" }, "after": { "two_step": "off" } });
        record(
            conn,
            user_id,
            AuditAction::TwoStepDisabled,
            user_id,
            details,
        )?;
        let account = m::account(conn, user_id)?;
        enqueue(conn, &notice_email(&account, "disabled", None))?;
        Ok(true)
    })
}

/// An administrator removes another user's authenticator and recovery codes (they set it up
/// again at their next sign-in); every session of the user ends and they are told by email.
/// Whether the user had one.
pub fn reset_by_admin(conn: &mut AnyConnection, actor_id: i32, user_id: i32) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        if !f::delete_factor(conn, user_id)? {
            return Ok(false);
        }
        let version = m::bump_session_version(conn, user_id)?;
        let details = serde_json::json!({
            "before": { "two_step": "on" },
            "after": { "two_step": "off", "session_version": version },
        });
        record(conn, actor_id, AuditAction::TwoStepReset, user_id, details)?;
        let account = m::account(conn, user_id)?;
        enqueue(conn, &notice_email(&account, "reset", None))?;
        Ok(true)
    })
}

/// The time step of a Unix time (for tests and the set-up's first accepted code).
pub fn step_of(unix_time: u64) -> u64 {
    unix_time / STEP_SECONDS
}
