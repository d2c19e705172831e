//! XLSX: a zip, so it cannot be sent before it is complete. Rows go to a constant-memory
//! worksheet, the workbook is saved to an anonymous temp file, and that file is streamed back.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

use actix_web::web::{self, Bytes};
use futures_util::stream::{self, Stream};

use super::{check_width, stream_error, Cell, Row, RowPages, Sheet};

/// Rows per worksheet: Excel's limit, header row included. Longer exports continue on "Title (2)".
pub(super) const XLSX_MAX_ROWS: u32 = 1_048_576;
/// Excel's limit on a cell's text, in UTF-16 units.
pub(super) const XLSX_MAX_TEXT: usize = 32_767;
/// Bytes read from the finished XLSX file per response chunk.
const FILE_CHUNK: usize = 64 * 1024;

/// Writes every page into a constant-memory workbook and saves it to an anonymous temp file,
/// returned rewound with its length. Runs on a blocking thread from start to end.
pub(super) fn write_xlsx<P: RowPages>(
    sheet: &Sheet,
    mut pages: P,
    rows_per_sheet: u32,
) -> anyhow::Result<(File, u64)> {
    use rust_xlsxwriter::{DocProperties, Format as Style, FormatBorder, Workbook};

    let width = sheet.headers.len();
    let mut workbook = Workbook::new();
    workbook.set_properties(&DocProperties::new().set_title(&sheet.title));
    let styles = Styles {
        header: Style::new()
            .set_bold()
            .set_border_bottom(FormatBorder::Thin),
        // Built-in formats 14, 22 and 10: Excel shows dates in the reader's own locale
        // (31.12.2025 in Russian, 12/31/2025 in US English).
        date: Style::new().set_num_format_index(14),
        datetime: Style::new().set_num_format_index(22),
        percent: Style::new().set_num_format_index(10),
    };

    let first = pages.next_page()?;
    let widths = column_widths(&sheet.headers, &first);
    let mut sheets = 0usize;
    let mut row_in_sheet = rows_per_sheet; // forces the first sheet to start
    let mut page = first;
    while !page.is_empty() {
        for row in &page {
            check_width(row.len(), width)?;
            if row_in_sheet == rows_per_sheet {
                if sheets > 0 {
                    finish_sheet(
                        workbook.worksheet_from_index(sheets - 1)?,
                        row_in_sheet,
                        width,
                    )?;
                }
                sheets += 1;
                let worksheet = workbook.add_worksheet_with_constant_memory()?;
                start_sheet(
                    worksheet,
                    &sheet_name(&sheet.title, sheets),
                    sheet,
                    &widths,
                    &styles,
                )?;
                row_in_sheet = 1;
            }
            let worksheet = workbook.worksheet_from_index(sheets - 1)?;
            write_xlsx_row(worksheet, row_in_sheet, row, &styles)?;
            row_in_sheet += 1;
        }
        page = pages.next_page()?;
    }
    if sheets == 0 {
        // No rows at all: still a sheet with its headers.
        let worksheet = workbook.add_worksheet_with_constant_memory()?;
        start_sheet(
            worksheet,
            &sheet_name(&sheet.title, 1),
            sheet,
            &widths,
            &styles,
        )?;
        finish_sheet(worksheet, 1, width)?;
    } else {
        finish_sheet(
            workbook.worksheet_from_index(sheets - 1)?,
            row_in_sheet,
            width,
        )?;
    }

    let mut file = tempfile::tempfile()?;
    let mut out = BufWriter::new(&file);
    workbook.save_to_writer(&mut out)?;
    out.flush()?;
    drop(out);
    let len = file.seek(SeekFrom::End(0))?;
    file.rewind()?;
    Ok((file, len))
}

struct Styles {
    header: rust_xlsxwriter::Format,
    date: rust_xlsxwriter::Format,
    datetime: rust_xlsxwriter::Format,
    percent: rust_xlsxwriter::Format,
}

fn start_sheet(
    worksheet: &mut rust_xlsxwriter::Worksheet,
    name: &str,
    sheet: &Sheet,
    widths: &[f64],
    styles: &Styles,
) -> anyhow::Result<()> {
    worksheet.set_name(name)?;
    for (col, (header, width)) in sheet.headers.iter().zip(widths).enumerate() {
        let col = column(col)?;
        worksheet.set_column_width(col, *width)?;
        worksheet.write_string_with_format(0, col, excel_text(header), &styles.header)?;
    }
    if !sheet.headers.is_empty() {
        worksheet.set_freeze_panes(1, 0)?;
    }
    Ok(())
}

