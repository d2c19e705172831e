//! Certificate rows and their queries: the certificate as issued, its serial and verification
//! code, the register, the review queue and the look-ups of manual issuance. What changes a
//! certificate (issuing, revoking, reinstating) is in `super::ops`.
//!
//! - serials run per year (`UST-2025-000123`);
//! - the verification code is 100 random bits in an alphabet without look-alike characters;
//! - name, course title and hours are copied at issue time.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use rand::Rng;

use crate::db::{lower, prepare_search, ustaz_lower, AnyConnection, MultiBackend};
use crate::domain::{CourseStatus, EnrolmentStatus};
use crate::schema::{certificates, courses, enrolments, users};
use crate::web::pagination::page_offset;

/// The issuer printed on certificates and named in credentials.
pub const ISSUER: &str = "Ustaz";

/// Letters and digits that cannot be mistaken for one another (no 0/O, 1/I).
const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// 20 characters of 5 bits each: 100 random bits.
const CODE_LENGTH: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = certificates)]
pub struct Certificate {
    pub id: i32,
    pub enrolment_id: i32,
    pub user_id: i32,
    pub course_id: i32,
    pub serial: String,
    pub verification_code: String,
    pub teacher_name: String,
    pub course_title: String,
    pub hours: i32,
    pub issued_at: NaiveDateTime,
    pub issued_by: Option<i32>,
    pub issue_reason: Option<String>,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_by: Option<i32>,
    pub revocation_reason: Option<String>,
}

impl Certificate {
    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }

    /// The code as people read and type it: four groups of five.
    pub fn display_code(&self) -> String {
        display_code(&self.verification_code)
    }

    pub fn verify_url(&self, base_url: &str) -> String {
        format!("{base_url}/verify/{}", self.verification_code)
    }

    pub fn pdf_url(&self, base_url: &str) -> String {
        format!("{base_url}/certificates/{}.pdf", self.serial)
    }

    pub fn credential_url(&self, base_url: &str) -> String {
        format!("{base_url}/certificates/{}/credential.jwt", self.serial)
    }
}

/// A fresh verification code.
pub fn new_code() -> String {
    code_from(&mut rand::rng())
}

