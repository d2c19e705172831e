//! Issuing, revoking and reinstating certificates. Every rule lives here and runs inside one
//! transaction with the audit event and the teacher's email:
//!
//! - exactly one certificate per enrolment: the enrolment row is locked first (a no-op update),
//!   then an existing certificate is returned as success; the unique constraint on
//!   `certificates.enrolment_id` backs this up;
//! - serials run per year (`UST-2025-000123`), numbered by an upsert on `certificate_serials`;
//! - the verification code is 100 random bits in an alphabet without look-alike characters;
//! - name, course title and hours are copied at issue time.

use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use serde_json::json;

use crate::accounts::session::CurrentUser;
use crate::admin::audit;
use crate::db::AnyConnection;
use crate::domain::Role;
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
    let mut rng = rand::rng();
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

/// Who may download a certificate and its credential: its teacher, the coordinator of the
/// teacher's region, administrators.
pub fn may_read(
    user: &CurrentUser,
    certificate: &Certificate,
    teacher_region: Option<i32>,
) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Coordinator => user.region_id.is_some() && user.region_id == teacher_region,
        Role::Teacher => user.id == certificate.user_id,
    }
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
            "certificate.issued",
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
            "certificate.revoked",
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
            "certificate.reinstated",
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
