//! What changes an account, each as one transaction with the emails it sends (the outbox):
//! registration, confirmation, reset links, new passwords, and the sign-in throttle.

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;

use super::models::{self as m, AccountRow, LoginRecord, Registration};
use super::tokens::{self, Purpose};
use crate::db::{self, now, AnyConnection};
use crate::domain::Email;
use crate::i18n::{Arg, Lang};
use crate::mail::{enqueue, OutgoingEmail};
use crate::web::extractors::CurrentUser;

/// The links a password can be set through: a reset, or an invitation from an import.
pub use super::tokens::PASSWORD_LINKS as RESET_PURPOSES;

// ---- Sign-in throttle ---------------------------------------------------------------------

/// The two throttle keys of a sign-in attempt: the account and the address it comes from.
#[derive(Debug, Clone)]
pub struct ThrottleKeys {
    pub account: String,
    pub address: String,
}

impl ThrottleKeys {
    /// `address` is the client's, when it is known.
    pub fn new(email: &Email, address: Option<std::net::IpAddr>) -> Self {
        let address = address.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        Self {
            account: format!("acct:{}", email.as_str()),
            address: format!("ip:{address}"),
        }
    }
}

/// Until when either key is locked (if it is), and the account the email names.
pub fn sign_in_state(
    conn: &mut AnyConnection,
    keys: &ThrottleKeys,
    email: &Email,
    at: NaiveDateTime,
) -> QueryResult<(Option<NaiveDateTime>, Option<LoginRecord>)> {
    let locked =
        m::locked_until(conn, &keys.account, at)?.or(m::locked_until(conn, &keys.address, at)?);
    Ok((locked, m::login_record(conn, email)?))
}

pub fn record_failed_sign_in(
    conn: &mut AnyConnection,
    keys: &ThrottleKeys,
    at: NaiveDateTime,
) -> QueryResult<()> {
    m::record_failure(conn, &keys.account, m::ACCOUNT_FAILURES_ALLOWED, at)?;
    m::record_failure(conn, &keys.address, m::ADDRESS_FAILURES_ALLOWED, at)
}

// ---- Registration and confirmation --------------------------------------------------------

/// Why a registration was refused: the field whose value another account already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    Email,
    Iin,
}

/// Creates the unconfirmed teacher and queues the confirmation link; returns the new id.
pub fn register(
    conn: &mut AnyConnection,
    registration: &Registration,
    base_url: &str,
) -> QueryResult<Result<i32, Taken>> {
    db::transaction(conn, |conn| {
        if m::email_taken(conn, &registration.email)? {
            return Ok(Err(Taken::Email));
        }
        if let Some(iin) = &registration.iin {
            if m::iin_taken(conn, iin, None)? {
                return Ok(Err(Taken::Iin));
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
        Ok(Ok(user_id))
    })
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
