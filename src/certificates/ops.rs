//! Issuing, revoking and reinstating certificates, and recording a completion outside the
//! platform. Each operation runs as one transaction with its audit event and the teacher's email:
//!
//! - exactly one certificate per enrolment: the enrolment row is locked first (a no-op update),
//!   then an existing certificate is returned as success; the unique constraint on
//!   `certificates.enrolment_id` backs this up;
//! - serials are numbered by an upsert on `certificate_serials`, per year.

use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use super::models::{format_serial, new_code, of_enrolment, Certificate};
use crate::audit::models::{self as audit, AuditAction, AuditSubject};
use crate::db::{self, is_unique_violation, AnyConnection};
use crate::domain::{CertificateMode, EnrolmentStatus};
use crate::i18n::{Arg, Lang};
use crate::mail::{self, OutgoingEmail};
use crate::on_backend;
use crate::schema::{
    certificate_serials, certificates, completion_returns, courses, enrolments, module_progress,
    modules, users,
};

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
    db::transaction(conn, |conn| {
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
        if !is_completed(&status) {
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
            AuditSubject::Certificate,
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
    if CertificateMode::parse(&mode) != Some(CertificateMode::Automatic) {
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

/// Revokes a certificate with a reason. Returns false when it was already revoked.
pub fn revoke(
    conn: &mut AnyConnection,
    certificate_id: i32,
    admin_id: i32,
    reason: &str,
    now: NaiveDateTime,
    base_url: &str,
) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
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
            AuditSubject::Certificate,
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
    db::transaction(conn, |conn| {
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
            AuditSubject::Certificate,
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
        mail::enqueue(
            conn,
            &reinstated_email(&certificate, &email, lang, base_url),
        )?;
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

impl db::Transient for SelectionRollback {
    fn database_error(&self) -> Option<&diesel::result::Error> {
        match self {
            SelectionRollback::Database(e) => Some(e),
            SelectionRollback::Refused(_) => None,
        }
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
    let result = db::transaction::<_, SelectionRollback, _>(conn, |conn| {
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
    db::transaction(conn, |conn| {
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
                let inserted = db::transaction(conn, |conn| {
                    diesel::insert_into(enrolments::table)
                        .values((
                            enrolments::user_id.eq(user_id),
                            enrolments::course_id.eq(course_id),
                            enrolments::status.eq(EnrolmentStatus::Completed.as_str()),
                            enrolments::enrolled_at.eq(completed_at),
                            enrolments::completed_at.eq(completed_at),
                            enrolments::last_activity_at.eq(completed_at),
                        ))
                        .execute(conn)
                });
                match inserted {
                    Ok(_) => None,
                    Err(e) if is_unique_violation(&e) => find(conn)?,
                    Err(e) => return Err(e),
                }
            }
        };
        let enrolment_id = match &before {
            Some((id, status, _)) => {
                if let Some(existing) = of_enrolment(conn, *id)? {
                    return Ok(Manual::AlreadyCertified(existing));
                }
                if !is_completed(status) {
                    diesel::update(enrolments::table.find(*id))
                        .set((
                            enrolments::status.eq(EnrolmentStatus::Completed.as_str()),
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
            .is_none_or(|(_, status, _)| !is_completed(status));
        if newly_completed {
            audit::record(
                conn,
                by.admin,
                AuditAction::EnrolmentCompletedOutside,
                AuditSubject::Enrolment,
                Some(enrolment_id),
                // Not "status": the audit log reads that field as an account's status.
                json!({
                    "before": {
                        "enrolment": before.as_ref().map(|(_, status, _)| status),
                        "completed_on": null,
                    },
                    "after": {
                        "enrolment": EnrolmentStatus::Completed.as_str(),
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

fn is_completed(status: &str) -> bool {
    EnrolmentStatus::parse(status) == Some(EnrolmentStatus::Completed)
}

/// What returning a completion to the teacher came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Returned {
    /// The enrolment is active again and the teacher has been emailed.
    Done,
    /// A certificate was issued first (its serial): nothing was changed.
    AlreadyCertified(String),
    /// The enrolment is not completed (returned meanwhile, or withdrawn): nothing was changed.
    NotCompleted,
}

/// A return as an administrator decided it: why, and the modules the teacher must redo.
#[derive(Debug, Clone)]
pub struct ReturnCompletion<'a> {
    pub enrolment_id: i32,
    pub admin_id: i32,
    pub reason: &'a str,
    pub module_ids: &'a [i32],
    pub now: NaiveDateTime,
    pub base_url: &'a str,
}

/// Returns a completed enrolment without a certificate to the teacher, in one transaction: the
/// return is recorded, the enrolment is active again, the chosen modules are to be done again,
/// the event is audited and the teacher is emailed the reason in their language. The enrolment
/// row is locked first, as `issue` does, so a return and an issue of the same completion queue
/// one behind the other and the second sees what the first did.
pub fn return_completion(
    conn: &mut AnyConnection,
    command: &ReturnCompletion<'_>,
) -> QueryResult<Returned> {
    let enrolment_id = command.enrolment_id;
    db::transaction(conn, |conn| {
        let locked = diesel::update(enrolments::table.find(enrolment_id))
            .set(enrolments::status.eq(enrolments::status))
            .execute(conn)?;
        if locked == 0 {
            return Ok(Returned::NotCompleted);
        }
        if let Some(existing) = of_enrolment(conn, enrolment_id)? {
            return Ok(Returned::AlreadyCertified(existing.serial));
        }
        let (status, completed_at, user_id, course_id): (String, Option<NaiveDateTime>, i32, i32) =
            enrolments::table
                .find(enrolment_id)
                .select((
                    enrolments::status,
                    enrolments::completed_at,
                    enrolments::user_id,
                    enrolments::course_id,
                ))
                .first(conn)?;
        let Some(completed_at) = completed_at.filter(|_| is_completed(&status)) else {
            return Ok(Returned::NotCompleted);
        };
        diesel::insert_into(completion_returns::table)
            .values((
                completion_returns::enrolment_id.eq(enrolment_id),
                completion_returns::returned_by.eq(command.admin_id),
                completion_returns::reason.eq(command.reason),
                completion_returns::completed_at.eq(completed_at),
                completion_returns::returned_at.eq(command.now),
            ))
            .execute(conn)?;
        diesel::update(enrolments::table.find(enrolment_id))
            .set((
                enrolments::status.eq(EnrolmentStatus::Active.as_str()),
                enrolments::completed_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        // Only the course's own modules, whatever the form said.
        let reopened: Vec<(i32, String)> = modules::table
            .filter(modules::course_id.eq(course_id))
            .filter(modules::id.eq_any(command.module_ids))
            .order(modules::position.asc())
            .select((modules::id, modules::title))
            .load(conn)?;
        let ids: Vec<i32> = reopened.iter().map(|(id, _)| *id).collect();
        diesel::update(
            module_progress::table
                .filter(module_progress::enrolment_id.eq(enrolment_id))
                .filter(module_progress::module_id.eq_any(&ids)),
        )
        .set((
            module_progress::completed_at.eq(None::<NaiveDateTime>),
            module_progress::best_score.eq(None::<i32>),
            module_progress::updated_at.eq(command.now),
        ))
        .execute(conn)?;
        let titles: Vec<&str> = reopened.iter().map(|(_, t)| t.as_str()).collect();
        audit::record(
            conn,
            Some(command.admin_id),
            AuditAction::CompletionReturned,
            AuditSubject::Enrolment,
            Some(enrolment_id),
            json!({
                "before": {
                    "enrolment": status,
                    "completed_on": completed_at.format("%Y-%m-%d").to_string(),
                },
                "after": {
                    "enrolment": EnrolmentStatus::Active.as_str(),
                    "reason": command.reason,
                    "modules": titles,
                }
            }),
        )?;
        let (name, email, language, title, slug): (String, String, String, String, String) =
            enrolments::table
                .inner_join(users::table)
                .inner_join(courses::table)
                .filter(enrolments::id.eq(enrolment_id))
                .select((
                    users::full_name,
                    users::email,
                    users::language,
                    courses::title,
                    courses::slug,
                ))
                .first(conn)?;
        let lang = Lang::parse(&language).unwrap_or_default();
        let args = [
            ("name", Arg::from(name.as_str())),
            ("course", Arg::from(title.as_str())),
            ("reason", Arg::from(command.reason)),
            ("modules", Arg::from(titles.join(", "))),
            (
                "link",
                Arg::from(format!("{}/courses/{slug}", command.base_url)),
            ),
        ];
        mail::enqueue(
            conn,
            &OutgoingEmail {
                to: email,
                to_name: name.clone(),
                lang,
                subject: lang.t_args("email-completion-returned-subject", &args),
                text: lang.t_args("email-completion-returned-body", &args),
                html: None,
            },
        )?;
        tracing::info!(enrolment_id, user_id, "completion returned to the teacher");
        Ok(Returned::Done)
    })
}
