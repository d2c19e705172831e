//! Accounts' rows and queries: users and the users administration's search (the sign-in
//! throttle's counters are in `limits`).

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::db::{lower, prepare_search, ustaz_lower, AnyConnection, MultiBackend};
use crate::domain::{Category, Email, FullName, Role, Version};
use crate::i18n::Lang;
use crate::on_backend;
use crate::schema::{course_tutors, courses, schools, two_step_factors, users};
use crate::web::pagination::page_offset;

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
    /// The IIN as an administrator's staff list gave it, or as a confirmed address claimed it.
    pub iin: Option<&'a str>,
    /// A self-registration's IIN, waiting for the address to be confirmed.
    pub pending_iin: Option<&'a str>,
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
            pending_iin: None,
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

/// The account with this address, confirmed or not.
pub fn account_with_email(
    conn: &mut AnyConnection,
    email: &Email,
) -> QueryResult<Option<AccountRow>> {
    users::table
        .filter(users::email.eq(email.as_str()))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
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

/// The user's row, and whether they have a second factor (in the same query: it runs on every
/// request, and the two-step gate needs to know).
pub fn session_user(
    conn: &mut AnyConnection,
    user_id: i32,
) -> QueryResult<Option<(SessionUser, bool)>> {
    users::table
        .left_join(two_step_factors::table)
        .filter(users::id.eq(user_id))
        .select((
            SessionUser::as_select(),
            two_step_factors::user_id.nullable().is_not_null(),
        ))
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

/// Creates an unconfirmed teacher account and returns its id; its IIN waits for the
/// confirmation (`mark_email_verified`).
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
            iin: None,
            pending_iin: r.iin.as_deref(),
            password_hash: Some(&r.password_hash),
            email_verified_at: None,
            created_at: now,
            updated_at: now,
        },
    )
}

