//! The rows of two-step sign-in: a user's authenticator (its sealed secret, the last time step
//! accepted, the codes tried lately) and their recovery codes.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::schema::{two_step_factors as factors, two_step_recovery_codes as recovery};

/// Codes (or recovery codes) tried within `attempt_window()` before the user must wait.
pub const ATTEMPTS_ALLOWED: i32 = 5;
pub fn attempt_window() -> Duration {
    Duration::minutes(15)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = factors)]
pub struct Factor {
    pub user_id: i32,
    pub secret: String,
    pub last_step: i64,
    pub attempts: i32,
    pub attempts_since: Option<NaiveDateTime>,
    pub enabled_at: NaiveDateTime,
}

pub fn factor(conn: &mut AnyConnection, user_id: i32) -> QueryResult<Option<Factor>> {
    factors::table
        .find(user_id)
        .select(Factor::as_select())
        .first(conn)
        .optional()
}

pub fn has_factor(conn: &mut AnyConnection, user_id: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(factors::table.find(user_id))).get_result(conn)
}

/// Stores the user's authenticator, `last_step` being the step of the code that confirmed it.
pub fn insert_factor(
    conn: &mut AnyConnection,
    user_id: i32,
    sealed_secret: &str,
    last_step: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(factors::table)
        .values((
            factors::user_id.eq(user_id),
            factors::secret.eq(sealed_secret),
            factors::last_step.eq(last_step),
            factors::enabled_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Removes the authenticator and the recovery codes; whether there was an authenticator.
pub fn delete_factor(conn: &mut AnyConnection, user_id: i32) -> QueryResult<bool> {
    diesel::delete(recovery::table.filter(recovery::user_id.eq(user_id))).execute(conn)?;
    Ok(diesel::delete(factors::table.find(user_id)).execute(conn)? == 1)
}

/// Counts one attempt at a code before it is checked, so that a burst of guesses gets no more
/// checks than allowed: Ok, or Err(until when the user must wait). Each statement is atomic on
/// its own (no transaction: the count must stay even when the guess is wrong).
pub fn claim_attempt(
    conn: &mut AnyConnection,
    user_id: i32,
    at: NaiveDateTime,
) -> QueryResult<Result<(), NaiveDateTime>> {
    let window_start = at - attempt_window();
    diesel::update(
        factors::table.find(user_id).filter(
            factors::attempts_since
                .is_null()
                .or(factors::attempts_since.le(window_start)),
        ),
    )
    .set((factors::attempts.eq(0), factors::attempts_since.eq(at)))
    .execute(conn)?;
    let claimed = diesel::update(
        factors::table
            .find(user_id)
            .filter(factors::attempts.lt(ATTEMPTS_ALLOWED)),
    )
    .set(factors::attempts.eq(factors::attempts + 1))
    .execute(conn)?;
    if claimed == 1 {
        return Ok(Ok(()));
    }
    let since: Option<Option<NaiveDateTime>> = factors::table
        .find(user_id)
        .select(factors::attempts_since)
        .first(conn)
        .optional()?;
    let since = since.flatten().unwrap_or(at);
    Ok(Err(since + attempt_window()))
}

/// Accepts the code of time step `step` once: true when no code of this step (or a later one)
/// was accepted before. A success clears the attempts.
pub fn use_step(conn: &mut AnyConnection, user_id: i32, step: i64) -> QueryResult<bool> {
    let used = diesel::update(
        factors::table
            .find(user_id)
            .filter(factors::last_step.lt(step)),
    )
    .set((
        factors::last_step.eq(step),
        factors::attempts.eq(0),
        factors::attempts_since.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(used == 1)
}

pub fn clear_attempts(conn: &mut AnyConnection, user_id: i32) -> QueryResult<()> {
    diesel::update(factors::table.find(user_id))
        .set((
            factors::attempts.eq(0),
            factors::attempts_since.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The user's recovery codes become these (hashes); the old ones stop working.
pub fn replace_recovery_codes(
    conn: &mut AnyConnection,
    user_id: i32,
    hashes: &[String],
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(recovery::table.filter(recovery::user_id.eq(user_id))).execute(conn)?;
    // One insert a row: a multi-row insert does not compile for the multi-backend connection.
    for hash in hashes {
        diesel::insert_into(recovery::table)
            .values((
                recovery::user_id.eq(user_id),
                recovery::code_hash.eq(hash),
                recovery::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Uses the recovery code up: exactly one caller can succeed, even when two submit at once.
pub fn use_recovery_code(
    conn: &mut AnyConnection,
    user_id: i32,
    hash: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let used = diesel::update(
        recovery::table
            .filter(recovery::user_id.eq(user_id))
            .filter(recovery::code_hash.eq(hash))
            .filter(recovery::used_at.is_null()),
    )
    .set(recovery::used_at.eq(at))
    .execute(conn)?;
    Ok(used == 1)
}

pub fn recovery_codes_left(conn: &mut AnyConnection, user_id: i32) -> QueryResult<i64> {
    recovery::table
        .filter(recovery::user_id.eq(user_id))
        .filter(recovery::used_at.is_null())
        .count()
        .get_result(conn)
}

/// Since when the user has an authenticator (None: they have none), and their unused recovery
/// codes.
pub fn status(conn: &mut AnyConnection, user_id: i32) -> QueryResult<(Option<NaiveDateTime>, i64)> {
    let since = factors::table
        .find(user_id)
        .select(factors::enabled_at)
        .first(conn)
        .optional()?;
    Ok((since, recovery_codes_left(conn, user_id)?))
}