/// A verification code drawn from `rng` (a seeded one makes demo data reproducible).
pub fn code_from(rng: &mut impl Rng) -> String {
    (0..CODE_LENGTH)
        .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// A code as typed (any case, spaces or dashes between groups), or None when it cannot be one.
pub fn normalize_code(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LENGTH && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

pub fn display_code(code: &str) -> String {
    code.as_bytes()
        .chunks(5)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

pub fn format_serial(year: i32, number: i32) -> String {
    format!("UST-{year}-{number:06}")
}

/// Whether a serial has the shape `UST-YYYY-NNNNNN` (so a bad one is a 404 without a query).
pub fn is_serial(serial: &str) -> bool {
    let parts: Vec<&str> = serial.split('-').collect();
    matches!(parts.as_slice(), ["UST", year, number]
        if year.len() == 4 && number.len() >= 6
            && year.bytes().chain(number.bytes()).all(|b| b.is_ascii_digit()))
}

pub fn of_enrolment(
    conn: &mut AnyConnection,
    enrolment_id: i32,
) -> QueryResult<Option<Certificate>> {
    certificates::table
        .filter(certificates::enrolment_id.eq(enrolment_id))
        .select(Certificate::as_select())
        .first(conn)
        .optional()
}

pub fn by_serial(conn: &mut AnyConnection, serial: &str) -> QueryResult<Option<Certificate>> {
    certificates::table
        .filter(certificates::serial.eq(serial))
        .select(Certificate::as_select())
        .first(conn)
        .optional()
}

pub fn by_code(conn: &mut AnyConnection, code: &str) -> QueryResult<Option<Certificate>> {
    certificates::table
        .filter(certificates::verification_code.eq(code))
        .select(Certificate::as_select())
        .first(conn)
        .optional()
}

/// A teacher's certificates, newest first.
pub fn of_user(conn: &mut AnyConnection, user_id: i32) -> QueryResult<Vec<Certificate>> {
    certificates::table
        .filter(certificates::user_id.eq(user_id))
        .order((certificates::issued_at.desc(), certificates::id.desc()))
        .select(Certificate::as_select())
        .load(conn)
}

/// The region of a certificate's teacher (for the coordinator's right to read it).
pub fn teacher_region(conn: &mut AnyConnection, user_id: i32) -> QueryResult<Option<i32>> {
    users::table
        .find(user_id)
        .select(users::region_id)
        .first(conn)
}

// ---- Admin queries ------------------------------------------------------------------------
// The register, the review queue and manual issuance (src/certificates/admin/).

/// The register's filters, parsed.
#[derive(Debug, Clone, Default)]
pub struct RegisterFilter {
    /// From `contains_pattern`: matches the serial, the teacher's name (as printed or as now) or
    /// their email address.
    pub pattern: Option<String>,
    /// Some(true): revoked only; Some(false): valid only.
    pub revoked: Option<bool>,
    pub course_id: Option<i32>,
}

type CertificatePredicate =
    Box<dyn BoxableExpression<certificates::table, MultiBackend, SqlType = Bool>>;

fn certificate_text_matches(pattern: &str, sqlite: bool) -> CertificatePredicate {
    let p = || pattern.to_owned();
    if sqlite {
        let people = users::table
            .filter(
                ustaz_lower(users::email)
                    .like(p())
                    .escape('\\')
                    .or(ustaz_lower(users::full_name).like(p()).escape('\\')),
            )
            .select(users::id);
        Box::new(
            ustaz_lower(certificates::serial)
                .like(p())
                .escape('\\')
                .or(ustaz_lower(certificates::teacher_name)
                    .like(p())
                    .escape('\\'))
                .or(certificates::user_id.eq_any(people)),
        )
    } else {
        let people = users::table
            .filter(
                lower(users::email)
                    .like(p())
                    .escape('\\')
                    .or(lower(users::full_name).like(p()).escape('\\')),
            )
            .select(users::id);
        Box::new(
            lower(certificates::serial)
                .like(p())
                .escape('\\')
                .or(lower(certificates::teacher_name).like(p()).escape('\\'))
                .or(certificates::user_id.eq_any(people)),
        )
    }
}

fn register_query(
    filter: &RegisterFilter,
    sqlite: bool,
) -> certificates::BoxedQuery<'static, MultiBackend> {
    let mut query = certificates::table.into_boxed();
    if let Some(pattern) = &filter.pattern {
        query = query.filter(certificate_text_matches(pattern, sqlite));
    }
    match filter.revoked {
        Some(true) => query = query.filter(certificates::revoked_at.is_not_null()),
        Some(false) => query = query.filter(certificates::revoked_at.is_null()),
        None => {}
    }
    if let Some(course_id) = filter.course_id {
        query = query.filter(certificates::course_id.eq(course_id));
    }
    query
}

/// A certificate in the register, with its teacher's email address.
#[derive(Debug, Clone)]
pub struct RegisterEntry {
    pub certificate: Certificate,
    pub teacher_email: String,
}

/// One page (1-based, clamped to the last) of the certificates that match, newest first, and
/// how many match in all.
pub fn register(
    conn: &mut AnyConnection,
    filter: &RegisterFilter,
    page: i64,
    page_size: i64,
) -> QueryResult<(Vec<RegisterEntry>, i64)> {
    let sqlite = prepare_search(conn)?;
    let total: i64 = register_query(filter, sqlite).count().get_result(conn)?;
    let rows: Vec<Certificate> = register_query(filter, sqlite)
        .order((certificates::issued_at.desc(), certificates::id.desc()))
        .limit(page_size)
        .offset(page_offset(page, total, page_size))
        .select(Certificate::as_select())
        .load(conn)?;
    let emails = emails_of(conn, rows.iter().map(|c| c.user_id).collect())?;
    let entries = rows
        .into_iter()
        .map(|certificate| RegisterEntry {
            teacher_email: emails
                .get(&certificate.user_id)
                .cloned()
                .unwrap_or_default(),
            certificate,
        })
        .collect();
    Ok((entries, total))
}

fn emails_of(conn: &mut AnyConnection, mut ids: Vec<i32>) -> QueryResult<HashMap<i32, String>> {
    ids.sort_unstable();
    ids.dedup();
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::email))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect())
}

/// Name and email address of users, by id.
pub type PeopleById = HashMap<i32, (String, String)>;

pub fn people(conn: &mut AnyConnection, mut ids: Vec<i32>) -> QueryResult<PeopleById> {
    ids.sort_unstable();
    ids.dedup();
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::full_name, users::email))
        .load::<(i32, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, email)| (id, (name, email)))
        .collect())
}

/// A course certificates can be issued for.
#[derive(Debug, Clone, Queryable)]
pub struct CourseChoice {
    pub id: i32,
    pub title: String,
    pub status: String,
}

/// Published and archived courses (drafts have no learners), by title.
pub fn issuable_courses(conn: &mut AnyConnection) -> QueryResult<Vec<CourseChoice>> {
    courses::table
        .filter(courses::status.eq_any([
            CourseStatus::Published.as_str(),
            CourseStatus::Archived.as_str(),
        ]))
        .order((courses::title.asc(), courses::id.asc()))
        .select((courses::id, courses::title, courses::status))
        .load(conn)
}

/// The review queue's filters.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub course_id: Option<i32>,
    pub region_id: Option<i32>,
}

/// Completed enrolments without a certificate (of any certificate mode: reviewed courses, and
/// automatic ones completed before certificates existed).
fn queue_query(filter: &QueueFilter) -> enrolments::BoxedQuery<'static, MultiBackend> {
    let mut query = enrolments::table
        .filter(enrolments::status.eq(EnrolmentStatus::Completed.as_str()))
        .filter(not(exists(
            certificates::table.filter(certificates::enrolment_id.eq(enrolments::id)),
        )))
        .into_boxed();
    if let Some(course_id) = filter.course_id {
        query = query.filter(enrolments::course_id.eq(course_id));
    }
    if let Some(region_id) = filter.region_id {
        query = query.filter(
            enrolments::user_id.eq_any(
                users::table
                    .filter(users::region_id.eq(region_id))
                    .select(users::id),
            ),
        );
    }
    query
}