/// The account the IIN belongs to: one whose address is confirmed, or one an administrator's
/// staff list gave it. An unconfirmed registration's IIN (`pending_iin`) belongs to no one yet.
pub fn iin_holder(conn: &mut AnyConnection, iin: &str) -> QueryResult<Option<AccountRow>> {
    users::table
        .filter(users::iin.eq(iin))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

/// Marks the address confirmed (once) and gives the account the IIN it registered with, unless
/// another account has it by then: the first to confirm wins, and the later one is confirmed
/// without an IIN (an administrator can sort out a dispute). Two confirmations of one IIN at once
/// meet at `iin`'s unique constraint; the loser's transaction runs again (`db::transaction`) and
/// then finds the IIN held.
pub fn mark_email_verified(
    conn: &mut AnyConnection,
    user_id: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let confirmed = diesel::update(
        users::table
            .find(user_id)
            .filter(users::email_verified_at.is_null()),
    )
    .set((
        users::email_verified_at.eq(now),
        users::version.eq(users::version + 1),
    ))
    .execute(conn)?;
    if confirmed == 0 {
        return Ok(());
    }
    let pending: Option<String> = users::table
        .find(user_id)
        .select(users::pending_iin)
        .first(conn)?;
    let Some(iin) = pending else {
        return Ok(());
    };
    let held = iin_holder(conn, &iin)?.is_some_and(|holder| holder.id != user_id);
    diesel::update(users::table.find(user_id))
        .set((
            users::iin.eq((!held).then_some(iin)),
            users::pending_iin.eq(None::<String>),
        ))
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

/// A user's row as the account page and the administration see it.
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
    pub session_version: i32,
    pub email_verified_at: Option<NaiveDateTime>,
    pub disabled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    /// One more at every change of what the account's page shows (`crate::domain::Version`):
    /// not at a sign-out, a new password or a reminder.
    pub version: i32,
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
        .set((changes, users::version.eq(users::version + 1)))
        .execute(conn)
        .map(|_| ())
}

pub fn set_language(conn: &mut AnyConnection, user_id: i32, lang: Lang) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::language.eq(lang.code()),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The user's current session version (after a change that moved it on).
pub fn session_version(conn: &mut AnyConnection, user_id: i32) -> QueryResult<i32> {
    users::table
        .find(user_id)
        .select(users::session_version)
        .first(conn)
}

// ---- Unconfirmed accounts that were never used --------------------------------------------

type UserPredicate = Box<dyn BoxableExpression<users::table, MultiBackend, SqlType = Bool>>;

/// Teachers who registered before `cutoff` and never confirmed their address, and whom nothing
/// refers to: no enrolment, certificate or audit event, no invitation from an administrator
/// (an invited teacher is the administrator's to remove), no staff role.
fn never_used(cutoff: NaiveDateTime) -> UserPredicate {
    use crate::schema::{audit_events as a, certificates as c, enrolments as e, user_tokens as t};
    let invited = t::table
        .filter(t::purpose.eq(crate::accounts::tokens::Purpose::Invitation.as_str()))
        .select(t::user_id);
    // NOT IN over a nullable column must leave its NULLs out, or it matches nothing.
    let issued = c::table
        .filter(c::issued_by.is_not_null())
        .select(c::issued_by.assume_not_null());
    let revoked = c::table
        .filter(c::revoked_by.is_not_null())
        .select(c::revoked_by.assume_not_null());
    let acted = a::table
        .filter(a::actor_id.is_not_null())
        .select(a::actor_id.assume_not_null());
    Box::new(
        users::email_verified_at
            .is_null()
            .and(users::created_at.lt(cutoff))
            .and(users::role.eq(Role::Teacher.as_str()))
            .and(diesel::dsl::not(
                users::id.eq_any(e::table.select(e::user_id)),
            ))
            .and(diesel::dsl::not(
                users::id.eq_any(c::table.select(c::user_id)),
            ))
            .and(diesel::dsl::not(users::id.eq_any(issued)))
            .and(diesel::dsl::not(users::id.eq_any(revoked)))
            .and(diesel::dsl::not(users::id.eq_any(acted)))
            .and(diesel::dsl::not(users::id.eq_any(invited))),
    )
}

/// Removes the unconfirmed accounts `never_used` describes, with their links; returns how many.
pub fn delete_never_used(conn: &mut AnyConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    use crate::schema::user_tokens as t;
    let ids: Vec<i32> = users::table
        .filter(never_used(cutoff))
        .select(users::id)
        .load(conn)?;
    let mut removed = 0;
    // Short enough for any backend's limit on bound parameters.
    for chunk in ids.chunks(500) {
        diesel::delete(t::table.filter(t::user_id.eq_any(chunk))).execute(conn)?;
        removed += diesel::delete(
            users::table
                .filter(users::id.eq_any(chunk))
                .filter(never_used(cutoff)),
        )
        .execute(conn)?;
    }
    Ok(removed)
}

// ---- Administration of users ---------------------------------------------------------------

/// Where an account stands, as the users list filters and shows it (derived, never stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    Active,
    Disabled,
    Unconfirmed,
}

impl UserStatus {
    pub const ALL: [UserStatus; 3] = [
        UserStatus::Active,
        UserStatus::Disabled,
        UserStatus::Unconfirmed,
    ];

    pub fn of(disabled_at: Option<NaiveDateTime>, verified_at: Option<NaiveDateTime>) -> Self {
        match (disabled_at, verified_at) {
            (Some(_), _) => UserStatus::Disabled,
            (None, None) => UserStatus::Unconfirmed,
            (None, Some(_)) => UserStatus::Active,
        }
    }

    /// The code in the list's URL, the audit log and the page's CSS class.
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
            UserStatus::Unconfirmed => "unconfirmed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        UserStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            UserStatus::Active => "admin-users-status-active",
            UserStatus::Disabled => "admin-users-status-disabled",
            UserStatus::Unconfirmed => "admin-users-status-unconfirmed",
        }
    }
}

impl AccountRow {
    pub fn status(&self) -> UserStatus {
        UserStatus::of(self.disabled_at, self.email_verified_at)
    }

    /// The stored role; None for a code this version does not know.
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role).ok()
    }
}

pub fn user_exists(conn: &mut AnyConnection, user_id: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(users::table.find(user_id))).get_result(conn)
}

/// The list's filters, parsed; values that mean nothing are ignored rather than refused.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// A LIKE pattern (`contains_pattern`).
    pub pattern: Option<String>,
    pub role: Option<Role>,
    pub region_id: Option<i32>,
    pub category: Option<Category>,
    pub status: Option<UserStatus>,
}

