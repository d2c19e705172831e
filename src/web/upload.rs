//! What every CSV import shares: the submission (pasted rows or a chosen file), reading the sheet
//! with its problems line by line, the limits, and the parts of the import pages that are the same
//! for every import (the columns, the problems, the confirmation).
//!
//! Every row is checked first; if any is wrong, the page lists the problems by line and nothing
//! is written.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use askama::Template;
use futures_util::future::LocalBoxFuture;

use crate::db::is_unique_violation;
use crate::error::AppError;
use crate::i18n::{Arg, Lang};
use crate::web::attachments::{is_multipart, read_multipart};
use crate::web::extractors::Posted;
use crate::web::{Ctx, FormErrors};

/// Rows in one import, and the most problems (or skipped rows) a page lists.
pub const MAX_ROWS: usize = 5000;
pub const MAX_LISTED: usize = 200;
/// The whole submission (file and pasted text) when it comes as `multipart/form-data`; other
/// forms are limited to `extractors::MAX_FORM_BYTES`.
pub const MAX_UPLOAD_BYTES: usize = 4 * 1024 * 1024;
/// What the parts' headers and boundaries may add: a request announcing more than
/// `MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES` is answered 413 before it is read.
const MULTIPART_OVERHEAD_BYTES: usize = 64 * 1024;

// ---- The submission: pasted rows or a file --------------------------------------------------

/// An import form as submitted: text fields, and the chosen file if any. A browser sends it as
/// `multipart/form-data` (the form has a file input); a plain urlencoded post (pasted rows only)
/// is read too. Either way the CSRF token is checked (403 otherwise).
pub struct ImportSubmission {
    fields: HashMap<String, String>,
    file: Option<Vec<u8>>,
}

