//! Table downloads as CSV and XLSX that never hold more than one page of rows in memory.
//!
//! A handler hands [`download`] a [`Sheet`] (title and column headers) and a [`RowPages`] source
//! that fetches one page at a time (see [`keyset`]). CSV is streamed: the next page is fetched
//! only when the previous one has been taken by the connection, so a slow client slows the
//! queries down instead of piling rows up in memory, and no pooled connection is held between
//! pages. XLSX is a zip, so it cannot be sent before it is complete: rows go to a
//! constant-memory worksheet (spooled to an anonymous temp file), the workbook is assembled in a
//! second anonymous temp file, and that file is streamed back. Anonymous temp files vanish when
//! closed, even if the process dies, so there is nothing to clean up.
//!
//! ```ignore
//! async fn teachers_export(state: web::Data<AppState>, path: web::Path<String>) -> AppResult<HttpResponse> {
//!     let format = export::Format::parse(&path).ok_or(AppError::NotFound)?;
//!     let region = /* authorised scope */;
//!     let pool = state.pool.clone();
//!     let pages = export::keyset(move |after: Option<&i32>| -> anyhow::Result<_> {
//!         let mut conn = pool.get()?;
//!         let rows = models::teachers_after(&mut conn, region, after.copied(), export::PAGE_SIZE)?;
//!         Ok(rows.into_iter().map(|t| (t.id, vec![t.name.into(), t.courses.into(), t.enrolled_on.into()])).collect())
//!     });
//!     let sheet = export::Sheet::new(t("teachers"), [t("name"), t("courses"), t("enrolled-on")]);
//!     export::download(&t("teachers-file"), format, sheet, pages).await
//! }
//! ```
//!
//! The formats themselves are in [`csv`] (streamed) and [`xlsx`] (assembled in a temp file).

mod csv;
mod xlsx;

use actix_web::body::SizedStream;
use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{web, HttpResponse, HttpResponseBuilder};
use chrono::{NaiveDate, NaiveDateTime};

use crate::error::AppError;

