//! Issuing, revoking and reinstating certificates. Every rule lives here and runs inside one
//! transaction with the audit event and the teacher's email:
//!
//! - exactly one certificate per enrolment: the enrolment row is locked first (a no-op update),
//!   then an existing certificate is returned as success; the unique constraint on
//!   `certificates.enrolment_id` backs this up;
//! - serials run per year (`UST-2025-000123`), numbered by an upsert on `certificate_serials`;
//! - the verification code is 100 random bits in an alphabet without look-alike characters;
//! - name, course title and hours are copied at issue time.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDateTime};
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use rand::Rng;
use serde_json::json;

use crate::audit::models::{self as audit, AuditAction};
use crate::db::{lower, prepare_search, ustaz_lower, AnyConnection, MultiBackend};
use crate::i18n::{Arg, Lang};
use crate::mail::{self, OutgoingEmail};
use crate::on_backend;
use crate::schema::{certificate_serials, certificates, courses, enrolments, users};

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

/// What asking for a certificate came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    /// Issued now.
    Issued(Certificate),
    /// The enrolment already had this one (concurrent or repeated requests end here).
    Existing(Certificate),
    /// The enrolment is not completed (or does not exist): nothing to certify.
    NotCompleted,
}

impl Issue {
    pub fn certificate(&self) -> Option<&Certificate> {
        match self {
            Issue::Issued(c) | Issue::Existing(c) => Some(c),
            Issue::NotCompleted => None,
        }
    }
}

/// Who issues, why, and where links point.
#[derive(Debug, Clone, Copy)]
pub struct IssueBy<'a> {
    /// The administrator, or None when issued automatically on completion.
    pub admin: Option<i32>,
    pub reason: Option<&'a str>,
    pub now: NaiveDateTime,
    pub base_url: &'a str,
}

/// Issues the certificate of a completed enrolment, or returns the one it already has.
pub fn issue(conn: &mut AnyConnection, enrolment_id: i32, by: IssueBy<'_>) -> QueryResult<Issue> {
    conn.transaction(|conn| {
        // Lock the enrolment first: racing requests for it queue here (a row lock on PostgreSQL,
        // the write lock on SQLite), so the second one sees the first one's certificate.
        let locked = diesel::update(enrolments::table.find(enrolment_id))
            .set(enrolments::status.eq(enrolments::status))
            .execute(conn)?;
        if locked == 0 {
            return Ok(Issue::NotCompleted);
        }
        if let Some(existing) = of_enrolment(conn, enrolment_id)? {
            return Ok(Issue::Existing(existing));
        }
        let (status, user_id, course_id, name, email, language, title, hours) = enrolments::table
            .inner_join(users::table)
            .inner_join(courses::table)
            .filter(enrolments::id.eq(enrolment_id))
            .select((
                enrolments::status,
                users::id,
                courses::id,
                users::full_name,
                users::email,
                users::language,
                courses::title,
                courses::hours,
            ))
            .first::<(String, i32, i32, String, String, String, String, i32)>(conn)?;
        if status != "completed" {
            return Ok(Issue::NotCompleted);
        }
        let year = by.now.year();
        let number = next_serial_number(conn, year)?;
        let serial = format_serial(year, number);
        let code = new_code();
        let inserted = on_backend!(conn, |c| diesel::insert_into(certificates::table)
            .values((
                certificates::enrolment_id.eq(enrolment_id),
                certificates::user_id.eq(user_id),
                certificates::course_id.eq(course_id),
                certificates::serial.eq(&serial),
                certificates::serial_year.eq(year),
                certificates::serial_number.eq(number),
                certificates::verification_code.eq(&code),
                certificates::teacher_name.eq(&name),
                certificates::course_title.eq(&title),
                certificates::hours.eq(hours),
                certificates::issued_at.eq(by.now),
                certificates::issued_by.eq(by.admin),
                certificates::issue_reason.eq(by.reason),
            ))
            .on_conflict(certificates::enrolment_id)
            .do_nothing()
            .execute(c))?;
        let certificate = of_enrolment(conn, enrolment_id)?.ok_or(diesel::NotFound)?;
        if inserted == 0 {
            return Ok(Issue::Existing(certificate));
        }
        audit::record(
            conn,
            by.admin,
            AuditAction::CertificateIssued,
            "certificate",
            Some(certificate.id),
            json!({
                "after": {
                    "serial": certificate.serial,
                    "enrolment_id": enrolment_id,
                    "teacher": name,
                    "course": title,
                    "hours": hours,
                    "reason": by.reason,
                    "automatic": by.admin.is_none(),
                }
            }),
        )?;
        let lang = Lang::parse(&language).unwrap_or_default();
        mail::enqueue(conn, &issued_email(&certificate, &email, lang, by.base_url))?;
        tracing::info!(serial = %certificate.serial, enrolment_id, "certificate issued");
        Ok(Issue::Issued(certificate))
    })
}

