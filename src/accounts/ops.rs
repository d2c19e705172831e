//! What changes an account, each as one transaction with the emails it sends (the outbox):
//! registration, confirmation, reset links, new passwords, and the sign-in throttle.

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;

use super::device::Device;
use super::limits::{self, take, ACCOUNT_SIGN_IN, ADDRESS_SIGN_IN, DEVICE_SIGN_IN};
use super::models::{self as m, AccountRow, LoginRecord, Registration};
use super::tokens::{self, Purpose};
use crate::audit::models::{self as audit, AuditAction, AuditSubject};
use crate::db::{self, now, AnyConnection};
use crate::domain::Email;
use crate::i18n::{Arg, Lang};
use crate::mail::{enqueue, OutgoingEmail};
use crate::web::extractors::CurrentUser;

/// The links a password can be set through: a reset, or an invitation from an import.
pub use super::tokens::PASSWORD_LINKS as RESET_PURPOSES;

// ---- Sign-in throttle ---------------------------------------------------------------------

/// What a sign-in attempt was counted on before its password was checked.
#[derive(Debug, Clone)]
pub struct SignInAttempt {
    /// The device cookie's own budget when the cookie holds for the account; else the account's
    /// budget for browsers it does not know.
    budget: limits::Taken,
    /// The client address, for attempts without the account's device cookie: a failure counts
    /// against it.
    address: Option<String>,
}

/// A sign-in attempt over a limit: refused without checking the password, until then.
#[derive(Debug, Clone, Copy)]
pub struct Locked(pub NaiveDateTime);

/// Counts the attempt, atomically, before the (slow) password check: with the account's valid
/// device cookie against that cookie only; otherwise against the account's budget for unknown
/// browsers, and refused if the client address has spent its failures. Counted, it may have the
/// password of the account the email names (if any) checked.
///
/// The address counts failures only (after the check, `sign_in_failed`), not attempts in
/// flight: a school's teachers signing in together behind one address are not refused for
/// being many at once; the account's budget is what a burst of guesses runs into.
pub fn reserve_sign_in(
    conn: &mut AnyConnection,
    email: &Email,
    device: Option<&Device>,
    address: &str,
    at: NaiveDateTime,
) -> QueryResult<Result<(SignInAttempt, Option<LoginRecord>), Locked>> {
    db::transaction(conn, |conn| {
        let record = m::login_record(conn, email)?;
        let known = device.filter(|d| record.as_ref().is_some_and(|r| r.id == d.user_id));
        if let Some(device) = known {
            let budget = take(conn, DEVICE_SIGN_IN, &device.nonce, at)?;
            if !budget.allowed() {
                return Ok(Err(Locked(budget.until())));
            }
            let attempt = SignInAttempt {
                budget,
                address: None,
            };
            return Ok(Ok((attempt, record)));
        }
        let budget = take(conn, ACCOUNT_SIGN_IN, email.as_str(), at)?;
        if !budget.allowed() {
            return Ok(Err(Locked(budget.until())));
        }
        if let Some(until) = limits::spent(conn, ADDRESS_SIGN_IN, address, at)? {
            return Ok(Err(Locked(until)));
        }
        let address = Some(address.to_owned());
        Ok(Ok((SignInAttempt { budget, address }, record)))
    })
}

/// The password was wrong: the failure also counts against the client address (the account's
/// or device's budget counted it already).
pub fn sign_in_failed(
    conn: &mut AnyConnection,
    attempt: &SignInAttempt,
    at: NaiveDateTime,
) -> QueryResult<()> {
    match &attempt.address {
        Some(address) => take(conn, ADDRESS_SIGN_IN, address, at).map(|_| ()),
        None => Ok(()),
    }
}

/// The password could not be checked (the site was busy): the attempt is given back.
pub fn sign_in_unchecked(conn: &mut AnyConnection, attempt: &SignInAttempt) -> QueryResult<()> {
    limits::give_back(conn, &attempt.budget)
}

/// The password was right: the account's (or device's) failures are forgiven. The address
/// keeps its failures: signing in to one's own account must not buy more guesses at others.
pub fn signed_in(conn: &mut AnyConnection, attempt: &SignInAttempt) -> QueryResult<()> {
    limits::clear(conn, &attempt.budget)
}

// ---- Registration and confirmation --------------------------------------------------------

