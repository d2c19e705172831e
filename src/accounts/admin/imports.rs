//! Bulk imports from CSV: schools (`/admin/schools/import`) and teachers (`/admin/users/import`).
//!
//! Every row is checked first; if any is wrong, the page lists the problems by line and nothing
//! is written. Otherwise everything is written in one transaction. Importing the same file again
//! changes nothing: schools are matched by region and name, teachers by email address.

use std::collections::{HashMap, HashSet};

use actix_multipart::Multipart;
use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;

use crate::accounts::models::{insert_user, UserRow};
use crate::accounts::tokens::{self, Purpose};
use crate::db::is_unique_violation;
use crate::db::now;
use crate::db::AnyConnection;
use crate::domain::{Category, Email, FullName, Iin, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::mail::{enqueue, OutgoingEmail};
use crate::schema::users;
use crate::schools::admin::schools::{
    insert_schools, parse_district, parse_name, parse_yes_no, schools_of_regions, update_school,
    NewSchool, SchoolChanges, SchoolKind, SchoolRow,
};
use crate::schools::models::{all_regions, Region};
use crate::schools::models::{region_choices, RegionChoice};
use crate::state::AppState;
use crate::web::extractors::{csrf_token, Admin, Posted};
use crate::web::{render, render_with_status, run, Ctx, FormErrors};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/schools/import", web::get().to(school_form))
        .route("/admin/schools/import", web::post().to(import_schools))
        .route("/admin/users/import", web::get().to(teacher_form))
        .route("/admin/users/import", web::post().to(import_teachers));
}

/// Rows in one import, and the most problems (or skipped rows) a page lists.
pub const MAX_ROWS: usize = 5000;
const MAX_LISTED: usize = 200;
/// The whole submission (file and pasted text) when it comes as `multipart/form-data`.
pub const MAX_UPLOAD_BYTES: usize = 4 * 1024 * 1024;

// ---- The submission: pasted rows or a file --------------------------------------------------

/// An import form as submitted: text fields, and the chosen file if any. A browser sends it as
/// `multipart/form-data` (the form has a file input); a plain urlencoded post (pasted rows only)
/// is read too. Either way the CSRF token is checked (403 otherwise).
pub struct ImportSubmission {
    fields: HashMap<String, String>,
    file: Option<Vec<u8>>,
}

impl ImportSubmission {
    fn field(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    /// The CSV to read: the chosen file, or else the pasted rows. The error is (field, key).
    fn csv_text(&self) -> Result<String, (&'static str, &'static str)> {
        let pasted = self.field("csv");
        match (&self.file, pasted.trim().is_empty()) {
            (Some(_), false) => Err(("csv", "admin-import-error-both")),
            (Some(bytes), true) => {
                let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
                String::from_utf8(bytes.to_vec())
                    .map_err(|_| ("file", "admin-import-error-encoding"))
            }
            (None, false) => Ok(pasted.trim_start_matches('\u{feff}').to_owned()),
            (None, true) => Err(("csv", "admin-import-error-empty")),
        }
    }
}

fn unreadable(req: &HttpRequest, error: impl std::fmt::Display) -> actix_web::Error {
    tracing::info!(path = %req.path(), %error, "import form could not be read");
    AppError::Invalid("error-form-unreadable").into()
}

fn too_large() -> actix_web::Error {
    actix_web::error::InternalError::from_response(
        "upload too large",
        HttpResponse::PayloadTooLarge().finish(),
    )
    .into()
}

fn csrf_matches(req: &HttpRequest, submitted: &str) -> bool {
    use subtle::ConstantTimeEq;
    let expected = csrf_token(req);
    !expected.is_empty() && expected.as_bytes().ct_eq(submitted.as_bytes()).into()
}

impl FromRequest for ImportSubmission {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("multipart/form-data")
            });
        if !is_multipart {
            let posted = Posted::<HashMap<String, String>>::from_request(req, payload);
            return Box::pin(async move {
                let Posted(fields) = posted.await?;
                Ok(Self { fields, file: None })
            });
        }
        let req = req.clone();
        let mut parts = Multipart::new(req.headers(), payload.take());
        Box::pin(async move {
            let mut fields = HashMap::new();
            let mut file = None;
            let mut budget = MAX_UPLOAD_BYTES;
            while let Some(part) = parts.next().await {
                let mut part = part.map_err(|e| unreadable(&req, e))?;
                // Read every part, even one without a name, so the stream moves on cleanly.
                let bytes = match part.bytes(budget).await {
                    Ok(Ok(bytes)) => bytes,
                    Ok(Err(e)) => return Err(unreadable(&req, e)),
                    Err(_) => return Err(too_large()),
                };
                budget = budget.saturating_sub(bytes.len());
                let Some(name) = part.name().map(str::to_owned) else {
                    continue;
                };
                if name == "file" {
                    // A file input left empty still sends an empty part.
                    if !bytes.is_empty() {
                        file = Some(bytes.to_vec());
                    }
                } else {
                    let text =
                        String::from_utf8(bytes.to_vec()).map_err(|e| unreadable(&req, e))?;
                    fields.insert(name, text);
                }
            }
            let token = fields.get("csrf_token").map(String::as_str).unwrap_or("");
            if !csrf_matches(&req, token) {
                tracing::warn!(path = %req.path(), "import refused: missing or wrong CSRF token");
                return Err(AppError::Forbidden.into());
            }
            Ok(Self { fields, file })
        })
    }
}