/// The autofilter spans the rows actually written, so it is set once they are all there.
fn finish_sheet(
    worksheet: &mut rust_xlsxwriter::Worksheet,
    rows: u32,
    width: usize,
) -> anyhow::Result<()> {
    if width > 0 {
        worksheet.autofilter(0, 0, rows.saturating_sub(1), column(width - 1)?)?;
    }
    Ok(())
}

fn write_xlsx_row(
    worksheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    cells: &[Cell],
    styles: &Styles,
) -> anyhow::Result<()> {
    for (col, cell) in cells.iter().enumerate() {
        let col = column(col)?;
        match cell {
            Cell::Text(s) => {
                // Stored as a string, never parsed as a formula: no injection guard needed.
                worksheet.write_string(row, col, excel_text(s))?;
            }
            // Excel holds numbers as doubles; above 2^53 it could not show the digits anyway.
            #[allow(clippy::cast_precision_loss)]
            Cell::Int(n) => {
                worksheet.write_number(row, col, *n as f64)?;
            }
            Cell::Float(x) if x.is_finite() => {
                worksheet.write_number(row, col, *x)?;
            }
            Cell::Percent(x) if x.is_finite() => {
                worksheet.write_number_with_format(row, col, *x, &styles.percent)?;
            }
            Cell::Date(d) => {
                worksheet.write_date_with_format(row, col, d, &styles.date)?;
            }
            Cell::DateTime(t) => {
                worksheet.write_datetime_with_format(row, col, t, &styles.datetime)?;
            }
            Cell::Float(_) | Cell::Percent(_) | Cell::Empty => {}
        }
    }
    Ok(())
}

fn column(index: usize) -> anyhow::Result<u16> {
    u16::try_from(index)
        .ok()
        .filter(|&c| c < 16_384)
        .ok_or_else(|| anyhow::anyhow!("export has more columns than Excel allows"))
}

/// Excel refuses longer cell text; cut at a character boundary.
pub(super) fn excel_text(text: &str) -> &str {
    let mut units = 0;
    for (at, c) in text.char_indices() {
        units += c.len_utf16();
        if units > XLSX_MAX_TEXT {
            return &text[..at];
        }
    }
    text
}

/// A valid worksheet name from the title: at most 31 characters, none of `[]:*?/\`, no
/// apostrophe at either end; the n-th sheet of a long export is "Title (n)".
pub(super) fn sheet_name(title: &str, n: usize) -> String {
    let suffix = if n > 1 {
        format!(" ({n})")
    } else {
        String::new()
    };
    let cleaned: String = title
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let room = 31 - suffix.chars().count();
    let base: String = cleaned.trim().chars().take(room).collect();
    let base = base.trim().trim_matches('\'').trim();
    let base = if base.is_empty() { "Sheet" } else { base };
    format!("{base}{suffix}")
}

/// Widths from the headers and the first page (the rest is not in memory): wide enough for the
/// bold header and its filter button, between 8 and 60 characters.
fn column_widths(headers: &[String], first_page: &[Row]) -> Vec<f64> {
    headers
        .iter()
        .enumerate()
        .map(|(col, header)| {
            let header_width = header.chars().count() + 4;
            let data_width = first_page
                .iter()
                .filter_map(|row| row.get(col))
                .map(|cell| match cell {
                    Cell::Text(s) => s.chars().count(),
                    Cell::Int(n) => n.to_string().len(),
                    Cell::Float(_) => 12,
                    Cell::Percent(_) => 8,
                    Cell::Date(_) => 10,
                    Cell::DateTime(_) => 16,
                    Cell::Empty => 0,
                })
                .max()
                .unwrap_or(0)
                + 2;
            #[allow(clippy::cast_precision_loss)]
            let width = header_width.max(data_width).clamp(8, 60) as f64;
            width
        })
        .collect()
}

/// The finished file, read on blocking threads one chunk at a time.
pub(super) fn file_chunks(file: File) -> impl Stream<Item = Result<Bytes, io::Error>> {
    stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let chunk = web::block(move || {
            let mut buf = vec![0; FILE_CHUNK];
            let n = file.read(&mut buf)?;
            buf.truncate(n);
            io::Result::Ok((file, buf))
        })
        .await;
        match chunk {
            Ok(Ok((_, buf))) if buf.is_empty() => None,
            Ok(Ok((file, buf))) => Some((Ok(Bytes::from(buf)), Some(file))),
            Ok(Err(e)) => Some((Err(stream_error(e.into())), None)),
            Err(e) => Some((Err(stream_error(e.into())), None)),
        }
    })
}