/// Rows per page a source should fetch: about 100 KB of CSV, a few milliseconds of query.
pub const PAGE_SIZE: i64 = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// From a path segment or query value: `csv` or `xlsx` (any case).
    pub fn parse(s: &str) -> Option<Self> {
        if s.eq_ignore_ascii_case("csv") {
            Some(Format::Csv)
        } else if s.eq_ignore_ascii_case("xlsx") {
            Some(Format::Xlsx)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// One value, typed so the XLSX holds numbers as numbers and dates as dates.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Float(f64),
    /// A fraction: 0.735 is shown as 73.50 % (XLSX) or `73.5%` (CSV).
    Percent(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Empty,
}

/// `Cell::from(value)` for each type a cell holds.
macro_rules! cell_from {
    ($($t:ty => |$v:ident| $cell:expr),+ $(,)?) => {
        $(impl From<$t> for Cell {
            fn from($v: $t) -> Self {
                $cell
            }
        })+
    };
}

cell_from! {
    String => |v| Cell::Text(v),
    &str => |v| Cell::Text(v.to_owned()),
    i64 => |v| Cell::Int(v),
    i32 => |v| Cell::Int(v.into()),
    f64 => |v| Cell::Float(v),
    NaiveDate => |v| Cell::Date(v),
    NaiveDateTime => |v| Cell::DateTime(v),
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

pub type Row = Vec<Cell>;

/// What the download is called inside the file: the worksheet name and the column headers.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub title: String,
    pub headers: Vec<String>,
}

impl Sheet {
    pub fn new<H: Into<String>>(
        title: impl Into<String>,
        headers: impl IntoIterator<Item = H>,
    ) -> Self {
        Sheet {
            title: title.into(),
            headers: headers.into_iter().map(Into::into).collect(),
        }
    }
}

/// A source of rows, fetched one page at a time on a blocking thread (so it may run diesel
/// queries directly). An empty page ends the export; every row must have one cell per header.
///
/// Any `FnMut() -> anyhow::Result<Vec<Row>>` is a source; [`keyset`] builds one from a query that
/// takes "the key of the last row seen", [`in_memory`] one from rows already at hand.
pub trait RowPages: Send + 'static {
    fn next_page(&mut self) -> anyhow::Result<Vec<Row>>;
}

impl<F> RowPages for F
where
    F: FnMut() -> anyhow::Result<Vec<Row>> + Send + 'static,
{
    fn next_page(&mut self) -> anyhow::Result<Vec<Row>> {
        self()
    }
}

/// Keyset pagination: `fetch(None)` returns the first page, `fetch(Some(&k))` the rows after the
/// row whose key was `k`, each row with its key, in key order, at most [`PAGE_SIZE`] of them.
/// Unlike OFFSET, every page is an index seek, and rows added or removed meanwhile shift nothing.
/// Take a pooled connection inside `fetch`, so none is held while the client reads.
pub fn keyset<K, F>(fetch: F) -> Keyset<K, F>
where
    K: Send + 'static,
    F: FnMut(Option<&K>) -> anyhow::Result<Vec<(K, Row)>> + Send + 'static,
{
    Keyset {
        fetch,
        after: None,
        done: false,
    }
}

pub struct Keyset<K, F> {
    fetch: F,
    after: Option<K>,
    done: bool,
}

impl<K, F> RowPages for Keyset<K, F>
where
    K: Send + 'static,
    F: FnMut(Option<&K>) -> anyhow::Result<Vec<(K, Row)>> + Send + 'static,
{
    fn next_page(&mut self) -> anyhow::Result<Vec<Row>> {
        if self.done {
            return Ok(Vec::new());
        }
        let page = (self.fetch)(self.after.as_ref())?;
        let mut rows = Vec::with_capacity(page.len());
        for (key, row) in page {
            self.after = Some(key);
            rows.push(row);
        }
        self.done = rows.is_empty();
        Ok(rows)
    }
}

/// A small table already computed (a dashboard's per-region summary): handed out as one page.
pub fn in_memory(rows: Vec<Row>) -> impl RowPages {
    let mut rows = Some(rows);
    move || Ok(rows.take().unwrap_or_default())
}

/// The download response: `filename_stem` (any language; the extension is added) names the file.
/// The first page is fetched before answering, so a database that is down gives an error page,
/// not an empty file. An error on a later CSV page aborts the transfer (the browser reports a
/// failed download rather than saving a truncated file) and is logged.
pub async fn download(
    filename_stem: &str,
    format: Format,
    sheet: Sheet,
    pages: impl RowPages,
) -> Result<HttpResponse, AppError> {
    let mut response = HttpResponse::Ok();
    attachment_headers(&mut response, filename_stem, format);
    match format {
        Format::Csv => {
            let body = csv::csv_body(sheet.headers, pages).await?;
            Ok(response.streaming(body))
        }
        Format::Xlsx => {
            let (file, len) =
                web::block(move || xlsx::write_xlsx(&sheet, pages, xlsx::XLSX_MAX_ROWS))
                    .await?
                    .map_err(app_error)?;
            Ok(response.body(SizedStream::new(len, xlsx::file_chunks(file))))
        }
    }
}

/// A pool that is exhausted or a database that is unreachable is "try again later", not a bug.
fn app_error(e: anyhow::Error) -> AppError {
    if e.downcast_ref::<diesel::r2d2::PoolError>().is_some() {
        AppError::Unavailable(e)
    } else {
        AppError::Unexpected(e)
    }
}

/// A stored file as a download: `file_name` (untrusted, any language) is cleaned and sent as
/// RFC 6266 `filename*` with an ASCII fallback, with the stored `content_type` and nosniff.
pub fn stored_file(file_name: &str, content_type: &str, bytes: Vec<u8>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    disposition_headers(&mut response, clean_stem(file_name), content_type);
    response.body(bytes)
}

fn attachment_headers(response: &mut HttpResponseBuilder, stem: &str, format: Format) {
    let name = format!("{}.{}", clean_stem(stem), format.extension());
    disposition_headers(response, name, format.content_type());
}

fn disposition_headers(response: &mut HttpResponseBuilder, name: String, content_type: &str) {
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            // For clients that ignore filename* (curl -J, old browsers): a transliteration.
            DispositionParam::Filename(ascii_fallback(&name)),
            // RFC 6266 / 8187: the real name, percent-encoded UTF-8.
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: name.into_bytes(),
            }),
        ],
    };
    response
        .content_type(content_type)
        .insert_header(disposition)
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
}