/// What a registration did. The visitor is answered the same either way ("check your email"),
/// so that registering cannot tell anyone who has an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    /// A new unconfirmed teacher, sent the confirmation link.
    Created(i32),
    /// The address, or the IIN, is already an account's: nothing was created and the owner of
    /// that account was told (they may be the visitor, who forgot).
    OwnerTold(i32),
}

/// Creates the unconfirmed teacher and queues the confirmation link, or, when the address (or
/// the IIN, on a confirmed account) is already an account's, queues that account's owner a note
/// instead. Both write one email and take about as long (the handler hashed the password either
/// way). The IIN of an unconfirmed account binds no one: it waits in `pending_iin` until the
/// address is confirmed (`models::mark_email_verified`).
pub fn register(
    conn: &mut AnyConnection,
    registration: &Registration,
    base_url: &str,
) -> QueryResult<Registered> {
    db::transaction(conn, |conn| {
        if let Some(owner) = m::account_with_email(conn, &registration.email)? {
            enqueue(conn, &owner_note(&owner, OwnerNote::Email, base_url))?;
            return Ok(Registered::OwnerTold(owner.id));
        }
        if let Some(iin) = &registration.iin {
            if let Some(holder) = m::iin_holder(conn, iin)? {
                enqueue(conn, &owner_note(&holder, OwnerNote::Iin, base_url))?;
                return Ok(Registered::OwnerTold(holder.id));
            }
        }
        let at = now();
        let user_id = m::register_teacher(conn, registration, at)?;
        let token = tokens::create(conn, user_id, Purpose::ConfirmEmail, at)?;
        let email = confirmation_email(
            &registration.email,
            registration.full_name.as_str(),
            registration.language,
            base_url,
            &token,
        );
        enqueue(conn, &email)?;
        Ok(Registered::Created(user_id))
    })
}

/// What someone registered with that an account already has.
#[derive(Debug, Clone, Copy)]
enum OwnerNote {
    Email,
    Iin,
}

/// "Someone tried to register with your address (or IIN); if it was you, sign in or reset your
/// password", in the owner's language, with both links.
fn owner_note(owner: &AccountRow, what: OwnerNote, base_url: &str) -> OutgoingEmail {
    let lang = Lang::parse(&owner.language).unwrap_or_default();
    let (subject, body) = match what {
        OwnerNote::Email => ("email-register-taken-subject", "email-register-taken-body"),
        OwnerNote::Iin => ("email-register-iin-subject", "email-register-iin-body"),
    };
    OutgoingEmail {
        to: owner.email.clone(),
        to_name: owner.full_name.clone(),
        lang,
        subject: lang.t(subject),
        text: lang.t_args(
            body,
            &[
                ("name", Arg::from(owner.full_name.as_str())),
                ("email", Arg::from(owner.email.as_str())),
                ("login", Arg::from(format!("{base_url}/login"))),
                ("reset", Arg::from(format!("{base_url}/password/forgot"))),
            ],
        ),
        html: None,
    }
}

/// Uses the confirmation link up and marks the address confirmed; None if the link is spent.
pub fn confirm_email(conn: &mut AnyConnection, token: &str) -> QueryResult<Option<i32>> {
    db::transaction(conn, |conn| {
        let at = now();
        let Some((user_id, _)) = tokens::consume(conn, token, &[Purpose::ConfirmEmail], at)? else {
            return Ok(None);
        };
        m::mark_email_verified(conn, user_id, at)?;
        Ok(Some(user_id))
    })
}

/// Sends a new confirmation link (older ones stop working), at most once every two minutes.
pub fn resend_confirmation(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    base_url: &str,
) -> QueryResult<()> {
    db::transaction(conn, |conn| {
        let at = now();
        let recent = tokens::last_created(conn, user.id, Purpose::ConfirmEmail)?
            .is_some_and(|t| at - t < Duration::minutes(2));
        if recent {
            return Ok(());
        }
        tokens::revoke_all(conn, user.id, Purpose::ConfirmEmail, at)?;
        let token = tokens::create(conn, user.id, Purpose::ConfirmEmail, at)?;
        let email =
            Email::parse(&user.email).map_err(|_| diesel::result::Error::RollbackTransaction)?;
        let message = confirmation_email(&email, &user.full_name, user.language, base_url, &token);
        enqueue(conn, &message)
    })
}