impl ImportSubmission {
    pub fn field(&self, name: &str) -> &str {
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

    /// The sheet this submission holds, or else its problems added to the page's `errors`.
    pub fn sheet(&self, columns: &[Column], lang: Lang, errors: &mut FormErrors) -> Option<Sheet> {
        let text = self
            .csv_text()
            .map_err(|(field, key)| errors.add(field, lang.t(key)))
            .ok()?;
        read_sheet(&text, columns, lang)
            .map_err(|e| errors.add("csv", e.message(lang, columns)))
            .ok()
    }
}

impl FromRequest for ImportSubmission {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if !is_multipart(req) {
            let posted = Posted::<HashMap<String, String>>::from_request(req, payload);
            return Box::pin(async move {
                let Posted(fields) = posted.await?;
                Ok(Self { fields, file: None })
            });
        }
        let announced = MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES;
        let form = read_multipart(req, payload, announced, MAX_UPLOAD_BYTES);
        Box::pin(async move {
            let (fields, files) = form.await?.into_parts();
            // A file input left empty still sends an empty part.
            let file = files
                .into_iter()
                .find(|f| f.field == "file" && !f.bytes.is_empty())
                .map(|f| f.bytes);
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

pub const fn required(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}

pub const fn optional(name: &'static str) -> Column {
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
    pub fn new(line: u64, message: String) -> Self {
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

/// Where each known column is in the header row, or why the header cannot be used.
fn column_positions(
    headers: &csv::StringRecord,
    columns: &[Column],
) -> Result<Vec<Option<usize>>, SheetError> {
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
    Ok(positions)
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
    let positions = column_positions(&headers, columns)?;
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

// ---- Problems with a line's values --------------------------------------------------------

/// A message about one value ("Unknown kind “university”").
pub fn with_value(lang: Lang, key: &str, value: &str) -> String {
    lang.t_args(key, &[("value", Arg::from(value))])
}

/// The line where each value first appears, to refuse a value that a file repeats.
pub struct FirstLines<K>(HashMap<K, u64>);

impl<K: Hash + Eq> Default for FirstLines<K> {
    fn default() -> Self {
        Self(HashMap::new())
    }
}

impl<K: Hash + Eq> FirstLines<K> {
    /// The problem (`message` naming `value` and the earlier line) when an earlier line has
    /// `key`; otherwise `line` becomes the first with it.
    pub fn repeat(
        &mut self,
        key: K,
        line: u64,
        lang: Lang,
        message: &str,
        value: &str,
    ) -> Option<String> {
        match self.0.entry(key) {
            Entry::Occupied(first) => Some(lang.t_args(
                message,
                &[
                    ("value", Arg::from(value)),
                    ("line", Arg::from(*first.get() as i64)),
                ],
            )),
            Entry::Vacant(entry) => {
                entry.insert(line);
                None
            }
        }
    }
}

/// The region code of a line names no region (or is missing).
pub fn region_problem(lang: Lang, code: &str) -> String {
    if code.trim().is_empty() {
        lang.t("admin-import-error-region-missing")
    } else {
        with_value(lang, "admin-import-error-region", code.trim())
    }
}

/// A unique violation while writing means someone else added the same thing meanwhile.
pub fn conflict_if_unique(error: AppError) -> AppError {
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

// ---- The parts of the pages every import shares --------------------------------------------

/// "Line 7", as the tables of an import page name a line.
pub fn line_label(lang: Lang, line: u64) -> String {
    lang.t_args("admin-import-line", &[("line", Arg::from(line as i64))])
}

/// A sentence about the `total - MAX_LISTED` entries a page leaves out ("" when none are).
pub fn more_than_listed(lang: Lang, total: usize, key: &str) -> String {
    let more = total.saturating_sub(MAX_LISTED);
    if more > 0 {
        lang.t_args(key, &[("count", Arg::from(more as i64))])
    } else {
        String::new()
    }
}

pub struct ProblemView {
    pub line: String,
    pub message: String,
}

/// One column of an import, as the page describes it.
pub struct ColumnView {
    pub name: &'static str,
    pub description: String,
    pub required: bool,
}

/// What every import form shows: the pasted rows and the file field with their errors, what
/// each column means, and the problems that stopped the last attempt.
pub struct ImportView {
    pub errors: FormErrors,
    pub csv: String,
    pub columns: Vec<ColumnView>,
    pub file_hint: String,
    pub problems: Vec<ProblemView>,
    pub more_problems: String,
}

impl ImportView {
    /// Each column is described by the key `<prefix><column name with dashes>`.
    pub fn new(lang: Lang, columns: &[Column], prefix: &str) -> Self {
        Self {
            errors: FormErrors::default(),
            csv: String::new(),
            columns: columns
                .iter()
                .map(|c| ColumnView {
                    name: c.name,
                    description: lang.t(&format!("{prefix}{}", c.name.replace('_', "-"))),
                    required: c.required,
                })
                .collect(),
            file_hint: lang.t_args(
                "admin-import-hint-file",
                &[("max", Arg::from(lang.number(MAX_ROWS as i64)))],
            ),
            problems: Vec::new(),
            more_problems: String::new(),
        }
    }

    /// "Nothing was imported: 3 lines have problems", and the first problems line by line.
    pub fn refuse(&mut self, lang: Lang, problems: &[LineError]) {
        let lines = problems
            .iter()
            .map(|p| p.line)
            .collect::<HashSet<_>>()
            .len();
        self.errors.add(
            "import-errors",
            lang.t_args(
                "admin-import-refused",
                &[("count", Arg::from(lines as i64))],
            ),
        );
        self.problems = problems
            .iter()
            .take(MAX_LISTED)
            .map(|p| ProblemView {
                line: line_label(lang, p.line),
                message: p.message.clone(),
            })
            .collect();
        self.more_problems = more_than_listed(lang, problems.len(), "admin-import-more-problems");
    }
}

/// A row that an import left as it was, and why: (line, email address).
pub struct SkippedView {
    pub line: String,
    pub email: String,
}

/// The confirmation after an import.
#[derive(Template)]
#[template(path = "partials/import/done.html")]
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

impl ImportDonePage {
    /// `summary` says what the import did; the page links to `back` (href, label) and to the
    /// import form at `again_href`.
    pub fn new(
        ctx: Ctx,
        title: String,
        summary: String,
        again_href: &'static str,
        (back_href, back_label): (&'static str, String),
    ) -> Self {
        Self {
            ctx,
            title,
            summary,
            skipped: Vec::new(),
            more_skipped: String::new(),
            again_href,
            back_href,
            back_label,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: [Column; 5] = [
        required("region_code"),
        required("name"),
        required("kind"),
        required("inclusive"),
        optional("district"),
    ];

    fn read(text: &str) -> Result<Sheet, SheetError> {
        read_sheet(text, &COLUMNS, Lang::En)
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
        let sheet =
            read("\u{feff}Name;Region code;KIND;inclusive\nSchool No. 5;kz-75;school;yes\n")
                .expect("sheet");
        assert_eq!(sheet.present, vec![true, true, true, true, false]);
        let record = &sheet.records[0];
        assert_eq!(record.line, 2);
        assert_eq!(
            (0..5).map(|c| record.get(c)).collect::<Vec<_>>(),
            vec!["kz-75", "School No. 5", "school", "yes", ""]
        );
    }

    #[test]
    fn a_bad_header_refuses_the_whole_file() {
        let read = |text: &str| read(text).map(|_| ());
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
    fn a_line_with_too_few_values_is_a_problem() {
        let sheet =
            read("region_code,name,kind,inclusive\nKZ-75,\"Two\nlines\",school\n").expect("sheet");
        assert!(sheet.records.is_empty());
        assert_eq!(sheet.problems.len(), 1);
        assert_eq!(sheet.problems[0].line, 2);
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
        let sheet = read(text).expect("sheet");
        let lines: Vec<u64> = sheet.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![3, 6, 7, 10]);
    }

    #[test]
    fn only_the_first_problems_are_listed() {
        let problems: Vec<LineError> = (1..=MAX_LISTED as u64 + 3)
            .map(|line| LineError::new(line, "bad".into()))
            .collect();
        let mut view = ImportView::new(Lang::En, &COLUMNS, "admin-import-schools-column-");
        view.refuse(Lang::En, &problems);
        assert_eq!(view.problems.len(), MAX_LISTED);
        assert!(view.more_problems.contains('3'), "{}", view.more_problems);
        assert_eq!(view.columns[0].name, "region_code");
    }
}
