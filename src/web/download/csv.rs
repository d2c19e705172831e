//! CSV, streamed one page at a time: the next page is fetched only when the previous chunk has
//! been taken by the connection.

use std::borrow::Cow;
use std::io;

use actix_web::web::{self, Bytes};
use futures_util::stream::{self, Stream, StreamExt};

use super::{app_error, check_width, stream_error, Cell, RowPages};
use crate::error::AppError;

/// Excel reads a CSV as UTF-8 only when it starts with a byte-order mark.
pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// BOM, header row and first page as the first chunk; then one chunk per page, each fetched
/// only when the previous chunk has been taken.
pub(super) async fn csv_body<P: RowPages>(
    headers: Vec<String>,
    pages: P,
) -> Result<impl Stream<Item = Result<Bytes, io::Error>>, AppError> {
    let (pages, first) = web::block(move || {
        let mut out = BOM.to_vec();
        write_csv(&mut out, std::slice::from_ref(&headers), headers.len())?;
        let more = next_csv_chunk(pages, &mut out, headers.len())?;
        anyhow::Ok((more.map(|pages| (pages, headers.len())), Bytes::from(out)))
    })
    .await?
    .map_err(app_error)?;

    let after_first = stream::unfold(pages, |state| async move {
        let (pages, width) = state?;
        let chunk = web::block(move || {
            let mut out = Vec::new();
            let more = next_csv_chunk(pages, &mut out, width)?;
            anyhow::Ok((more, out))
        })
        .await;
        match chunk {
            Ok(Ok((_, out))) if out.is_empty() => None,
            Ok(Ok((more, out))) => Some((Ok(Bytes::from(out)), more.map(|p| (p, width)))),
            Ok(Err(e)) => Some((Err(stream_error(e)), None)),
            Err(e) => Some((Err(stream_error(e.into())), None)),
        }
    });
    Ok(stream::once(async move { Ok(first) }).chain(after_first))
}

/// Fetches one page and appends it to `out`; gives the source back unless it is exhausted.
fn next_csv_chunk<P: RowPages>(
    mut pages: P,
    out: &mut Vec<u8>,
    width: usize,
) -> anyhow::Result<Option<P>> {
    let rows = pages.next_page()?;
    if rows.is_empty() {
        return Ok(None);
    }
    write_csv(out, &rows, width)?;
    Ok(Some(pages))
}

fn write_csv<C: CsvField>(out: &mut Vec<u8>, rows: &[Vec<C>], width: usize) -> anyhow::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    for row in rows {
        check_width(row.len(), width)?;
        let fields: Vec<Cow<'_, str>> = row.iter().map(CsvField::csv_field).collect();
        writer.write_record(fields.iter().map(|f| f.as_bytes()))?;
    }
    writer.flush()?;
    Ok(())
}

trait CsvField {
    fn csv_field(&self) -> Cow<'_, str>;
}

impl CsvField for String {
    fn csv_field(&self) -> Cow<'_, str> {
        guard_formula(self)
    }
}

impl CsvField for Cell {
    fn csv_field(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => guard_formula(s),
            Cell::Int(n) => Cow::Owned(n.to_string()),
            Cell::Float(x) if x.is_finite() => Cow::Owned(x.to_string()),
            Cell::Percent(x) if x.is_finite() => {
                // Two decimals of a percent, without float noise (0.1234 → 12.34%, not 12.340000000000002%).
                let hundredths = (x * 10_000.0).round() / 100.0;
                Cow::Owned(format!("{hundredths}%"))
            }
            Cell::Date(d) => Cow::Owned(d.format("%Y-%m-%d").to_string()),
            Cell::DateTime(t) => Cow::Owned(t.format("%Y-%m-%d %H:%M:%S").to_string()),
            Cell::Float(_) | Cell::Percent(_) | Cell::Empty => Cow::Borrowed(""),
        }
    }
}

/// OWASP "CSV injection": a spreadsheet runs text that starts with one of these as a formula
/// (`=HYPERLINK(…)`, `@SUM(…)`, `+cmd|…`), so such text gets a leading apostrophe. The fullwidth
/// forms are included because some Excel input methods turn them into the ASCII ones. Numbers
/// are written by the cases above and keep their minus sign.
pub(super) fn guard_formula(text: &str) -> Cow<'_, str> {
    const TRIGGERS: [char; 10] = [
        '=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
    ];
    if text.starts_with(TRIGGERS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_gets_the_formula_guard() {
        assert_eq!(Cell::Int(-3).csv_field(), "-3");
        assert_eq!(Cell::Float(-0.25).csv_field(), "-0.25");
        assert_eq!(Cell::from("-3").csv_field(), "'-3");
        assert_eq!(Cell::from("＝1+1").csv_field(), "'＝1+1");
        assert_eq!(Cell::from("a=b").csv_field(), "a=b");
        assert_eq!(Cell::from(Some(7)).csv_field(), "7");
        assert_eq!(Cell::from(Option::<i32>::None), Cell::Empty);
    }
}
