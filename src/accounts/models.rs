use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::domain::{Email, FullName, Role};
use crate::i18n::Lang;
use crate::on_backend;
use crate::schema::{login_throttles, users};

/// A new row of `users`; every way of creating an account goes through `insert_user`.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow<'a> {
    pub email: &'a str,
    pub full_name: &'a str,
    pub role: &'a str,
    pub region_id: Option<i32>,
    pub school_id: Option<i32>,
    pub category: Option<&'a str>,
    pub language: &'a str,
    pub iin: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub email_verified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert_user(conn: &mut AnyConnection, row: &UserRow<'_>) -> QueryResult<i32> {
    on_backend!(conn, |c| diesel::insert_into(users::table)
        .values(row)
        .returning(users::id)
        .get_result(c))
}

/// An account made by an operator (command line): the address counts as confirmed.
pub struct NewUser<'a> {
    pub email: &'a Email,
    pub full_name: &'a FullName,
    pub role: Role,
    pub region_id: Option<i32>,
    pub password_hash: Option<&'a str>,
}

/// Inserts the user and returns its id; a taken email is a unique violation.
pub fn create_user(conn: &mut AnyConnection, user: &NewUser<'_>) -> QueryResult<i32> {
    let now = Utc::now().naive_utc();
    insert_user(
        conn,
        &UserRow {
            email: user.email.as_str(),
            full_name: user.full_name.as_str(),
            role: user.role.as_str(),
            region_id: user.region_id,
            school_id: None,
            category: None,
            language: Lang::default().code(),
            iin: None,
            password_hash: user.password_hash,
            email_verified_at: Some(now),
            created_at: now,
            updated_at: now,
        },
    )
}

pub fn email_taken(conn: &mut AnyConnection, email: &Email) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(users::email.eq(email.as_str())),
    ))
    .get_result(conn)
}

/// What a request needs to know about the signed-in user.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct SessionUser {
    pub id: i32,
    pub email: String,
    pub full_name: String,
    pub role: String,
    pub region_id: Option<i32>,
    pub language: String,
    pub session_version: i32,
    pub email_verified_at: Option<NaiveDateTime>,
    pub disabled_at: Option<NaiveDateTime>,
}

pub fn session_user(conn: &mut AnyConnection, user_id: i32) -> QueryResult<Option<SessionUser>> {
    users::table
        .find(user_id)
        .select(SessionUser::as_select())
        .first(conn)
        .optional()
}

/// What signing in needs: the stored hash and the current session version.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct LoginRecord {
    pub id: i32,
    pub role: String,
    pub language: String,
    pub password_hash: Option<String>,
    pub session_version: i32,
    pub disabled_at: Option<NaiveDateTime>,
}

pub fn login_record(conn: &mut AnyConnection, email: &Email) -> QueryResult<Option<LoginRecord>> {
    users::table
        .filter(users::email.eq(email.as_str()))
        .select(LoginRecord::as_select())
        .first(conn)
        .optional()
}