/// The next number of `year`'s serials, taken inside the caller's transaction.
fn next_serial_number(conn: &mut AnyConnection, year: i32) -> QueryResult<i32> {
    on_backend!(conn, |c| diesel::insert_into(certificate_serials::table)
        .values((
            certificate_serials::year.eq(year),
            certificate_serials::last_number.eq(1),
        ))
        .on_conflict(certificate_serials::year)
        .do_update()
        .set(certificate_serials::last_number.eq(certificate_serials::last_number + 1))
        .returning(certificate_serials::last_number)
        .get_result(c))
}

/// The certificate step when an enrolment has just been completed: issue at once when the
/// course's mode is automatic; in reviewed mode the enrolment now waits in the admin queue.
pub fn on_completion(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    course_id: i32,
    now: NaiveDateTime,
    base_url: &str,
) -> QueryResult<Option<Issue>> {
    let mode: String = courses::table
        .find(course_id)
        .select(courses::certificate_mode)
        .first(conn)?;
    if mode != "automatic" {
        return Ok(None);
    }
    issue(
        conn,
        enrolment_id,
        IssueBy {
            admin: None,
            reason: None,
            now,
            base_url,
        },
    )
    .map(Some)
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

/// Revokes a certificate with a reason. Returns false when it was already revoked.
pub fn revoke(
    conn: &mut AnyConnection,
    certificate_id: i32,
    admin_id: i32,
    reason: &str,
    now: NaiveDateTime,
    base_url: &str,
) -> QueryResult<bool> {
    conn.transaction(|conn| {
        let changed = diesel::update(
            certificates::table
                .find(certificate_id)
                .filter(certificates::revoked_at.is_null()),
        )
        .set((
            certificates::revoked_at.eq(now),
            certificates::revoked_by.eq(admin_id),
            certificates::revocation_reason.eq(reason),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        let certificate = certificates::table
            .find(certificate_id)
            .select(Certificate::as_select())
            .first(conn)?;
        audit::record(
            conn,
            Some(admin_id),
            AuditAction::CertificateRevoked,
            "certificate",
            Some(certificate_id),
            json!({"before": {"revoked": false}, "after": {"revoked": true, "reason": reason, "serial": certificate.serial}}),
        )?;
        let (email, lang) = recipient(conn, certificate.user_id)?;
        mail::enqueue(conn, &revoked_email(&certificate, &email, lang, base_url))?;
        tracing::info!(serial = %certificate.serial, "certificate revoked");
        Ok(true)
    })
}

/// Makes a revoked certificate valid again. Returns false when it was not revoked.
pub fn reinstate(
    conn: &mut AnyConnection,
    certificate_id: i32,
    admin_id: i32,
    base_url: &str,
) -> QueryResult<bool> {
    conn.transaction(|conn| {
        let before = certificates::table
            .find(certificate_id)
            .select(Certificate::as_select())
            .first(conn)?;
        let changed = diesel::update(
            certificates::table
                .find(certificate_id)
                .filter(certificates::revoked_at.is_not_null()),
        )
        .set((
            certificates::revoked_at.eq(None::<NaiveDateTime>),
            certificates::revoked_by.eq(None::<i32>),
            certificates::revocation_reason.eq(None::<String>),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        audit::record(
            conn,
            Some(admin_id),
            AuditAction::CertificateReinstated,
            "certificate",
            Some(certificate_id),
            json!({"before": {"revoked": true, "reason": before.revocation_reason}, "after": {"revoked": false, "serial": before.serial}}),
        )?;
        let (email, lang) = recipient(conn, before.user_id)?;
        let certificate = Certificate {
            revoked_at: None,
            revoked_by: None,
            revocation_reason: None,
            ..before
        };
        mail::enqueue(conn, &reinstated_email(&certificate, &email, lang, base_url))?;
        tracing::info!(serial = %certificate.serial, "certificate reinstated");
        Ok(true)
    })
}

fn recipient(conn: &mut AnyConnection, user_id: i32) -> QueryResult<(String, Lang)> {
    let (email, language): (String, String) = users::table
        .find(user_id)
        .select((users::email, users::language))
        .first(conn)?;
    Ok((email, Lang::parse(&language).unwrap_or_default()))
}

fn email(
    certificate: &Certificate,
    to: &str,
    lang: Lang,
    base_url: &str,
    kind: &str,
    extra: Option<(&'static str, Arg)>,
) -> OutgoingEmail {
    let mut args = vec![
        ("name", Arg::from(certificate.teacher_name.as_str())),
        ("course", Arg::from(certificate.course_title.as_str())),
        ("serial", Arg::from(certificate.serial.as_str())),
        ("verify", Arg::from(certificate.verify_url(base_url))),
        ("pdf", Arg::from(certificate.pdf_url(base_url))),
        ("list", Arg::from(format!("{base_url}/certificates"))),
    ];
    args.extend(extra);
    OutgoingEmail {
        to: to.to_owned(),
        to_name: certificate.teacher_name.clone(),
        lang,
        subject: lang.t_args(&format!("email-certificate-{kind}-subject"), &args),
        text: lang.t_args(&format!("email-certificate-{kind}-body"), &args),
        html: None,
    }
}

fn issued_email(certificate: &Certificate, to: &str, lang: Lang, base_url: &str) -> OutgoingEmail {
    email(certificate, to, lang, base_url, "issued", None)
}

fn revoked_email(certificate: &Certificate, to: &str, lang: Lang, base_url: &str) -> OutgoingEmail {
    let reason = certificate.revocation_reason.clone().unwrap_or_default();
    email(
        certificate,
        to,
        lang,
        base_url,
        "revoked",
        Some(("reason", Arg::from(reason))),
    )
}

fn reinstated_email(
    certificate: &Certificate,
    to: &str,
    lang: Lang,
    base_url: &str,
) -> OutgoingEmail {
    email(certificate, to, lang, base_url, "reinstated", None)
}

// ---- Admin queries ------------------------------------------------------------------------
// The register, the review queue and manual issuance (src/certificates/admin.rs).

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
    let last_page = ((total + page_size - 1) / page_size).max(1);
    let rows: Vec<Certificate> = register_query(filter, sqlite)
        .order((certificates::issued_at.desc(), certificates::id.desc()))
        .limit(page_size)
        .offset((page.clamp(1, last_page) - 1) * page_size)
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
        .filter(courses::status.eq_any(["published", "archived"]))
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
        .filter(enrolments::status.eq("completed"))
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
    let last_page = ((total + page_size - 1) / page_size).max(1);
    let rows: Vec<(i32, i32, i32, Option<NaiveDateTime>)> = queue_query(filter)
        .order((enrolments::completed_at.asc(), enrolments::id.asc()))
        .limit(page_size)
        .offset((page.clamp(1, last_page) - 1) * page_size)
        .select((
            enrolments::id,
            enrolments::user_id,
            enrolments::course_id,
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
        .map(|(enrolment_id, user_id, course_id, completed_at)| {
            let (teacher_name, teacher_email, region_id) =
                teachers.get(&user_id).cloned().unwrap_or_default();
            let (course_title, certificate_mode) =
                course_rows.get(&course_id).cloned().unwrap_or_default();
            Awaiting {
                enrolment_id,
                completed_at,
                user_id,
                teacher_name,
                teacher_email,
                region_id,
                course_id,
                course_title,
                certificate_mode,
            }
        })
        .collect();
    Ok((awaiting, total))
}

/// What issuing a reviewed selection came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reviewed {
    /// Every selected enrolment has its certificate: `issued` now, `existing` before.
    Done { issued: usize, existing: usize },
    /// These ids are not completed enrolments (unknown, active or withdrawn): nothing was issued.
    Refused(Vec<i32>),
}

enum SelectionRollback {
    Refused(Vec<i32>),
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for SelectionRollback {
    fn from(e: diesel::result::Error) -> Self {
        SelectionRollback::Database(e)
    }
}

/// Issues the certificates of the selected enrolments in one transaction: all of them, or none
/// when one of them cannot have a certificate. Enrolments that already have one are left as
/// they are, so a repeated submission is harmless.
pub fn issue_selected(
    conn: &mut AnyConnection,
    enrolment_ids: &[i32],
    by: IssueBy<'_>,
) -> QueryResult<Reviewed> {
    let mut ids = enrolment_ids.to_vec();
    // One order for every transaction, so two administrators' selections cannot deadlock.
    ids.sort_unstable();
    ids.dedup();
    let result = conn.transaction::<_, SelectionRollback, _>(|conn| {
        let (mut issued, mut existing, mut refused) = (0, 0, Vec::new());
        for &id in &ids {
            match issue(conn, id, by)? {
                Issue::Issued(_) => issued += 1,
                Issue::Existing(_) => existing += 1,
                Issue::NotCompleted => refused.push(id),
            }
        }
        if refused.is_empty() {
            Ok(Reviewed::Done { issued, existing })
        } else {
            Err(SelectionRollback::Refused(refused))
        }
    });
    match result {
        Ok(done) => Ok(done),
        Err(SelectionRollback::Refused(ids)) => Ok(Reviewed::Refused(ids)),
        Err(SelectionRollback::Database(e)) => Err(e),
    }
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

/// What a manual issuance came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Manual {
    Issued(Certificate),
    /// The teacher already holds a certificate of this course; nothing was changed.
    AlreadyCertified(Certificate),
}

/// Records a completion that happened outside the platform and issues its certificate, in one
/// transaction: the enrolment is created completed, or an active or withdrawn one is marked
/// completed on `completed_at` (audited as `enrolment.completed_outside`); a completed one keeps
/// the date the platform recorded.
pub fn issue_for_outside_completion(
    conn: &mut AnyConnection,
    user_id: i32,
    course_id: i32,
    completed_at: NaiveDateTime,
    by: IssueBy<'_>,
) -> QueryResult<Manual> {
    conn.transaction(|conn| {
        let find = |conn: &mut AnyConnection| {
            enrolments::table
                .filter(enrolments::user_id.eq(user_id))
                .filter(enrolments::course_id.eq(course_id))
                .select((enrolments::id, enrolments::status, enrolments::completed_at))
                .first::<(i32, String, Option<NaiveDateTime>)>(conn)
                .optional()
        };
        let before = match find(conn)? {
            Some(found) => Some(found),
            None => {
                // A savepoint: a concurrent enrolment makes this insert fail without spoiling
                // the transaction, and the row it made is used instead.
                let inserted = conn.transaction(|conn| {
                    diesel::insert_into(enrolments::table)
                        .values((
                            enrolments::user_id.eq(user_id),
                            enrolments::course_id.eq(course_id),
                            enrolments::status.eq("completed"),
                            enrolments::enrolled_at.eq(completed_at),
                            enrolments::completed_at.eq(completed_at),
                            enrolments::last_activity_at.eq(completed_at),
                        ))
                        .execute(conn)
                });
                match inserted {
                    Ok(_) => None,
                    Err(diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _,
                    )) => find(conn)?,
                    Err(e) => return Err(e),
                }
            }
        };
        let enrolment_id = match &before {
            Some((id, status, _)) => {
                if let Some(existing) = of_enrolment(conn, *id)? {
                    return Ok(Manual::AlreadyCertified(existing));
                }
                if status != "completed" {
                    diesel::update(enrolments::table.find(*id))
                        .set((
                            enrolments::status.eq("completed"),
                            enrolments::completed_at.eq(completed_at),
                            enrolments::withdrawn_at.eq(None::<NaiveDateTime>),
                        ))
                        .execute(conn)?;
                }
                *id
            }
            None => find(conn)?.ok_or(diesel::NotFound)?.0,
        };
        let newly_completed = before
            .as_ref()
            .is_none_or(|(_, status, _)| status != "completed");
        if newly_completed {
            audit::record(
                conn,
                by.admin,
                AuditAction::EnrolmentCompletedOutside,
                "enrolment",
                Some(enrolment_id),
                // Not "status": the audit log reads that field as an account's status.
                json!({
                    "before": {
                        "enrolment": before.as_ref().map(|(_, status, _)| status),
                        "completed_on": null,
                    },
                    "after": {
                        "enrolment": "completed",
                        "completed_on": completed_at.format("%Y-%m-%d").to_string(),
                        "reason": by.reason,
                    }
                }),
            )?;
        }
        match issue(conn, enrolment_id, by)? {
            Issue::Issued(certificate) => Ok(Manual::Issued(certificate)),
            Issue::Existing(certificate) => Ok(Manual::AlreadyCertified(certificate)),
            // The enrolment was completed just above, in this transaction.
            Issue::NotCompleted => Err(diesel::NotFound),
        }
    })
}

#[cfg(test)]
mod admin_query_tests {
    use crate::db::contains_pattern;

    #[test]
    fn search_text_is_lowered_and_its_wildcards_escaped() {
        assert_eq!(contains_pattern("UST-2025"), "%ust-2025%");
        assert_eq!(contains_pattern("Айгерім"), "%айгерім%");
        assert_eq!(contains_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
