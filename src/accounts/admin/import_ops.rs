//! Importing teachers: the checks that need the database (schools by name, taken IINs, existing
//! accounts), then, only if every line is right, the accounts, their invitation links and emails,
//! all in one transaction. Importing the same file again changes nothing: teachers are matched
//! by email address.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::admin::import_forms::TeacherLine;
use crate::accounts::models::{insert_user, registered_emails, taken_iins, UserRow};
use crate::accounts::tokens::{self, Purpose};
use crate::db::{self, AnyConnection};
use crate::domain::{Iin, Role};
use crate::i18n::{Arg, Lang};
use crate::mail::{enqueue, OutgoingEmail};
use crate::schools::models::{schools_of_regions, SchoolRow};
use crate::web::upload::{with_value, LineError};

/// What importing teachers did, or why it did nothing.
#[derive(Debug)]
pub enum TeacherImport {
    Refused(Vec<LineError>),
    Done {
        invited: usize,
        /// Rows whose email already has an account: (line, email).
        registered: Vec<(u64, String)>,
    },
}

pub struct Invitations {
    /// The teachers' language: of their account and of the invitation.
    pub language: Lang,
    /// The importing admin's language, for the problems shown to them.
    pub page_lang: Lang,
    pub base_url: String,
}

/// Imports the checked `lines` unless they or `problems` (from the checks without the database)
/// show something wrong, in one transaction.
pub fn import_teachers(
    conn: &mut AnyConnection,
    lines: &[TeacherLine],
    problems: Vec<LineError>,
    how: &Invitations,
    at: NaiveDateTime,
) -> QueryResult<TeacherImport> {
    db::transaction(conn, |conn| {
        let known = Known::load(conn, lines)?;
        let (mut new, skipped, mut problems) = known.check(lines, problems.clone(), how.page_lang);
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Ok(TeacherImport::Refused(problems));
        }
        // One order for every import, so two overlapping files cannot deadlock on PostgreSQL
        // (the later one waits, then finds the teachers the first one added).
        new.sort_by(|(a, _), (b, _)| a.email.as_str().cmp(b.email.as_str()));
        for (line, school_id) in &new {
            invite(conn, line, *school_id, how, at)?;
        }
        Ok(TeacherImport::Done {
            invited: new.len(),
            registered: skipped,
        })
    })
}

/// What the database already holds about the teachers of a file.
struct Known {
    /// The schools of their regions by (region, name in lower case).
    schools: HashMap<(i32, String), Vec<SchoolRow>>,
    /// Their email addresses that already have an account.
    registered: HashSet<String>,
    /// Their IINs that already belong to an account.
    taken_iins: HashSet<String>,
}

/// A line to import, with the school it names.
type NewTeacher<'a> = (&'a TeacherLine, Option<i32>);

impl Known {
    fn load(conn: &mut AnyConnection, lines: &[TeacherLine]) -> QueryResult<Self> {
        let region_ids: Vec<i32> = lines.iter().map(|l| l.region_id).collect();
        // Names are matched whatever their case; an exact match wins over one that differs in case.
        let mut schools: HashMap<(i32, String), Vec<SchoolRow>> = HashMap::new();
        for school in schools_of_regions(conn, &region_ids)? {
            schools
                .entry((school.region_id, school.name.to_lowercase()))
                .or_default()
                .push(school);
        }
        let emails: Vec<&str> = lines.iter().map(|l| l.email.as_str()).collect();
        let iins: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.iin.as_ref().map(Iin::as_str))
            .collect();
        Ok(Self {
            schools,
            registered: registered_emails(conn, &emails)?.into_iter().collect(),
            taken_iins: taken_iins(conn, &iins)?.into_iter().collect(),
        })
    }

    /// The school a line names: `Some(None)` for none, `None` (and a problem) when the region has
    /// no school of that name.
    fn school_of(
        &self,
        line: &TeacherLine,
        lang: Lang,
        problems: &mut Vec<LineError>,
    ) -> Option<Option<i32>> {
        let Some(name) = &line.school else {
            return Some(None);
        };
        let candidates = self
            .schools
            .get(&(line.region_id, name.to_lowercase()))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let found = candidates
            .iter()
            .find(|s| &s.name == name)
            .or(candidates.first());
        if found.is_none() {
            problems.push(LineError::new(
                line.line,
                lang.t_args(
                    "admin-import-error-school-unknown",
                    &[
                        ("value", Arg::from(name.as_str())),
                        ("region", Arg::from(line.region_name.as_str())),
                    ],
                ),
            ));
        }
        found.map(|school| Some(school.id))
    }

    /// The lines to import, the lines left out because their email has an account
    /// (line, email), and every problem.
    fn check<'a>(
        &self,
        lines: &'a [TeacherLine],
        mut problems: Vec<LineError>,
        lang: Lang,
    ) -> (Vec<NewTeacher<'a>>, Vec<(u64, String)>, Vec<LineError>) {
        let mut new = Vec::new();
        let mut skipped = Vec::new();
        for line in lines {
            if self.registered.contains(line.email.as_str()) {
                skipped.push((line.line, line.email.as_str().to_owned()));
                continue;
            }
            let school_id = self.school_of(line, lang, &mut problems);
            if let Some(iin) = &line.iin {
                if self.taken_iins.contains(iin.as_str()) {
                    problems.push(LineError::new(
                        line.line,
                        with_value(lang, "admin-import-error-iin-taken", iin.as_str()),
                    ));
                    continue;
                }
            }
            if let Some(school_id) = school_id {
                new.push((line, school_id));
            }
        }
        (new, skipped, problems)
    }
}

/// The teacher's account without a password, its invitation link, and the email that sends it.
fn invite(
    conn: &mut AnyConnection,
    line: &TeacherLine,
    school_id: Option<i32>,
    how: &Invitations,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let user_id = insert_user(
        conn,
        &UserRow {
            email: line.email.as_str(),
            full_name: line.full_name.as_str(),
            role: Role::Teacher.as_str(),
            region_id: Some(line.region_id),
            school_id,
            category: Some(line.category.as_str()),
            language: how.language.code(),
            iin: line.iin.as_ref().map(Iin::as_str),
            pending_iin: None,
            password_hash: None,
            email_verified_at: None,
            created_at: at,
            updated_at: at,
        },
    )?;
    let token = tokens::create(conn, user_id, Purpose::Invitation, at)?;
    enqueue(conn, &invitation_email(line, how, &token))?;
    Ok(())
}

fn invitation_email(line: &TeacherLine, how: &Invitations, token: &str) -> OutgoingEmail {
    let lang = how.language;
    let link = format!("{}/password/reset/{token}", how.base_url);
    OutgoingEmail {
        to: line.email.as_str().to_owned(),
        to_name: line.full_name.as_str().to_owned(),
        lang,
        subject: lang.t("email-invitation-subject"),
        text: lang.t_args(
            "email-invitation-body",
            &[
                ("name", Arg::from(line.full_name.as_str())),
                ("email", Arg::from(line.email.as_str())),
                ("link", Arg::from(link)),
            ],
        ),
        html: None,
    }
}