/// Ends every session of the user at once; returns the new version.
pub fn bump_session_version(conn: &mut AnyConnection, user_id: i32) -> QueryResult<i32> {
    diesel::update(users::table.find(user_id))
        .set((
            users::session_version.eq(users::session_version + 1),
            users::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    users::table
        .find(user_id)
        .select(users::session_version)
        .first(conn)
}

// ---- Sign-in throttling -------------------------------------------------------------------

/// Failures allowed before a key is locked, and the longest lock (so an attacker cannot keep a
/// teacher out for long).
pub const ACCOUNT_FAILURES_ALLOWED: i32 = 5;
pub const ADDRESS_FAILURES_ALLOWED: i32 = 20;
pub const MAX_LOCK_SECONDS: i64 = 15 * 60;

pub fn lock_seconds(failures: i32, allowed: i32) -> i64 {
    if failures < allowed {
        return 0;
    }
    let doublings = (failures - allowed).min(10) as u32;
    (30_i64 << doublings).min(MAX_LOCK_SECONDS)
}

/// Until when the key is locked, if it is.
pub fn locked_until(
    conn: &mut AnyConnection,
    key: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    let until: Option<Option<NaiveDateTime>> = login_throttles::table
        .find(key)
        .select(login_throttles::locked_until)
        .first(conn)
        .optional()?;
    Ok(until.flatten().filter(|t| *t > now))
}

pub fn record_failure(
    conn: &mut AnyConnection,
    key: &str,
    allowed: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        let failures: Option<i32> = login_throttles::table
            .find(key)
            .select(login_throttles::failures)
            .first(conn)
            .optional()?;
        let failures = failures.unwrap_or(0) + 1;
        let lock = lock_seconds(failures, allowed);
        let locked_until = (lock > 0).then(|| now + chrono::Duration::seconds(lock));
        let updated = diesel::update(login_throttles::table.find(key))
            .set((
                login_throttles::failures.eq(failures),
                login_throttles::locked_until.eq(locked_until),
                login_throttles::updated_at.eq(now),
            ))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(login_throttles::table)
                .values((
                    login_throttles::throttle_key.eq(key),
                    login_throttles::failures.eq(failures),
                    login_throttles::locked_until.eq(locked_until),
                    login_throttles::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

pub fn clear_failures(conn: &mut AnyConnection, key: &str) -> QueryResult<()> {
    diesel::delete(login_throttles::table.find(key))
        .execute(conn)
        .map(|_| ())
}

// ---- Registration and the account --------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Registration {
    pub email: Email,
    pub full_name: FullName,
    pub password_hash: String,
    pub region_id: i32,
    pub school_id: Option<i32>,
    pub category: String,
    pub language: Lang,
    pub iin: Option<String>,
}

/// Creates an unconfirmed teacher account and returns its id.
pub fn register_teacher(
    conn: &mut AnyConnection,
    r: &Registration,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    insert_user(
        conn,
        &UserRow {
            email: r.email.as_str(),
            full_name: r.full_name.as_str(),
            role: Role::Teacher.as_str(),
            region_id: Some(r.region_id),
            school_id: r.school_id,
            category: Some(&r.category),
            language: r.language.code(),
            iin: r.iin.as_deref(),
            password_hash: Some(&r.password_hash),
            email_verified_at: None,
            created_at: now,
            updated_at: now,
        },
    )
}

pub fn iin_taken(
    conn: &mut AnyConnection,
    iin: &str,
    except_user: Option<i32>,
) -> QueryResult<bool> {
    let mut query = users::table
        .filter(users::iin.eq(iin))
        .select(users::id)
        .into_boxed();
    if let Some(id) = except_user {
        query = query.filter(users::id.ne(id));
    }
    Ok(query.first::<i32>(conn).optional()?.is_some())
}

pub fn mark_email_verified(
    conn: &mut AnyConnection,
    user_id: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        users::table
            .find(user_id)
            .filter(users::email_verified_at.is_null()),
    )
    .set(users::email_verified_at.eq(now))
    .execute(conn)
    .map(|_| ())
}

/// Sets a new password hash and ends every session.
pub fn set_password(
    conn: &mut AnyConnection,
    user_id: i32,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(hash),
            users::session_version.eq(users::session_version + 1),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct AccountRow {
    pub id: i32,
    pub email: String,
    pub full_name: String,
    pub role: String,
    pub region_id: Option<i32>,
    pub school_id: Option<i32>,
    pub category: Option<String>,
    pub language: String,
    pub iin: Option<String>,
    pub password_hash: Option<String>,
    pub email_verified_at: Option<NaiveDateTime>,
}

pub fn account(conn: &mut AnyConnection, user_id: i32) -> QueryResult<AccountRow> {
    users::table
        .find(user_id)
        .select(AccountRow::as_select())
        .first(conn)
}

#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct AccountChanges {
    pub full_name: String,
    pub region_id: Option<i32>,
    pub school_id: Option<i32>,
    pub category: Option<String>,
    pub language: String,
    pub updated_at: NaiveDateTime,
}

pub fn update_account(
    conn: &mut AnyConnection,
    user_id: i32,
    changes: &AccountChanges,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(changes)
        .execute(conn)
        .map(|_| ())
}

pub fn set_language(conn: &mut AnyConnection, user_id: i32, lang: Lang) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::language.eq(lang.code()))
        .execute(conn)
        .map(|_| ())
}