/// Name, email or IIN contains the pattern, whatever the letter case.
fn text_matches(pattern: &str, sqlite: bool) -> UserPredicate {
    let iin = users::iin
        .assume_not_null()
        .like(pattern.to_owned())
        .escape('\\');
    if sqlite {
        Box::new(
            ustaz_lower(users::full_name)
                .like(pattern.to_owned())
                .escape('\\')
                .or(ustaz_lower(users::email)
                    .like(pattern.to_owned())
                    .escape('\\'))
                .or(iin),
        )
    } else {
        Box::new(
            lower(users::full_name)
                .like(pattern.to_owned())
                .escape('\\')
                .or(lower(users::email).like(pattern.to_owned()).escape('\\'))
                .or(iin),
        )
    }
}

fn filtered(filter: &UserFilter, sqlite: bool) -> users::BoxedQuery<'static, MultiBackend> {
    let mut query = users::table.into_boxed();
    if let Some(pattern) = &filter.pattern {
        query = query.filter(text_matches(pattern, sqlite));
    }
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role.as_str()));
    }
    if let Some(region_id) = filter.region_id {
        query = query.filter(users::region_id.eq(region_id));
    }
    if let Some(category) = filter.category {
        query = query.filter(users::category.eq(category.as_str()));
    }
    query = match filter.status {
        Some(UserStatus::Disabled) => query.filter(users::disabled_at.is_not_null()),
        Some(UserStatus::Unconfirmed) => query
            .filter(users::disabled_at.is_null())
            .filter(users::email_verified_at.is_null()),
        Some(UserStatus::Active) => query
            .filter(users::disabled_at.is_null())
            .filter(users::email_verified_at.is_not_null()),
        None => query,
    };
    query
}

/// One page of the users that match (`page_size` a page), and how many match in all.
pub fn search_users(
    conn: &mut AnyConnection,
    filter: &UserFilter,
    page: i64,
    page_size: i64,
) -> QueryResult<(Vec<AccountRow>, i64)> {
    let sqlite = prepare_search(conn)?;
    let total: i64 = filtered(filter, sqlite).count().get_result(conn)?;
    let rows = filtered(filter, sqlite)
        .select(AccountRow::as_select())
        .order((users::full_name.asc(), users::id.asc()))
        .limit(page_size)
        .offset(page_offset(page, total, page_size))
        .load(conn)?;
    Ok((rows, total))
}

pub fn school_name(
    conn: &mut AnyConnection,
    school_id: Option<i32>,
) -> QueryResult<Option<String>> {
    match school_id {
        Some(id) => schools::table
            .find(id)
            .select(schools::name)
            .first(conn)
            .optional(),
        None => Ok(None),
    }
}

/// The school, if it lies in the region (a school outside a user's new region is let go).
pub fn school_kept_in(
    conn: &mut AnyConnection,
    school_id: Option<i32>,
    region_id: Option<i32>,
) -> QueryResult<Option<i32>> {
    match (school_id, region_id) {
        (Some(school), Some(region)) => schools::table
            .find(school)
            .filter(schools::region_id.eq(region))
            .select(schools::id)
            .first::<i32>(conn)
            .optional(),
        _ => Ok(None),
    }
}

/// Where a user is placed: role, region and school.
pub struct Placement {
    pub role: Role,
    pub region_id: Option<i32>,
    pub school_id: Option<i32>,
}

/// Places the user if the account is still at `version`, and moves it on; false (nothing
/// written) when another change came first.
pub fn set_placement(
    conn: &mut AnyConnection,
    user_id: i32,
    version: Version,
    placement: &Placement,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let written = diesel::update(
        users::table
            .find(user_id)
            .filter(users::version.eq(version.get())),
    )
    .set((
        users::role.eq(placement.role.as_str()),
        users::region_id.eq(placement.region_id),
        users::school_id.eq(placement.school_id),
        users::updated_at.eq(now),
        users::version.eq(users::version + 1),
    ))
    .execute(conn)?;
    Ok(written == 1)
}

/// Sets when the account was disabled (None: enabled) and its session version.
pub fn set_access(
    conn: &mut AnyConnection,
    user_id: i32,
    disabled_at: Option<NaiveDateTime>,
    session_version: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::disabled_at.eq(disabled_at),
            users::session_version.eq(session_version),
            users::updated_at.eq(now),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)
        .map(|_| ())
}

// ---- Importing teachers ------------------------------------------------------------------

/// Of `emails`, those that already have an account.
pub fn registered_emails(conn: &mut AnyConnection, emails: &[&str]) -> QueryResult<Vec<String>> {
    in_chunks(emails, |chunk| {
        users::table
            .filter(users::email.eq_any(chunk))
            .select(users::email)
            .load::<String>(conn)
    })
}