fn confirmation_email(
    email: &Email,
    name: &str,
    lang: Lang,
    base_url: &str,
    token: &str,
) -> OutgoingEmail {
    let link = format!("{base_url}/account/confirm/{token}");
    OutgoingEmail {
        to: email.as_str().to_owned(),
        to_name: name.to_owned(),
        lang,
        subject: lang.t("email-confirm-subject"),
        text: lang.t_args(
            "email-confirm-body",
            &[("name", Arg::from(name)), ("link", Arg::from(link))],
        ),
        html: None,
    }
}

/// Removes the teachers who registered more than `days` days ago, never confirmed their
/// address and left nothing behind (`models::delete_never_used`), with their links, and records
/// how many in the audit log (nothing when there were none); returns how many.
pub fn purge_unconfirmed(conn: &mut AnyConnection, days: u32) -> QueryResult<usize> {
    db::transaction(conn, |conn| {
        let cutoff = now() - Duration::days(i64::from(days));
        let removed = m::delete_never_used(conn, cutoff)?;
        if removed > 0 {
            audit::record(
                conn,
                None,
                AuditAction::UnconfirmedAccountsRemoved,
                AuditSubject::User,
                None,
                serde_json::json!({"after": {"removed": removed, "older_than_days": days}}),
            )?;
        }
        Ok(removed)
    })
}

// ---- Passwords ----------------------------------------------------------------------------

/// Queues a reset link for an enabled account, at most one a minute; silent when there is none.
pub fn send_reset_link(conn: &mut AnyConnection, email: &Email, base_url: &str) -> QueryResult<()> {
    db::transaction(conn, |conn| {
        let Some(record) = m::login_record(conn, email)? else {
            return Ok(());
        };
        if record.disabled_at.is_some() {
            return Ok(());
        }
        let at = now();
        if tokens::last_created(conn, record.id, Purpose::ResetPassword)?
            .is_some_and(|t| at - t < Duration::minutes(1))
        {
            return Ok(());
        }
        tokens::revoke_all(conn, record.id, Purpose::ResetPassword, at)?;
        let token = tokens::create(conn, record.id, Purpose::ResetPassword, at)?;
        let account = m::account(conn, record.id)?;
        let lang = Lang::parse(&record.language).unwrap_or_default();
        let link = format!("{base_url}/password/reset/{token}");
        let message = OutgoingEmail {
            to: email.as_str().to_owned(),
            to_name: account.full_name.clone(),
            lang,
            subject: lang.t("email-reset-subject"),
            text: lang.t_args(
                "email-reset-body",
                &[
                    ("name", Arg::from(account.full_name)),
                    ("link", Arg::from(link)),
                ],
            ),
            html: None,
        };
        enqueue(conn, &message)
    })
}

/// Uses the link up, sets the password (ending every session and every other reset or invitation
/// link), confirms the address (the link proved it) and tells the user; None if the link is spent.
pub fn reset_password(
    conn: &mut AnyConnection,
    token: &str,
    hash: &str,
) -> QueryResult<Option<i32>> {
    db::transaction(conn, |conn| {
        let at = now();
        let Some((user_id, _)) = tokens::consume(conn, token, &RESET_PURPOSES, at)? else {
            return Ok(None);
        };
        m::set_password(conn, user_id, hash, at)?;
        m::mark_email_verified(conn, user_id, at)?;
        tokens::end_password_links(conn, user_id, at)?;
        let account = m::account(conn, user_id)?;
        limits::forget(conn, ACCOUNT_SIGN_IN, &account.email)?;
        enqueue(conn, &password_changed_email(&account))?;
        Ok(Some(user_id))
    })
}

/// Sets the new password (ending every session), ends reset and invitation links and tells the user;
/// returns the new session version, for the session that asked to stay signed in.
pub fn change_password(
    conn: &mut AnyConnection,
    account: &AccountRow,
    hash: &str,
) -> QueryResult<i32> {
    db::transaction(conn, |conn| {
        let at = now();
        m::set_password(conn, account.id, hash, at)?;
        tokens::end_password_links(conn, account.id, at)?;
        enqueue(conn, &password_changed_email(account))?;
        m::session_version(conn, account.id)
    })
}

fn password_changed_email(account: &AccountRow) -> OutgoingEmail {
    let lang = Lang::parse(&account.language).unwrap_or_default();
    OutgoingEmail {
        to: account.email.clone(),
        to_name: account.full_name.clone(),
        lang,
        subject: lang.t("email-password-changed-subject"),
        text: lang.t_args(
            "email-password-changed-body",
            &[("name", Arg::from(account.full_name.as_str()))],
        ),
        html: None,
    }
}