// ---- Reading a CSV sheet ------------------------------------------------------------------

/// A column an import understands, by its name in the header row.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

const fn required(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}

const fn optional(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}

/// A problem with one line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub message: String,
}

impl LineError {
    fn new(line: u64, message: String) -> Self {
        Self { line, message }
    }
}

/// A data row: the values of the known columns, in the order of the column list ("" where the
/// file has no such column).
#[derive(Debug, Clone)]
pub struct Record {
    pub line: u64,
    values: Vec<String>,
}

impl Record {
    pub fn get(&self, column: usize) -> &str {
        self.values.get(column).map(String::as_str).unwrap_or("")
    }
}

#[derive(Debug)]
pub struct Sheet {
    /// Which of the known columns the header names.
    pub present: Vec<bool>,
    pub records: Vec<Record>,
    /// Lines that could not be read as rows at all.
    pub problems: Vec<LineError>,
}

/// Why a file cannot be imported as a whole (shown next to the field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetError {
    NoHeader,
    MissingColumns(Vec<&'static str>),
    UnknownColumn(String),
    RepeatedColumn(String),
    NoRows,
    TooManyRows,
}

impl SheetError {
    pub fn message(&self, lang: Lang, columns: &[Column]) -> String {
        let allowed = columns
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", ");
        match self {
            SheetError::NoHeader => lang.t_args(
                "admin-import-error-no-header",
                &[("columns", Arg::from(allowed))],
            ),
            SheetError::MissingColumns(missing) => lang.t_args(
                "admin-import-error-missing-columns",
                &[("columns", Arg::from(missing.join(", ")))],
            ),
            SheetError::UnknownColumn(name) => lang.t_args(
                "admin-import-error-unknown-column",
                &[
                    ("column", Arg::from(name.as_str())),
                    ("columns", Arg::from(allowed)),
                ],
            ),
            SheetError::RepeatedColumn(name) => lang.t_args(
                "admin-import-error-repeated-column",
                &[("column", Arg::from(name.as_str()))],
            ),
            SheetError::NoRows => lang.t("admin-import-error-no-rows"),
            SheetError::TooManyRows => lang.t_args(
                "admin-import-error-too-many-rows",
                &[("max", Arg::from(lang.number(MAX_ROWS as i64)))],
            ),
        }
    }
}

/// Spreadsheets save CSV with commas, or with semicolons where the comma is the decimal sign
/// (Russian and Kazakh settings); rows pasted from a spreadsheet come tab-separated. The header
/// row tells which; a tie goes to the comma.
fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|d| header.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

/// "Region code" and "region-code" name the column `region_code` too.
fn normalise_header(raw: &str) -> String {
    raw.trim_start_matches('\u{feff}')
        .trim()
        .to_lowercase()
        .replace([' ', '-'], "_")
}

/// Line numbers as an editor shows them. The reader reports a record that follows blank lines
/// as starting at the first blank one, so the count starts from the record's first byte instead.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(position) = position else {
            return self.line;
        };
        let mut start = usize::try_from(position.byte())
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while self
            .text
            .get(start)
            .is_some_and(|b| matches!(b, b'\n' | b'\r'))
        {
            start += 1;
        }
        if start < self.offset {
            // Records come in order; recount from the top if one ever does not.
            self.offset = 0;
            self.line = 1;
        }
        self.line += self.text[self.offset..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        self.offset = start;
        self.line
    }
}

