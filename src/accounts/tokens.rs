//! Single-use links (email confirmation, password reset, invitation): 256 random bits in the
//! link, only a SHA-256 hash in the database.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::AnyConnection;
use crate::schema::user_tokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ConfirmEmail,
    ResetPassword,
    Invitation,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::Invitation => "invitation",
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::ConfirmEmail => Duration::days(3),
            Purpose::ResetPassword => Duration::hours(1),
            Purpose::Invitation => Duration::days(14),
        }
    }
}

/// 256 random bits as 64 hex digits.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Stores a new token for the user and returns it (the only time it exists in the clear).
pub fn create(
    conn: &mut AnyConnection,
    user_id: i32,
    purpose: Purpose,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let token = random_token();
    diesel::insert_into(user_tokens::table)
        .values((
            user_tokens::user_id.eq(user_id),
            user_tokens::purpose.eq(purpose.as_str()),
            user_tokens::token_hash.eq(hash_token(&token)),
            user_tokens::expires_at.eq(now + purpose.lifetime()),
            user_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The user a still-valid token belongs to, without using it up (to show the form).
pub fn peek(
    conn: &mut AnyConnection,
    token: &str,
    purposes: &[Purpose],
    now: NaiveDateTime,
) -> QueryResult<Option<(i32, Purpose)>> {
    let purpose_names: Vec<&str> = purposes.iter().map(|p| p.as_str()).collect();
    let found: Option<(i32, String)> = user_tokens::table
        .filter(user_tokens::token_hash.eq(hash_token(token)))
        .filter(user_tokens::purpose.eq_any(purpose_names))
        .filter(user_tokens::used_at.is_null())
        .filter(user_tokens::expires_at.gt(now))
        .select((user_tokens::user_id, user_tokens::purpose))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(user_id, name)| {
        purposes
            .iter()
            .find(|p| p.as_str() == name)
            .map(|&p| (user_id, p))
    }))
}

/// Uses the token up: exactly one caller can succeed, even when two submit at once.
pub fn consume(
    conn: &mut AnyConnection,
    token: &str,
    purposes: &[Purpose],
    now: NaiveDateTime,
) -> QueryResult<Option<(i32, Purpose)>> {
    let Some(found) = peek(conn, token, purposes, now)? else {
        return Ok(None);
    };
    let claimed = diesel::update(
        user_tokens::table
            .filter(user_tokens::token_hash.eq(hash_token(token)))
            .filter(user_tokens::used_at.is_null()),
    )
    .set(user_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok((claimed == 1).then_some(found))
}

/// When the user was last sent a token of this purpose (to throttle "send it again").
pub fn last_created(
    conn: &mut AnyConnection,
    user_id: i32,
    purpose: Purpose,
) -> QueryResult<Option<NaiveDateTime>> {
    user_tokens::table
        .filter(user_tokens::user_id.eq(user_id))
        .filter(user_tokens::purpose.eq(purpose.as_str()))
        .select(diesel::dsl::max(user_tokens::created_at))
        .first(conn)
}

/// The links that set a password: a reset, or an invitation from an import.
pub const PASSWORD_LINKS: [Purpose; 2] = [Purpose::ResetPassword, Purpose::Invitation];

/// Older links stop working when a new one is sent.
pub fn revoke_all(
    conn: &mut AnyConnection,
    user_id: i32,
    purpose: Purpose,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    end_all(conn, user_id, &[purpose], now)
}

/// Ends every outstanding link of these purposes the user holds.
pub fn end_all(
    conn: &mut AnyConnection,
    user_id: i32,
    purposes: &[Purpose],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let purpose_names: Vec<&str> = purposes.iter().map(|p| p.as_str()).collect();
    diesel::update(
        user_tokens::table
            .filter(user_tokens::user_id.eq(user_id))
            .filter(user_tokens::purpose.eq_any(purpose_names))
            .filter(user_tokens::used_at.is_null()),
    )
    .set(user_tokens::used_at.eq(now))
    .execute(conn)
}

/// A password was set, by whatever route (a reset or invitation link, the account page): no
/// reset or invitation link sent before can set another one and take the account over.
pub fn end_password_links(
    conn: &mut AnyConnection,
    user_id: i32,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    end_all(conn, user_id, &PASSWORD_LINKS, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let a = random_token();
        let b = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
        assert_eq!(hash_token(&a), hash_token(&a));
    }
}