/// A completed enrolment waiting for its certificate.
#[derive(Debug, Clone)]
pub struct Awaiting {
    pub enrolment_id: i32,
    pub enrolled_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
    pub user_id: i32,
    pub teacher_name: String,
    pub teacher_email: String,
    pub region_id: Option<i32>,
    pub course_id: i32,
    pub course_title: String,
    pub certificate_mode: String,
}

/// One page of the queue, oldest completion first, and how many wait in all.
pub fn queue(
    conn: &mut AnyConnection,
    filter: &QueueFilter,
    page: i64,
    page_size: i64,
) -> QueryResult<(Vec<Awaiting>, i64)> {
    let total: i64 = queue_query(filter).count().get_result(conn)?;
    type Row = (i32, i32, i32, NaiveDateTime, Option<NaiveDateTime>);
    let rows: Vec<Row> = queue_query(filter)
        .order((enrolments::completed_at.asc(), enrolments::id.asc()))
        .limit(page_size)
        .offset(page_offset(page, total, page_size))
        .select((
            enrolments::id,
            enrolments::user_id,
            enrolments::course_id,
            enrolments::enrolled_at,
            enrolments::completed_at,
        ))
        .load(conn)?;
    let teachers: HashMap<i32, (String, String, Option<i32>)> = users::table
        .filter(users::id.eq_any(rows.iter().map(|r| r.1).collect::<Vec<_>>()))
        .select((users::id, users::full_name, users::email, users::region_id))
        .load::<(i32, String, String, Option<i32>)>(conn)?
        .into_iter()
        .map(|(id, name, email, region)| (id, (name, email, region)))
        .collect();
    let course_rows: HashMap<i32, (String, String)> = courses::table
        .filter(courses::id.eq_any(rows.iter().map(|r| r.2).collect::<Vec<_>>()))
        .select((courses::id, courses::title, courses::certificate_mode))
        .load::<(i32, String, String)>(conn)?
        .into_iter()
        .map(|(id, title, mode)| (id, (title, mode)))
        .collect();
    let awaiting = rows
        .into_iter()
        .map(
            |(enrolment_id, user_id, course_id, enrolled_at, completed_at)| {
                let (teacher_name, teacher_email, region_id) =
                    teachers.get(&user_id).cloned().unwrap_or_default();
                let (course_title, certificate_mode) =
                    course_rows.get(&course_id).cloned().unwrap_or_default();
                Awaiting {
                    enrolment_id,
                    enrolled_at,
                    completed_at,
                    user_id,
                    teacher_name,
                    teacher_email,
                    region_id,
                    course_id,
                    course_title,
                    certificate_mode,
                }
            },
        )
        .collect();
    Ok((awaiting, total))
}

/// An account found by email address, for manual issuance.
#[derive(Debug, Clone, Queryable)]
pub struct Account {
    pub id: i32,
    pub full_name: String,
    pub role: String,
}

pub fn account_by_email(conn: &mut AnyConnection, email: &str) -> QueryResult<Option<Account>> {
    users::table
        .filter(users::email.eq(email))
        .select((users::id, users::full_name, users::role))
        .first(conn)
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::contains_pattern;

    #[test]
    fn search_text_is_lowered_and_its_wildcards_escaped() {
        assert_eq!(contains_pattern("UST-2025"), "%ust-2025%");
        assert_eq!(contains_pattern("Айгерім"), "%айгерім%");
        assert_eq!(contains_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }

    #[test]
    fn codes_carry_100_bits_in_an_unambiguous_alphabet() {
        let code = new_code();
        assert_eq!(code.len(), 20);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert!(!code.contains(['0', 'O', '1', 'I']));
        assert_ne!(new_code(), code);
        let shown = display_code(&code);
        assert_eq!(shown.len(), 23);
        assert_eq!(normalize_code(&shown.to_lowercase()), Some(code.clone()));
        assert_eq!(
            normalize_code(&format!(" {} ", shown.replace('-', " "))),
            Some(code)
        );
        assert_eq!(normalize_code("ABCD"), None);
        assert_eq!(normalize_code("0000000000000000000O"), None);
    }

    #[test]
    fn serials_are_yearly_and_zero_padded() {
        assert_eq!(format_serial(2025, 123), "UST-2025-000123");
        assert_eq!(format_serial(2026, 1_234_567), "UST-2026-1234567");
        assert!(is_serial("UST-2025-000123"));
        assert!(is_serial("UST-2026-1234567"));
        assert!(!is_serial("UST-2025-123"));
        assert!(!is_serial("UST-25-000123"));
        assert!(!is_serial("XYZ-2025-000123"));
        assert!(!is_serial("UST-2025-00012a"));
    }
}