/// Reads the header and every row. Lines are numbered as in the file (the header is usually
/// line 1); empty rows are skipped.
pub fn read_sheet(text: &str, columns: &[Column], lang: Lang) -> Result<Sheet, SheetError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(text))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|_| SheetError::NoHeader)?.clone();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(SheetError::NoHeader);
    }
    let mut positions: Vec<Option<usize>> = vec![None; columns.len()];
    for (index, raw) in headers.iter().enumerate() {
        let name = normalise_header(raw);
        // Spreadsheets often add empty cells at the end of the header.
        if name.is_empty() {
            continue;
        }
        let Some(known) = columns.iter().position(|c| c.name == name) else {
            return Err(SheetError::UnknownColumn(raw.trim().to_owned()));
        };
        if positions[known].is_some() {
            return Err(SheetError::RepeatedColumn(raw.trim().to_owned()));
        }
        positions[known] = Some(index);
    }
    let missing: Vec<&'static str> = columns
        .iter()
        .zip(&positions)
        .filter(|(c, p)| c.required && p.is_none())
        .map(|(c, _)| c.name)
        .collect();
    if !missing.is_empty() {
        return Err(SheetError::MissingColumns(missing));
    }
    let width = headers.len();
    let mut lines = LineCounter::new(text);
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for result in reader.records() {
        if records.len() + problems.len() >= MAX_ROWS {
            return Err(SheetError::TooManyRows);
        }
        let record = match result {
            Ok(record) => record,
            Err(error) => {
                let line = lines.line_at(error.position());
                problems.push(LineError::new(
                    line,
                    lang.t("admin-import-error-unreadable"),
                ));
                continue;
            }
        };
        let line = lines.line_at(record.position());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let extra_values = record.iter().skip(width).any(|v| !v.is_empty());
        if record.len() < width || extra_values {
            problems.push(LineError::new(
                line,
                lang.t_args(
                    "admin-import-error-width",
                    &[
                        ("found", Arg::from(record.len() as i64)),
                        ("expected", Arg::from(width as i64)),
                    ],
                ),
            ));
            continue;
        }
        let values = positions
            .iter()
            .map(|p| p.and_then(|i| record.get(i)).unwrap_or("").to_owned())
            .collect();
        records.push(Record { line, values });
    }
    if records.is_empty() && problems.is_empty() {
        return Err(SheetError::NoRows);
    }
    Ok(Sheet {
        present: positions.iter().map(Option::is_some).collect(),
        records,
        problems,
    })
}

fn find_region<'a>(regions: &'a [Region], code: &str) -> Option<&'a Region> {
    let code = code.trim();
    regions.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

fn with_value(lang: Lang, key: &str, value: &str) -> String {
    lang.t_args(key, &[("value", Arg::from(value))])
}

fn repeated(lang: Lang, key: &str, value: &str, other_line: u64) -> String {
    lang.t_args(
        key,
        &[
            ("value", Arg::from(value)),
            ("line", Arg::from(other_line as i64)),
        ],
    )
}

// ---- Schools ------------------------------------------------------------------------------

pub const SCHOOL_COLUMNS: [Column; 5] = [
    required("region_code"),
    required("name"),
    required("kind"),
    required("inclusive"),
    optional("district"),
];
const S_REGION: usize = 0;
const S_NAME: usize = 1;
const S_KIND: usize = 2;
const S_INCLUSIVE: usize = 3;
const S_DISTRICT: usize = 4;

/// A checked school row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolLine {
    pub line: u64,
    pub region_id: i32,
    pub name: String,
    pub kind: SchoolKind,
    pub inclusive: bool,
    /// `None` when the file has no district column (the stored district stays as it is).
    pub district: Option<Option<String>>,
}

pub fn check_schools(
    sheet: &Sheet,
    regions: &[Region],
    lang: Lang,
) -> (Vec<SchoolLine>, Vec<LineError>) {
    let mut lines = Vec::new();
    let mut problems = sheet.problems.clone();
    let mut seen: HashMap<(i32, String), u64> = HashMap::new();
    let has_district = sheet.present.get(S_DISTRICT).copied().unwrap_or(false);
    for record in &sheet.records {
        let line = record.line;
        let mut problem = |message: String| problems.push(LineError::new(line, message));
        let code = record.get(S_REGION);
        let region = find_region(regions, code);
        if region.is_none() {
            problem(region_problem(lang, code));
        }
        let name = parse_name(record.get(S_NAME))
            .map_err(|key| problem(lang.t(key)))
            .ok();
        let kind = SchoolKind::parse(record.get(S_KIND));
        if kind.is_none() {
            problem(with_value(
                lang,
                "admin-import-error-kind",
                record.get(S_KIND),
            ));
        }
        let inclusive = parse_yes_no(record.get(S_INCLUSIVE));
        if inclusive.is_none() {
            problem(with_value(
                lang,
                "admin-import-error-inclusive",
                record.get(S_INCLUSIVE),
            ));
        }
        let district = if has_district {
            parse_district(record.get(S_DISTRICT))
                .map(Some)
                .map_err(|key| problem(lang.t(key)))
                .ok()
        } else {
            Some(None)
        };
        if let (Some(region), Some(name)) = (region, &name) {
            if let Some(first) = seen.get(&(region.id, name.clone())) {
                problem(repeated(
                    lang,
                    "admin-import-error-school-repeated",
                    name,
                    *first,
                ));
                continue;
            }
            seen.insert((region.id, name.clone()), line);
        }
        if let (Some(region), Some(name), Some(kind), Some(inclusive), Some(district)) =
            (region, name, kind, inclusive, district)
        {
            lines.push(SchoolLine {
                line,
                region_id: region.id,
                name,
                kind,
                inclusive,
                district,
            });
        }
    }
    problems.sort_by_key(|p| p.line);
    (lines, problems)
}