/// The stem as a file name: no path separators, quotes, control or reserved characters, one
/// space between words, at most 100 characters, never empty.
fn clean_stem(stem: &str) -> String {
    let replaced: String = stem
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | '"' | ':' | '*' | '?' | '<' | '>' | '|') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let words: Vec<&str> = replaced.split_whitespace().collect();
    let joined: String = words.join(" ").chars().take(100).collect();
    let trimmed = joined.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        "export".to_owned()
    } else {
        trimmed.to_owned()
    }
}

fn ascii_fallback(name: &str) -> String {
    let ascii: String = deunicode::deunicode(name)
        .chars()
        .filter_map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                Some(c)
            } else if c.is_whitespace() {
                Some('_')
            } else {
                // Transliteration marks (Қ → K') and punctuation.
                None
            }
        })
        .collect();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    out
}

/// An error after the response has started: logged, and the transfer aborted.
fn stream_error(e: anyhow::Error) -> std::io::Error {
    tracing::error!(cause = %format!("{e:#}"), "export aborted");
    std::io::Error::other("export aborted")
}

fn check_width(cells: usize, width: usize) -> anyhow::Result<()> {
    anyhow::ensure!(
        cells == width,
        "export row has {cells} cells for {width} headers"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;
    use std::pin::Pin;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use actix_web::body::{self, BoxBody, MessageBody};
    use calamine::{Data, Reader, Xlsx};

    use std::io::{self, Read, Seek, Write};

    use actix_web::web::Bytes;

    use super::csv::BOM;
    use super::xlsx::{excel_text, sheet_name, write_xlsx, XLSX_MAX_ROWS, XLSX_MAX_TEXT};
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn sheet() -> Sheet {
        Sheet::new(
            "Учителя: Алматы/2025",
            [
                "ФИО",
                "Мектеп",
                "Курсы",
                "Балл",
                "Выполнено",
                "Дата",
                "Когда",
            ],
        )
    }

    /// Rows that break naive CSV writers, and text a spreadsheet would run as a formula.
    fn tricky_rows() -> Vec<Row> {
        let at = date(2025, 3, 1).and_hms_opt(14, 5, 9).expect("valid time");
        vec![
            vec![
                "Әйгерім Нұрланқызы".into(),
                "№ 12 мектеп-гимназия, Өскемен".into(),
                3.into(),
                4.25.into(),
                Cell::Percent(0.735),
                date(2025, 12, 31).into(),
                at.into(),
            ],
            vec![
                "Иванов \"Ваня\" Иван".into(),
                "строка 1\nстрока 2".into(),
                Cell::Int(-5),
                Cell::Float(-0.5),
                Cell::Percent(1.0),
                Cell::Empty,
                Option::<NaiveDateTime>::None.into(),
            ],
            vec![
                "=HYPERLINK(\"http://evil\",\"x\")".into(),
                "+7 701 000 00 00".into(),
                Cell::Int(0),
                Cell::Float(f64::NAN),
                Cell::Percent(0.1234),
                date(2024, 2, 29).into(),
                Cell::Empty,
            ],
            vec![
                "@SUM(A1)".into(),
                "-2+3".into(),
                Cell::Int(i64::from(i32::MAX)),
                Cell::Float(1e-3),
                Cell::Percent(0.0),
                Cell::Empty,
                Cell::Empty,
            ],
            vec![
                "\tTab".into(),
                "\rCR".into(),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ],
        ]
    }

    /// `pages` pages of `per_page` rows each, counting how many pages it has handed out.
    fn counted_source(
        pages: usize,
        per_page: usize,
        handed_out: Arc<AtomicUsize>,
    ) -> impl RowPages {
        let mut next = 0usize;
        move || {
            handed_out.fetch_add(1, Ordering::SeqCst);
            if next == pages {
                return Ok(Vec::new());
            }
            next += 1;
            Ok((0..per_page)
                .map(|i| {
                    let n = (next - 1) * per_page + i;
                    vec![
                        Cell::Text(format!("Мұғалім {n}")),
                        Cell::Text("Қарағанды облысы".into()),
                        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX)),
                        Cell::Float(n as f64 / 7.0),
                        Cell::Percent((n % 100) as f64 / 100.0),
                        Cell::Date(date(2025, 1, 1) + chrono::Days::new((n % 365) as u64)),
                        Cell::DateTime(
                            date(2025, 1, 1).and_hms_opt(8, 0, 0).expect("valid")
                                + chrono::Duration::seconds(n as i64),
                        ),
                    ]
                })
                .collect())
        }
    }

    async fn next_chunk(body: &mut BoxBody) -> Option<Bytes> {
        futures_util::future::poll_fn(|cx| Pin::new(&mut *body).poll_next(cx))
            .await
            .map(|chunk| chunk.expect("chunk"))
    }

    fn header(resp: &HttpResponse, name: header::HeaderName) -> String {
        resp.headers()
            .get(name)
            .expect("header present")
            .to_str()
            .expect("ascii header")
            .to_owned()
    }

    fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
        assert!(bytes.starts_with(BOM), "UTF-8 BOM first");
        ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[BOM.len()..])
            .records()
            .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn formats_parse_from_their_extension() {
        assert_eq!(Format::parse("csv"), Some(Format::Csv));
        assert_eq!(Format::parse("XLSX"), Some(Format::Xlsx));
        assert_eq!(Format::parse("xls"), None);
        assert_eq!(Format::parse(""), None);
        assert_eq!(Format::Xlsx.extension(), "xlsx");
        assert_eq!(Format::Csv.content_type(), "text/csv; charset=utf-8");
    }

    #[actix_web::test]
    async fn csv_has_bom_headers_and_every_row_intact() {
        let resp = download(
            "Учителя: Алматы/2025",
            Format::Csv,
            sheet(),
            in_memory(tricky_rows()),
        )
        .await
        .expect("response");
        assert_eq!(resp.status(), 200);
        assert_eq!(
            header(&resp, header::CONTENT_TYPE),
            "text/csv; charset=utf-8"
        );
        assert_eq!(header(&resp, header::CACHE_CONTROL), "private, no-store");
        assert_eq!(header(&resp, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        let disposition = header(&resp, header::CONTENT_DISPOSITION);
        assert!(disposition.starts_with("attachment; "), "{disposition}");
        assert!(
            disposition.contains("filename=\"Uchitelia_Almaty_2025.csv\""),
            "{disposition}"
        );
        // "Учителя Алматы 2025.csv" in UTF-8, percent-encoded (RFC 8187).
        assert!(
            disposition.contains(
                "filename*=UTF-8''%D0%A3%D1%87%D0%B8%D1%82%D0%B5%D0%BB%D1%8F%20\
                 %D0%90%D0%BB%D0%BC%D0%B0%D1%82%D1%8B%202025.csv"
            ),
            "{disposition}"
        );

        let bytes = body::to_bytes(resp.into_body()).await.expect("body");
        assert!(bytes.windows(2).any(|w| w == b"\r\n"), "CRLF line ends");
        let records = read_csv(&bytes);
        let expected = vec![
            vec![
                "ФИО",
                "Мектеп",
                "Курсы",
                "Балл",
                "Выполнено",
                "Дата",
                "Когда",
            ],
            vec![
                "Әйгерім Нұрланқызы",
                "№ 12 мектеп-гимназия, Өскемен",
                "3",
                "4.25",
                "73.5%",
                "2025-12-31",
                "2025-03-01 14:05:09",
            ],
            vec![
                "Иванов \"Ваня\" Иван",
                "строка 1\nстрока 2",
                "-5",
                "-0.5",
                "100%",
                "",
                "",
            ],
            vec![
                "'=HYPERLINK(\"http://evil\",\"x\")",
                "'+7 701 000 00 00",
                "0",
                "",
                "12.34%",
                "2024-02-29",
                "",
            ],
            vec!["'@SUM(A1)", "'-2+3", "2147483647", "0.001", "0%", "", ""],
            vec!["'\tTab", "'\rCR", "", "", "", "", ""],
        ];
        assert_eq!(records, expected);
    }

    #[actix_web::test]
    async fn csv_fetches_the_next_page_only_when_the_previous_one_was_taken() {
        let handed_out = Arc::new(AtomicUsize::new(0));
        let source = counted_source(50, 10, handed_out.clone());
        let resp = download("big", Format::Csv, sheet(), source)
            .await
            .expect("response");
        // The first page is fetched up front, so that a failing database gives an error status.
        assert_eq!(handed_out.load(Ordering::SeqCst), 1);

        let mut body = resp.into_body();
        let first = next_chunk(&mut body).await.expect("first chunk");
        assert!(first.starts_with(BOM));
        assert_eq!(read_csv(&first).len(), 1 + 10, "header and first page");
        assert_eq!(handed_out.load(Ordering::SeqCst), 1);

        let second = next_chunk(&mut body).await.expect("second chunk");
        assert_eq!(handed_out.load(Ordering::SeqCst), 2);
        assert!(String::from_utf8_lossy(&second).starts_with("Мұғалім 10,"));

        let rest = body::to_bytes(body).await.expect("rest");
        assert_eq!(
            handed_out.load(Ordering::SeqCst),
            51,
            "50 pages and the empty end"
        );
        let lines = rest
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .count();
        assert_eq!(lines, 48 * 10);
    }

    #[actix_web::test]
    async fn a_failing_first_page_is_an_error_status_and_a_later_one_aborts_the_body() {
        let failing = || -> anyhow::Result<Vec<Row>> { anyhow::bail!("database gone") };
        let err = download("x", Format::Csv, sheet(), failing)
            .await
            .expect_err("no response");
        assert_eq!(actix_web::ResponseError::status_code(&err), 500);
        let err = download("x", Format::Xlsx, sheet(), failing)
            .await
            .expect_err("no response");
        assert_eq!(actix_web::ResponseError::status_code(&err), 500);

        let mut pages = 0;
        let fails_later = move || -> anyhow::Result<Vec<Row>> {
            pages += 1;
            anyhow::ensure!(pages < 3, "database gone");
            Ok(tricky_rows())
        };
        let resp = download("x", Format::Csv, sheet(), fails_later)
            .await
            .expect("first page fine");
        assert!(body::to_bytes(resp.into_body()).await.is_err());
    }

    #[actix_web::test]
    async fn a_row_of_the_wrong_width_is_refused() {
        let short = in_memory(vec![vec![Cell::Int(1)]]);
        assert!(download("x", Format::Csv, sheet(), short).await.is_err());
        let short = in_memory(vec![vec![Cell::Int(1)]]);
        assert!(download("x", Format::Xlsx, sheet(), short).await.is_err());
    }

    fn open_xlsx(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
        Xlsx::new(Cursor::new(bytes.to_vec())).expect("a valid XLSX")
    }

    fn zip_entry(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("zip");
        let mut file = archive.by_name(name).expect("entry");
        let mut xml = String::new();
        file.read_to_string(&mut xml).expect("utf-8 xml");
        xml
    }

    #[actix_web::test]
    async fn xlsx_has_typed_cells_a_frozen_bold_header_and_a_filter() {
        let resp = download("Учителя", Format::Xlsx, sheet(), in_memory(tricky_rows()))
            .await
            .expect("response");
        assert_eq!(
            header(&resp, header::CONTENT_TYPE),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(header(&resp, header::CONTENT_DISPOSITION)
            .contains("filename*=UTF-8''%D0%A3%D1%87%D0%B8%D1%82%D0%B5%D0%BB%D1%8F.xlsx"));
        // Sent with a Content-Length, so the browser shows progress.
        let body::BodySize::Sized(length) = resp.body().size() else {
            panic!("a sized body");
        };
        let bytes = body::to_bytes(resp.into_body()).await.expect("body");
        assert_eq!(bytes.len() as u64, length);

        let mut book = open_xlsx(&bytes);
        // `:` and `/` cannot be in a sheet name.
        assert_eq!(book.sheet_names(), vec!["Учителя  Алматы 2025".to_owned()]);
        let range = book
            .worksheet_range("Учителя  Алматы 2025")
            .expect("the sheet");
        assert_eq!(range.get_size(), (6, 7));
        let headers: Vec<String> = (0..7)
            .map(|c| range.get((0, c)).expect("header").to_string())
            .collect();
        assert_eq!(headers, sheet().headers);

        let cell = |r: usize, c: usize| range.get((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(cell(1, 0), Data::String("Әйгерім Нұрланқызы".into()));
        assert_eq!(
            cell(1, 1),
            Data::String("№ 12 мектеп-гимназия, Өскемен".into())
        );
        assert_eq!(cell(1, 2), Data::Float(3.0), "a number, not text");
        assert_eq!(cell(1, 3), Data::Float(4.25));
        assert_eq!(
            cell(1, 4),
            Data::Float(0.735),
            "a percentage is its fraction"
        );
        let Data::DateTime(when) = cell(1, 5) else {
            panic!("a date cell, got {:?}", cell(1, 5));
        };
        assert_eq!(
            when.as_datetime().map(|t| t.date()),
            Some(date(2025, 12, 31))
        );
        let Data::DateTime(when) = cell(1, 6) else {
            panic!("a date-time cell, got {:?}", cell(1, 6));
        };
        assert_eq!(when.as_datetime(), date(2025, 3, 1).and_hms_opt(14, 5, 9));
        assert_eq!(cell(2, 1), Data::String("строка 1\nстрока 2".into()));
        assert_eq!(cell(2, 2), Data::Float(-5.0));
        assert_eq!(cell(2, 5), Data::Empty);
        // Text is stored as text, never as a formula, so it keeps no apostrophe.
        assert_eq!(
            cell(3, 0),
            Data::String("=HYPERLINK(\"http://evil\",\"x\")".into())
        );
        assert_eq!(cell(3, 3), Data::Empty, "NaN is left blank");
        assert_eq!(
            book.worksheet_formula("Учителя  Алматы 2025")
                .expect("formulas")
                .used_cells()
                .count(),
            0
        );

        let xml = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
        assert!(
            xml.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "{xml}"
        );
        assert!(xml.contains(r#"<autoFilter ref="A1:G6"/>"#), "{xml}");
        assert!(xml.contains("<cols>"), "column widths set");
        let styles = zip_entry(&bytes, "xl/styles.xml");
        assert!(styles.contains("<b/>"), "a bold font for the header");
        let core = zip_entry(&bytes, "docProps/core.xml");
        assert!(
            core.contains("<dc:title>Учителя: Алматы/2025</dc:title>"),
            "{core}"
        );
    }

    #[test]
    fn xlsx_continues_on_a_new_sheet_past_the_row_limit() {
        let rows: Vec<Row> = (0..5).map(|n| vec![Cell::Int(n)]).collect();
        let (mut file, _) =
            write_xlsx(&Sheet::new("Итоги", ["N"]), in_memory(rows), 3).expect("written");
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).expect("read");
        let mut book = open_xlsx(&bytes);
        assert_eq!(book.sheet_names(), ["Итоги", "Итоги (2)", "Итоги (3)"]);
        let column = |book: &mut Xlsx<_>, name: &str| -> Vec<Data> {
            let range = book.worksheet_range(name).expect("sheet");
            range.rows().map(|r| r[0].clone()).collect()
        };
        let n = |x: f64| Data::Float(x);
        let h = Data::String("N".into());
        assert_eq!(column(&mut book, "Итоги"), [h.clone(), n(0.0), n(1.0)]);
        assert_eq!(column(&mut book, "Итоги (2)"), [h.clone(), n(2.0), n(3.0)]);
        assert_eq!(column(&mut book, "Итоги (3)"), [h, n(4.0)]);
    }

    #[test]
    fn an_empty_export_is_just_the_headers() {
        let (mut file, _) =
            write_xlsx(&sheet(), in_memory(Vec::new()), XLSX_MAX_ROWS).expect("written");
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).expect("read");
        let mut book = open_xlsx(&bytes);
        let name = book.sheet_names()[0].clone();
        assert_eq!(
            book.worksheet_range(&name).expect("sheet").get_size(),
            (1, 7)
        );
    }

    diesel::table! {
        export_probe (id) {
            id -> Integer,
            name -> Text,
        }
    }

    /// The way a handler uses it: keyset pages, each on a pooled connection, on a blocking thread.
    #[actix_web::test]
    async fn keyset_pages_from_a_pooled_database() {
        use diesel::connection::SimpleConnection;
        use diesel::prelude::*;

        let dir = tempfile::tempdir().expect("tempdir");
        let url = dir.path().join("export.db").to_string_lossy().into_owned();
        let pool = crate::db::build_pool(&url, 2);
        pool.get()
            .expect("connection")
            .batch_execute(
                "CREATE TABLE export_probe (id INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
                 INSERT INTO export_probe SELECT i, 'Мұғалім ' || i FROM n;",
            )
            .expect("seeded");

        let queries = Arc::new(AtomicUsize::new(0));
        let counted = queries.clone();
        let pages = keyset(move |after: Option<&i32>| -> anyhow::Result<_> {
            counted.fetch_add(1, Ordering::SeqCst);
            let mut conn = pool.get()?;
            let rows: Vec<(i32, String)> = export_probe::table
                .filter(export_probe::id.gt(after.copied().unwrap_or(i32::MIN)))
                .order(export_probe::id.asc())
                .limit(PAGE_SIZE)
                .load(&mut conn)?;
            Ok(rows
                .into_iter()
                .map(|(id, name)| (id, vec![id.into(), name.into()]))
                .collect())
        });
        let resp = download(
            "probe",
            Format::Csv,
            Sheet::new("Probe", ["id", "name"]),
            pages,
        )
        .await
        .expect("response");
        let records = read_csv(&body::to_bytes(resp.into_body()).await.expect("body"));
        assert_eq!(records.len(), 1 + 2500);
        assert_eq!(records[1], ["1", "Мұғалім 1"]);
        assert_eq!(records[2500], ["2500", "Мұғалім 2500"]);
        assert_eq!(
            queries.load(Ordering::SeqCst),
            4,
            "three pages and the empty one"
        );
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(clean_stem("  ../Отчёт:\t\"итог\"  "), "Отчёт итог");
        assert_eq!(clean_stem("///"), "export");
        assert_eq!(
            ascii_fallback("Қазақстан өңірлері.xlsx"),
            "Kazakstan_onirleri.xlsx"
        );
        assert_eq!(sheet_name("[Итоги]: 2025/26?", 1), "Итоги   2025 26");
        assert_eq!(sheet_name("'quoted'", 1), "quoted");
        assert_eq!(sheet_name("", 1), "Sheet");
        let long = "Ж".repeat(40);
        assert_eq!(sheet_name(&long, 12).chars().count(), 31);
        assert!(sheet_name(&long, 12).ends_with("Ж (12)"));
        let text = "я".repeat(XLSX_MAX_TEXT + 5);
        assert_eq!(excel_text(&text).chars().count(), XLSX_MAX_TEXT);
        assert_eq!(excel_text("short"), "short");
    }

    // ----------------------------------------------------------------------- memory benchmark

    /// `cargo test --release -- --ignored export_memory --nocapture`: 400,000 rows through each
    /// format into a file (as a browser saves them), printing rows per second and how far the
    /// peak resident memory (VmHWM) rose above the resident memory at the start. The whole CSV is
    /// about 43 MiB, so a bound well under that shows nothing accumulates.
    #[actix_web::test]
    #[ignore = "a benchmark: run with --release"]
    async fn export_memory_400k_rows() {
        const PAGES: usize = 400;
        const PER_PAGE: usize = 1_000;
        const ROWS: usize = PAGES * PER_PAGE;
        for format in [Format::Csv, Format::Xlsx] {
            let mut saved = tempfile::tempfile().expect("temp file");
            let (baseline, _) = reset_peak_memory();
            let handed_out = Arc::new(AtomicUsize::new(0));
            let started = std::time::Instant::now();
            let resp = download(
                "memory",
                format,
                sheet(),
                counted_source(PAGES, PER_PAGE, handed_out.clone()),
            )
            .await
            .expect("response");
            let mut body = resp.into_body();
            let mut size = 0usize;
            while let Some(chunk) = next_chunk(&mut body).await {
                size += chunk.len();
                saved.write_all(&chunk).expect("saved");
            }
            let elapsed = started.elapsed();
            let (_, peak) = peak_memory();
            let growth_kib = peak.saturating_sub(baseline);
            println!(
                "export_memory {format:?}: {ROWS} rows, {:.1} MiB in {:.2} s = {:.0} rows/s; \
                 peak RSS {:.1} MiB above the {:.1} MiB at the start",
                size as f64 / 1_048_576.0,
                elapsed.as_secs_f64(),
                ROWS as f64 / elapsed.as_secs_f64(),
                growth_kib as f64 / 1024.0,
                baseline as f64 / 1024.0,
            );
            assert_eq!(handed_out.load(Ordering::SeqCst), PAGES + 1);
            assert!(
                growth_kib < 16 * 1024,
                "memory must not grow with the row count: {growth_kib} KiB"
            );

            saved.rewind().expect("rewind");
            let rows = match format {
                Format::Csv => {
                    // Counted as it is read, so the next format starts from the same baseline.
                    let mut bom = [0u8; 3];
                    saved.read_exact(&mut bom).expect("BOM");
                    assert_eq!(bom, BOM);
                    let mut reader = ::csv::ReaderBuilder::new()
                        .has_headers(false)
                        .from_reader(io::BufReader::new(saved));
                    let mut record = ::csv::ByteRecord::new();
                    let mut rows = 0;
                    while reader.read_byte_record(&mut record).expect("valid CSV") {
                        rows += 1;
                    }
                    rows
                }
                Format::Xlsx => {
                    let mut bytes = Vec::new();
                    saved.read_to_end(&mut bytes).expect("read back");
                    let mut book = open_xlsx(&bytes);
                    let name = book.sheet_names()[0].clone();
                    book.worksheet_range(&name).expect("sheet").get_size().0
                }
            };
            assert_eq!(rows, ROWS + 1, "header and every row");
        }
    }

    /// Resets the kernel's peak-RSS mark (VmHWM) to the current RSS; returns (VmRSS, VmHWM) in KiB.
    fn reset_peak_memory() -> (usize, usize) {
        std::fs::write("/proc/self/clear_refs", "5").expect("reset VmHWM");
        peak_memory()
    }

    fn peak_memory() -> (usize, usize) {
        let status = std::fs::read_to_string("/proc/self/status").expect("status");
        let field = |name: &str| -> usize {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .expect("a memory figure")
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}