/// Of `iins`, those that already belong to an account.
pub fn taken_iins(conn: &mut AnyConnection, iins: &[&str]) -> QueryResult<Vec<String>> {
    in_chunks(iins, |chunk| {
        users::table
            // Matched IINs are never NULL.
            .filter(users::iin.eq_any(chunk))
            .select(users::iin.assume_not_null())
            .load::<String>(conn)
    })
}

/// Runs `query` on slices of `values` short enough for any backend's limit on bound parameters.
fn in_chunks<T>(
    values: &[&str],
    mut query: impl FnMut(&[&str]) -> QueryResult<Vec<T>>,
) -> QueryResult<Vec<T>> {
    let mut found = Vec::new();
    for chunk in values.chunks(500) {
        found.extend(query(chunk)?);
    }
    Ok(found)
}

// ---- Tutors' courses ----------------------------------------------------------------------

/// A course a tutor may be appointed to review: (id, title, status).
pub type TutoredCourse = (i32, String, String);

/// Every course, by title, to choose a tutor's from.
pub fn courses_to_tutor(conn: &mut AnyConnection) -> QueryResult<Vec<TutoredCourse>> {
    courses::table
        .order((courses::title.asc(), courses::id.asc()))
        .select((courses::id, courses::title, courses::status))
        .load(conn)
}

/// The ids of the courses the user is appointed to review.
pub fn tutored_course_ids(conn: &mut AnyConnection, user_id: i32) -> QueryResult<Vec<i32>> {
    course_tutors::table
        .filter(course_tutors::user_id.eq(user_id))
        .order(course_tutors::course_id.asc())
        .select(course_tutors::course_id)
        .load(conn)
}

/// The titles of these courses, by title (for the audit log).
pub fn course_titles(conn: &mut AnyConnection, ids: &[i32]) -> QueryResult<Vec<String>> {
    courses::table
        .filter(courses::id.eq_any(ids))
        .order((courses::title.asc(), courses::id.asc()))
        .select(courses::title)
        .load(conn)
}

/// Appoints the user to review these courses (already appointed ones stay as they are).
pub fn appoint_tutor(
    conn: &mut AnyConnection,
    user_id: i32,
    course_ids: &[i32],
    now: NaiveDateTime,
) -> QueryResult<()> {
    for &course_id in course_ids {
        on_backend!(conn, |c| diesel::insert_into(course_tutors::table)
            .values((
                course_tutors::course_id.eq(course_id),
                course_tutors::user_id.eq(user_id),
                course_tutors::appointed_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    Ok(())
}

/// Ends the user's appointments to these courses, or to every course when `course_ids` is None.
pub fn dismiss_tutor(
    conn: &mut AnyConnection,
    user_id: i32,
    course_ids: Option<&[i32]>,
) -> QueryResult<usize> {
    let mine = course_tutors::table.filter(course_tutors::user_id.eq(user_id));
    match course_ids {
        Some(ids) => {
            diesel::delete(mine.filter(course_tutors::course_id.eq_any(ids))).execute(conn)
        }
        None => diesel::delete(mine).execute(conn),
    }
}

/// Locks the user's row until the end of the transaction, changing nothing (not even its
/// version, so that the forms of their page stay current).
pub fn lock_user(conn: &mut AnyConnection, user_id: i32) -> QueryResult<bool> {
    diesel::update(users::table.find(user_id))
        .set(users::version.eq(users::version))
        .execute(conn)
        .map(|n| n == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_disabled_then_confirmed() {
        let t = Some(crate::db::now());
        assert_eq!(UserStatus::of(t, t), UserStatus::Disabled);
        assert_eq!(UserStatus::of(None, None), UserStatus::Unconfirmed);
        assert_eq!(UserStatus::of(None, t), UserStatus::Active);
    }

    #[test]
    fn statuses_round_trip_and_are_translated() {
        use crate::i18n::catalogue_keys;
        for status in UserStatus::ALL {
            assert_eq!(UserStatus::parse(status.as_str()), Some(status));
        }
        for lang in Lang::ALL {
            let keys = catalogue_keys(lang);
            for status in UserStatus::ALL {
                assert!(keys.contains(status.label_key()), "{lang} lacks {status:?}");
            }
        }
    }
}