fn region_problem(lang: Lang, code: &str) -> String {
    if code.trim().is_empty() {
        lang.t("admin-import-error-region-missing")
    } else {
        with_value(lang, "admin-import-error-region", code.trim())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SchoolCounts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Adds new schools and updates existing ones (same region and name) in the caller's transaction.
pub fn save_schools(
    conn: &mut AnyConnection,
    lines: &[SchoolLine],
    at: NaiveDateTime,
) -> QueryResult<SchoolCounts> {
    let region_ids: Vec<i32> = lines
        .iter()
        .map(|l| l.region_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let existing: HashMap<(i32, String), SchoolRow> = schools_of_regions(conn, &region_ids)?
        .into_iter()
        .map(|s| ((s.region_id, s.name.clone()), s))
        .collect();
    let mut counts = SchoolCounts::default();
    let mut new = Vec::new();
    for line in lines {
        match existing.get(&(line.region_id, line.name.clone())) {
            Some(old) => {
                let district = match &line.district {
                    Some(district) => district.clone(),
                    None => old.district.clone(),
                };
                if old.kind == line.kind.as_str()
                    && old.inclusive_conditions == line.inclusive
                    && old.district == district
                {
                    counts.unchanged += 1;
                    continue;
                }
                update_school(
                    conn,
                    old.id,
                    &SchoolChanges {
                        region_id: old.region_id,
                        name: old.name.clone(),
                        kind: line.kind.as_str().to_owned(),
                        district,
                        inclusive_conditions: line.inclusive,
                        updated_at: at,
                    },
                )?;
                counts.updated += 1;
            }
            None => new.push(NewSchool {
                region_id: line.region_id,
                name: line.name.clone(),
                kind: line.kind.as_str().to_owned(),
                district: line.district.clone().flatten(),
                inclusive_conditions: line.inclusive,
                created_at: at,
                updated_at: at,
            }),
        }
    }
    counts.added = insert_schools(conn, &new)?;
    Ok(counts)
}

// ---- Teachers -----------------------------------------------------------------------------

pub const TEACHER_COLUMNS: [Column; 6] = [
    required("full_name"),
    required("email"),
    required("region_code"),
    optional("school"),
    required("category"),
    optional("iin"),
];
const T_NAME: usize = 0;
const T_EMAIL: usize = 1;
const T_REGION: usize = 2;
const T_SCHOOL: usize = 3;
const T_CATEGORY: usize = 4;
const T_IIN: usize = 5;

/// A checked teacher row; the school name is looked up in the database later.
#[derive(Debug, Clone)]
pub struct TeacherLine {
    pub line: u64,
    pub full_name: FullName,
    pub email: Email,
    pub region_id: i32,
    pub region_name: String,
    pub school: Option<String>,
    pub category: Category,
    pub iin: Option<Iin>,
}

/// The checks that need no database: each value, and repeats within the file.
pub fn check_teachers(
    sheet: &Sheet,
    regions: &[Region],
    lang: Lang,
) -> (Vec<TeacherLine>, Vec<LineError>) {
    let mut lines = Vec::new();
    let mut problems = sheet.problems.clone();
    let mut emails: HashMap<String, u64> = HashMap::new();
    let mut iins: HashMap<String, u64> = HashMap::new();
    for record in &sheet.records {
        let line = record.line;
        let mut problem = |message: String| problems.push(LineError::new(line, message));
        let full_name = FullName::parse(record.get(T_NAME))
            .map_err(|e| {
                problem(lang.t(match e.key() {
                    "error-name-missing" => "admin-import-error-name-missing",
                    _ => "admin-import-error-name-invalid",
                }))
            })
            .ok();
        let raw_email = record.get(T_EMAIL);
        let email = Email::parse(raw_email)
            .map_err(|e| {
                problem(match e.key() {
                    "error-email-missing" => lang.t("admin-import-error-email-missing"),
                    _ => with_value(lang, "admin-import-error-email-invalid", raw_email),
                })
            })
            .ok();
        let code = record.get(T_REGION);
        let region = find_region(regions, code);
        if region.is_none() {
            problem(region_problem(lang, code));
        }
        let school = Some(
            record
                .get(T_SCHOOL)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
        .filter(|s| !s.is_empty());
        let category = Category::parse(record.get(T_CATEGORY))
            .map_err(|_| {
                problem(with_value(
                    lang,
                    "admin-import-error-category",
                    record.get(T_CATEGORY),
                ))
            })
            .ok();
        let raw_iin = record.get(T_IIN);
        let iin = if raw_iin.trim().is_empty() {
            Some(None)
        } else {
            Iin::parse(raw_iin)
                .map(Some)
                .map_err(|_| problem(with_value(lang, "admin-import-error-iin", raw_iin)))
                .ok()
        };
        if let Some(email) = &email {
            if let Some(first) = emails.get(email.as_str()) {
                problem(repeated(
                    lang,
                    "admin-import-error-email-repeated",
                    email.as_str(),
                    *first,
                ));
                continue;
            }
            emails.insert(email.as_str().to_owned(), line);
        }
        if let Some(Some(iin)) = &iin {
            if let Some(first) = iins.get(iin.as_str()) {
                problem(repeated(
                    lang,
                    "admin-import-error-iin-repeated",
                    iin.as_str(),
                    *first,
                ));
                continue;
            }
            iins.insert(iin.as_str().to_owned(), line);
        }
        if let (Some(full_name), Some(email), Some(region), Some(category), Some(iin)) =
            (full_name, email, region, category, iin)
        {
            lines.push(TeacherLine {
                line,
                full_name,
                email,
                region_id: region.id,
                region_name: region.name(lang),
                school,
                category,
                iin,
            });
        }
    }
    problems.sort_by_key(|p| p.line);
    (lines, problems)
}

/// Rows of `users` whose email is in `emails`: (email, iin).
fn accounts_by_email(
    conn: &mut AnyConnection,
    emails: &[&str],
) -> QueryResult<Vec<(String, Option<String>)>> {
    let mut found = Vec::new();
    for chunk in emails.chunks(500) {
        found.extend(
            users::table
                .filter(users::email.eq_any(chunk))
                .select((users::email, users::iin))
                .load::<(String, Option<String>)>(conn)?,
        );
    }
    Ok(found)
}

fn emails_by_iin(conn: &mut AnyConnection, iins: &[&str]) -> QueryResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in iins.chunks(500) {
        found.extend(
            users::table
                .filter(users::iin.eq_any(chunk))
                .select(users::iin)
                .load::<Option<String>>(conn)?
                .into_iter()
                .flatten(),
        );
    }
    Ok(found)
}

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

pub struct Invitations<'a> {
    /// The teachers' language: of their account and of the invitation.
    pub language: Lang,
    /// The importing admin's language, for the problems shown to them.
    pub page_lang: Lang,
    pub base_url: &'a str,
}

/// The checks that need the database (schools by name, taken IINs, existing accounts), then,
/// only if every row is right, the accounts, their invitation links and emails. Run it in one
/// transaction.
pub fn import_teacher_lines(
    conn: &mut AnyConnection,
    lines: &[TeacherLine],
    mut problems: Vec<LineError>,
    how: &Invitations<'_>,
    at: NaiveDateTime,
) -> QueryResult<TeacherImport> {
    let lang = how.page_lang;
    let region_ids: Vec<i32> = lines
        .iter()
        .map(|l| l.region_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    // Names are matched whatever their case; an exact match wins over one that differs in case.
    let mut schools: HashMap<(i32, String), Vec<SchoolRow>> = HashMap::new();
    for school in schools_of_regions(conn, &region_ids)? {
        schools
            .entry((school.region_id, school.name.to_lowercase()))
            .or_default()
            .push(school);
    }
    let emails: Vec<&str> = lines.iter().map(|l| l.email.as_str()).collect();
    let registered: HashSet<String> = accounts_by_email(conn, &emails)?
        .into_iter()
        .map(|(email, _)| email)
        .collect();
    let iins: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.iin.as_ref().map(Iin::as_str))
        .collect();
    let taken_iins: HashSet<String> = emails_by_iin(conn, &iins)?.into_iter().collect();

    let mut new = Vec::new();
    let mut skipped = Vec::new();
    for line in lines {
        if registered.contains(line.email.as_str()) {
            skipped.push((line.line, line.email.as_str().to_owned()));
            continue;
        }
        let school_id = match &line.school {
            None => Some(None),
            Some(name) => {
                let candidates = schools
                    .get(&(line.region_id, name.to_lowercase()))
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let found = candidates
                    .iter()
                    .find(|s| &s.name == name)
                    .or(candidates.first());
                match found {
                    Some(school) => Some(Some(school.id)),
                    None => {
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
                        None
                    }
                }
            }
        };
        if let Some(iin) = &line.iin {
            if taken_iins.contains(iin.as_str()) {
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
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Ok(TeacherImport::Refused(problems));
    }
    for (line, school_id) in &new {
        let user_id = insert_user(
            conn,
            &UserRow {
                email: line.email.as_str(),
                full_name: line.full_name.as_str(),
                role: Role::Teacher.as_str(),
                region_id: Some(line.region_id),
                school_id: *school_id,
                category: Some(line.category.as_str()),
                language: how.language.code(),
                iin: line.iin.as_ref().map(Iin::as_str),
                password_hash: None,
                email_verified_at: None,
                created_at: at,
                updated_at: at,
            },
        )?;
        let token = tokens::create(conn, user_id, Purpose::Invitation, at)?;
        enqueue(conn, &invitation_email(line, how, &token))?;
    }
    Ok(TeacherImport::Done {
        invited: new.len(),
        registered: skipped,
    })
}

fn invitation_email(line: &TeacherLine, how: &Invitations<'_>, token: &str) -> OutgoingEmail {
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

// ---- Pages --------------------------------------------------------------------------------

pub struct ProblemView {
    pub line: String,
    pub message: String,
}

/// The listed problems, and a sentence about those left out ("" when none are).
fn problem_views(problems: &[LineError], lang: Lang) -> (Vec<ProblemView>, String) {
    let views = problems
        .iter()
        .take(MAX_LISTED)
        .map(|p| ProblemView {
            line: lang.t_args("admin-import-line", &[("line", Arg::from(p.line as i64))]),
            message: p.message.clone(),
        })
        .collect();
    let more = problems.len().saturating_sub(MAX_LISTED);
    let more = if more > 0 {
        lang.t_args(
            "admin-import-more-problems",
            &[("count", Arg::from(more as i64))],
        )
    } else {
        String::new()
    };
    (views, more)
}

/// One column of an import, as the page describes it.
pub struct ColumnView {
    pub name: &'static str,
    pub description: String,
    pub required: bool,
}

fn column_views(columns: &[Column], lang: Lang, prefix: &str) -> Vec<ColumnView> {
    columns
        .iter()
        .map(|c| ColumnView {
            name: c.name,
            description: lang.t(&format!("{prefix}{}", c.name.replace('_', "-"))),
            required: c.required,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/import_schools.html")]
pub struct SchoolImportPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub csv: String,
    pub columns: Vec<ColumnView>,
    pub regions: Vec<RegionChoice>,
    pub file_hint: String,
    pub problems: Vec<ProblemView>,
    pub more_problems: String,
}

#[derive(Template)]
#[template(path = "admin/import_users.html")]
pub struct TeacherImportPage {
    pub ctx: Ctx,
    pub errors: FormErrors,
    pub csv: String,
    pub language: String,
    pub languages: [Lang; 3],
    pub columns: Vec<ColumnView>,
    pub regions: Vec<RegionChoice>,
    pub file_hint: String,
    pub problems: Vec<ProblemView>,
    pub more_problems: String,
}

pub struct SkippedView {
    pub line: String,
    pub email: String,
}

#[derive(Template)]
#[template(path = "admin/import_done.html")]
pub struct ImportDonePage {
    pub ctx: Ctx,
    pub title: String,
    pub summary: String,
    pub skipped: Vec<SkippedView>,
    pub more_skipped: String,
    pub again_href: &'static str,
    pub back_href: &'static str,
    pub back_label: String,
}

const SCHOOL_COLUMN_PREFIX: &str = "admin-import-schools-column-";
const TEACHER_COLUMN_PREFIX: &str = "admin-import-users-column-";

fn file_hint(lang: Lang) -> String {
    lang.t_args(
        "admin-import-hint-file",
        &[("max", Arg::from(lang.number(MAX_ROWS as i64)))],
    )
}

impl SchoolImportPage {
    fn new(ctx: Ctx, regions: &[Region]) -> Self {
        let columns = column_views(&SCHOOL_COLUMNS, ctx.lang, SCHOOL_COLUMN_PREFIX);
        Self {
            regions: region_choices(regions, ctx.lang),
            file_hint: file_hint(ctx.lang),
            ctx,
            errors: FormErrors::default(),
            csv: String::new(),
            columns,
            problems: Vec::new(),
            more_problems: String::new(),
        }
    }

    fn with_problems(mut self, problems: &[LineError]) -> Self {
        let lang = self.ctx.lang;
        self.errors
            .add("import-errors", refused_summary(lang, problems));
        (self.problems, self.more_problems) = problem_views(problems, lang);
        self
    }
}

impl TeacherImportPage {
    fn new(ctx: Ctx, regions: &[Region]) -> Self {
        let columns = column_views(&TEACHER_COLUMNS, ctx.lang, TEACHER_COLUMN_PREFIX);
        Self {
            regions: region_choices(regions, ctx.lang),
            file_hint: file_hint(ctx.lang),
            language: ctx.lang.code().to_owned(),
            ctx,
            errors: FormErrors::default(),
            csv: String::new(),
            languages: Lang::ALL,
            columns,
            problems: Vec::new(),
            more_problems: String::new(),
        }
    }

    fn with_problems(mut self, problems: &[LineError]) -> Self {
        let lang = self.ctx.lang;
        self.errors
            .add("import-errors", refused_summary(lang, problems));
        (self.problems, self.more_problems) = problem_views(problems, lang);
        self
    }
}

/// "Nothing was imported: 3 lines have problems."
fn refused_summary(lang: Lang, problems: &[LineError]) -> String {
    let lines = problems
        .iter()
        .map(|p| p.line)
        .collect::<HashSet<_>>()
        .len();
    lang.t_args(
        "admin-import-refused",
        &[("count", Arg::from(lines as i64))],
    )
}

/// A unique violation while writing means someone else added the same thing meanwhile.
fn conflict_if_unique(error: AppError) -> AppError {
    match error {
        AppError::Unexpected(cause)
            if cause
                .downcast_ref::<diesel::result::Error>()
                .is_some_and(is_unique_violation) =>
        {
            AppError::Conflict
        }
        other => other,
    }
}

/// The sheet a submission holds, or the page's field errors.
fn sheet_of(
    submission: &ImportSubmission,
    columns: &[Column],
    lang: Lang,
    errors: &mut FormErrors,
) -> Option<Sheet> {
    let text = submission
        .csv_text()
        .map_err(|(field, key)| errors.add(field, lang.t(key)))
        .ok()?;
    read_sheet(&text, columns, lang)
        .map_err(|e| errors.add("csv", e.message(lang, columns)))
        .ok()
}

pub async fn school_form(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let regions = run(&state.pool, all_regions).await?;
    render(&SchoolImportPage::new(ctx, &regions))
}

pub async fn import_schools(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    submission: ImportSubmission,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let regions = run(&state.pool, all_regions).await?;
    let mut page = SchoolImportPage::new(ctx, &regions);
    page.csv = submission.field("csv").to_owned();
    let Some(sheet) = sheet_of(&submission, &SCHOOL_COLUMNS, lang, &mut page.errors) else {
        return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let (lines, problems) = check_schools(&sheet, &regions, lang);
    if !problems.is_empty() {
        let page = page.with_problems(&problems);
        return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let counts = run(&state.pool, move |conn| {
        conn.transaction(|conn| save_schools(conn, &lines, now()))
    })
    .await
    .map_err(conflict_if_unique)?;
    tracing::info!(
        admin_id = admin.id,
        added = counts.added,
        updated = counts.updated,
        unchanged = counts.unchanged,
        "schools imported"
    );
    render(&ImportDonePage {
        title: lang.t("admin-import-schools-done-title"),
        summary: lang.t_args(
            "admin-import-schools-done",
            &[
                ("added", Arg::from(counts.added as i64)),
                ("updated", Arg::from(counts.updated as i64)),
                ("unchanged", Arg::from(counts.unchanged as i64)),
            ],
        ),
        skipped: Vec::new(),
        more_skipped: String::new(),
        again_href: "/admin/schools/import",
        back_href: "/admin/schools",
        back_label: lang.t("admin-schools-back"),
        ctx: page.ctx,
    })
}

pub async fn teacher_form(
    ctx: Ctx,
    _: Admin,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let regions = run(&state.pool, all_regions).await?;
    render(&TeacherImportPage::new(ctx, &regions))
}

pub async fn import_teachers(
    ctx: Ctx,
    Admin(admin): Admin,
    state: web::Data<AppState>,
    submission: ImportSubmission,
) -> AppResult<HttpResponse> {
    let lang = ctx.lang;
    let regions = run(&state.pool, all_regions).await?;
    let mut page = TeacherImportPage::new(ctx, &regions);
    page.csv = submission.field("csv").to_owned();
    page.language = submission.field("language").to_owned();
    let language = Lang::parse(submission.field("language"));
    if language.is_none() {
        page.errors
            .add("language", lang.t("admin-import-error-language"));
    }
    let sheet = sheet_of(&submission, &TEACHER_COLUMNS, lang, &mut page.errors);
    let (Some(sheet), Some(language)) = (sheet, language) else {
        return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let (lines, problems) = check_teachers(&sheet, &regions, lang);
    let base_url = state.settings.base_url.clone();
    let outcome = run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let how = Invitations {
                language,
                page_lang: lang,
                base_url: &base_url,
            };
            import_teacher_lines(conn, &lines, problems, &how, now())
        })
    })
    .await
    .map_err(conflict_if_unique)?;
    let (invited, registered) = match outcome {
        TeacherImport::Refused(problems) => {
            let page = page.with_problems(&problems);
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
        TeacherImport::Done {
            invited,
            registered,
        } => (invited, registered),
    };
    tracing::info!(
        admin_id = admin.id,
        invited,
        already_registered = registered.len(),
        "teachers imported"
    );
    let more = registered.len().saturating_sub(MAX_LISTED);
    render(&ImportDonePage {
        title: lang.t("admin-import-users-done-title"),
        summary: lang.t_args(
            "admin-import-users-done",
            &[
                ("invited", Arg::from(invited as i64)),
                ("registered", Arg::from(registered.len() as i64)),
            ],
        ),
        skipped: registered
            .iter()
            .take(MAX_LISTED)
            .map(|(line, email)| SkippedView {
                line: lang.t_args("admin-import-line", &[("line", Arg::from(*line as i64))]),
                email: email.clone(),
            })
            .collect(),
        more_skipped: if more > 0 {
            lang.t_args(
                "admin-import-more-registered",
                &[("count", Arg::from(more as i64))],
            )
        } else {
            String::new()
        },
        again_href: "/admin/users/import",
        back_href: "/admin/schools",
        back_label: lang.t("admin-schools-back"),
        ctx: page.ctx,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions() -> Vec<Region> {
        vec![Region {
            id: 19,
            code: "KZ-75".into(),
            kind: "city".into(),
            name_kk: "Алматы".into(),
            name_ru: "Алматы".into(),
            name_en: "Almaty".into(),
            population_thousands: 2230,
        }]
    }

    #[test]
    fn the_delimiter_follows_the_header() {
        assert_eq!(detect_delimiter("a,b,c\n1;2;3"), b',');
        assert_eq!(detect_delimiter("\na;b;c\n"), b';');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("single"), b',');
    }

    #[test]
    fn headers_are_matched_by_name_in_any_order_and_case() {
        let sheet = read_sheet(
            "\u{feff}Name;Region code;KIND;inclusive\nSchool No. 5;kz-75;school;yes\n",
            &SCHOOL_COLUMNS,
            Lang::En,
        )
        .expect("sheet");
        assert_eq!(sheet.present, vec![true, true, true, true, false]);
        let (lines, problems) = check_schools(&sheet, &regions(), Lang::En);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(lines[0].name, "School No. 5");
        assert_eq!(lines[0].region_id, 19);
        assert_eq!(lines[0].district, None);
    }

    #[test]
    fn a_bad_header_refuses_the_whole_file() {
        let read = |text: &str| read_sheet(text, &SCHOOL_COLUMNS, Lang::En).map(|_| ());
        assert_eq!(
            read("region_code,name\nKZ-75,x"),
            Err(SheetError::MissingColumns(vec!["kind", "inclusive"]))
        );
        assert_eq!(
            read("region_code,name,kind,inclusive,colour\n"),
            Err(SheetError::UnknownColumn("colour".into()))
        );
        assert_eq!(
            read("region_code,name,kind,inclusive,name\n"),
            Err(SheetError::RepeatedColumn("name".into()))
        );
        assert_eq!(
            read("region_code,name,kind,inclusive\n\n,,,\n"),
            Err(SheetError::NoRows)
        );
        assert_eq!(read(""), Err(SheetError::NoHeader));
        let many = format!(
            "region_code,name,kind,inclusive\n{}",
            "KZ-75,a,school,yes\n".repeat(MAX_ROWS + 1)
        );
        assert_eq!(read(&many), Err(SheetError::TooManyRows));
    }

    #[test]
    fn every_bad_value_is_reported_with_its_line() {
        let text = "region_code,name,kind,inclusive\n\
                    KZ-75,Good school,school,yes\n\
                    \n\
                    KZ-99,Somewhere,school,yes\n\
                    KZ-75,,university,maybe\n\
                    KZ-75,Good school,college,no\n\
                    KZ-75,\"Two\nlines\",school\n";
        let sheet = read_sheet(text, &SCHOOL_COLUMNS, Lang::En).expect("sheet");
        let (lines, problems) = check_schools(&sheet, &regions(), Lang::En);
        assert_eq!(lines.len(), 1);
        let found: Vec<(u64, &str)> = problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(found.len(), 6, "{found:?}");
        assert_eq!(found[0].0, 4);
        assert!(found[0].1.contains("KZ-99"), "{found:?}");
        assert!(found[1..4].iter().all(|(line, _)| *line == 5), "{found:?}");
        assert_eq!(found[4].0, 6);
        assert!(found[4].1.contains("line 2"), "{found:?}");
        assert_eq!(found[5].0, 7);
    }

    #[test]
    fn lines_are_numbered_as_in_the_file() {
        let text = "\n\
                    region_code,name,kind,inclusive\r\n\
                    KZ-75,a,school,yes\r\n\
                    \r\n\
                    \n\
                    KZ-75,b,school,yes\n\
                    KZ-75,\"c\nd\",school,yes\n\
                    \n\
                    KZ-75,e,school,yes";
        let sheet = read_sheet(text, &SCHOOL_COLUMNS, Lang::En).expect("sheet");
        let lines: Vec<u64> = sheet.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![3, 6, 7, 10]);
    }

    #[test]
    fn teachers_repeated_in_the_file_are_refused() {
        let text = "full_name,email,region_code,school,category,iin\n\
                    Айгерім Нұрланқызы,a@mektep.kz,KZ-75,,general,850101300124\n\
                    Other,A@Mektep.kz,KZ-75,,general,\n\
                    Third,c@mektep.kz,KZ-75,,preschool,850101300124\n\
                    Fourth,not-an-email,KZ-75,,higher,123\n";
        let sheet = read_sheet(text, &TEACHER_COLUMNS, Lang::En).expect("sheet");
        let (lines, problems) = check_teachers(&sheet, &regions(), Lang::En);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].email.as_str(), "a@mektep.kz");
        let found: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(found, vec![3, 4, 5, 5, 5], "{problems:?}");
        assert!(problems[0].message.contains("line 2"), "{problems:?}");
    }
}
