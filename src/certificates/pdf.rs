//! The certificate as a one-page A4 landscape PDF: real, selectable text in an embedded (and
//! subset) DejaVu Sans, which covers the Kazakh letters, a QR code of the public verification
//! link with the link printed (and clickable) beside it, and a tag tree so screen readers read
//! it in order.

use std::num::NonZeroU16;
use std::sync::{Arc, LazyLock};

use chrono::{Datelike, NaiveDate};
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Quadrilateral, Rect, Size, Transform};
use krilla::image::{BitsPerComponent, CustomImage, Image, ImageColorspace};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, Node, SpanTag, Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::Document;
use qrcode::{Color as Module, EcLevel, QrCode};

use crate::i18n::{Arg, Lang};

/// The fonts ship in the binary (licence: `static/fonts/DejaVu-LICENSE.txt`).
static REGULAR_TTF: &[u8] = include_bytes!("../../static/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../static/fonts/DejaVuSans-Bold.ttf");

/// A4 landscape, in points.
const PAGE_WIDTH: f32 = 841.89;
const PAGE_HEIGHT: f32 = 595.28;
const MARGIN: f32 = 70.0;
const CENTRE: f32 = PAGE_WIDTH / 2.0;
const BODY_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// The body is centred vertically between the heading and the footer.
const BODY_TOP: f32 = 196.0;
const BODY_BOTTOM: f32 = 434.0;
const LINE_HEIGHT: f32 = 1.25;

/// Printed at 104 pt, a version-5 code (45 modules with its quiet zone) has modules of 2.3 pt.
const QR_SIDE: f32 = 104.0;
/// The quiet zone the QR specification asks for, in modules.
const QR_QUIET_ZONE: usize = 4;
/// Pixels per module: viewers that smooth an enlarged image still show crisp modules.
const QR_PIXELS_PER_MODULE: usize = 8;

/// The site's colours: text, secondary text, brand blue.
type Rgb = (u8, u8, u8);
const INK: Rgb = (0x1b, 0x1b, 0x1b);
const MUTED: Rgb = (0x4a, 0x4a, 0x4a);
const BRAND: Rgb = (0x00, 0x55, 0x8c);

/// What the certificate says.
pub struct CertificateDoc<'a> {
    /// The language of the labels.
    pub lang: Lang,
    pub teacher_name: &'a str,
    pub course_title: &'a str,
    pub hours: i32,
    pub issued_on: NaiveDate,
    /// For example "UST-2025-000123".
    pub serial: &'a str,
    /// For example "Ustaz".
    pub issuer: &'a str,
    /// The public page that confirms the certificate; the QR code points there.
    pub verify_url: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font could not be loaded")]
    Font,
    #[error("the verification link does not fit in a QR code: {0}")]
    QrCode(#[from] qrcode::types::QrError),
    #[error("the QR code image could not be built: {0}")]
    QrImage(String),
    #[error("a shape on the page has an impossible size")]
    Geometry,
    #[error("the PDF could not be written: {0}")]
    Write(#[from] krilla::error::KrillaError),
}

/// The certificate as PDF bytes (about 35 KB; a few milliseconds in a release build).
pub fn render(doc: &CertificateDoc) -> Result<Vec<u8>, PdfError> {
    let regular = REGULAR.as_ref().ok_or(PdfError::Font)?;
    let bold = BOLD.as_ref().ok_or(PdfError::Font)?;
    let lang = doc.lang;
    let qr = qr_image(doc.verify_url)?;

    let mut document = Document::new();
    document.set_metadata(metadata(doc));
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(PdfError::Geometry)?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let mut pen = Pen {
        surface: &mut surface,
    };
    // The tag tree, in reading order.
    let mut tags: Vec<Node> = Vec::new();

    pen.border()?;

    // The heading: who issues it, what it is.
    let issuer = doc.issuer.to_uppercase();
    let id = pen.text(
        Style::new(bold, 12.0, BRAND),
        &issuer,
        CENTRE,
        86.0,
        Align::Centre,
    );
    tags.push(group(Tag::P, vec![id]));
    let title = lang.t("certificate-pdf-title");
    let id = pen.text(
        Style::new(bold, 40.0, INK),
        &title.to_uppercase(),
        CENTRE,
        140.0,
        Align::Centre,
    );
    tags.push(group(Tag::Hn(NonZeroU16::MIN, Some(title)), vec![id]));
    let subtitle = lang.t("certificate-pdf-subtitle");
    let id = pen.text(
        Style::new(regular, 15.0, MUTED),
        &subtitle,
        CENTRE,
        166.0,
        Align::Centre,
    );
    tags.push(group(Tag::P, vec![id]));
    pen.rule(CENTRE - 40.0, CENTRE + 40.0, 184.0)?;

    // The body: who completed which course, and its length.
    let hours = lang.t_args(
        "certificate-pdf-hours",
        &[("hours", Arg::from(i64::from(doc.hours)))],
    );
    let course = lang.t_args(
        "certificate-pdf-course-title",
        &[("course", Arg::from(doc.course_title))],
    );
    let one_line = Fit::lines(BODY_WIDTH, 1, 1);
    let body = [
        (
            0.0,
            Block::set(
                &lang.t("certificate-pdf-intro"),
                Style::new(regular, 13.0, MUTED),
                one_line,
            ),
        ),
        (
            16.0,
            Block::set(
                doc.teacher_name,
                Style::new(bold, 34.0, INK),
                Fit {
                    min_size: 20.0,
                    ..Fit::lines(BODY_WIDTH, 1, 2)
                },
            ),
        ),
        (
            12.0,
            Block::set(
                &lang.t("certificate-pdf-completed"),
                Style::new(regular, 13.0, MUTED),
                one_line,
            ),
        ),
        (
            8.0,
            Block::set(
                &course,
                Style::new(bold, 20.0, BRAND),
                Fit {
                    min_size: 13.0,
                    ..Fit::lines(BODY_WIDTH, 2, 3)
                },
            ),
        ),
        (
            8.0,
            Block::set(&hours, Style::new(regular, 13.0, INK), one_line),
        ),
    ];
    let height: f32 = body
        .iter()
        .map(|(space, block)| space + block.height())
        .sum();
    let mut top = BODY_TOP + ((BODY_BOTTOM - BODY_TOP - height) / 2.0).max(0.0);
    for (space, block) in &body {
        top += space;
        let mut ids = Vec::new();
        for line in &block.lines {
            let baseline = top + block.style.size * 0.95;
            ids.push(pen.line(block.style, line, CENTRE, baseline, Align::Centre));
            top += block.style.size * LINE_HEIGHT;
        }
        tags.push(group(Tag::P, ids));
    }

    // The footer: the facts on the left, the QR code and its link on the right.
    let details = [
        (
            lang.t("certificate-pdf-issued-on"),
            lang.date(doc.issued_on),
        ),
        (lang.t("certificate-pdf-serial"), doc.serial.to_owned()),
        (lang.t("certificate-pdf-issuer"), doc.issuer.to_owned()),
    ];
    let mut baseline = 458.0;
    for (label, value) in &details {
        let label = pen.text(
            Style::new(regular, 9.0, MUTED),
            label,
            MARGIN,
            baseline,
            Align::Left,
        );
        let fit = Fit {
            min_size: 8.0,
            ..Fit::lines(260.0, 1, 1)
        };
        let value = Block::set(value, Style::new(bold, 12.0, INK), fit);
        let mut ids = vec![label];
        for line in &value.lines {
            ids.push(pen.line(value.style, line, MARGIN, baseline + 15.0, Align::Left));
        }
        tags.push(group(Tag::P, ids));
        baseline += 36.0;
    }

    let qr_left = PAGE_WIDTH - MARGIN - QR_SIDE;
    let qr_top = PAGE_HEIGHT - MARGIN - QR_SIDE + 14.0;
    let id = pen.image(qr, qr_left, qr_top, QR_SIDE)?;
    let alt = lang.t_args(
        "certificate-pdf-qr-alt",
        &[("url", Arg::from(doc.verify_url))],
    );
    tags.push(group(Tag::Figure(Some(alt)), vec![id]));

    let text_right = qr_left - 12.0;
    let verify = Block::set(
        &lang.t("certificate-pdf-verify"),
        Style::new(regular, 9.0, MUTED),
        Fit::lines(240.0, 2, 3),
    );
    // A link too long for one line at 7 pt breaks between letters rather than losing its end.
    let url = Block::set(
        doc.verify_url,
        Style::new(regular, 9.0, BRAND),
        Fit {
            min_size: 7.0,
            ..Fit::lines(260.0, 1, 2)
        },
    );
    // Both set upwards from the bottom of the QR code.
    let url_top = qr_top + QR_SIDE - 4.0 - 11.0 * url.lines.len() as f32;
    let mut baseline = url_top - 5.0 - 11.0 * (verify.lines.len() as f32 - 1.0);
    let mut ids = Vec::new();
    for line in &verify.lines {
        ids.push(pen.line(verify.style, line, text_right, baseline, Align::Right));
        baseline += 11.0;
    }
    tags.push(group(Tag::P, ids));
    let mut link = Vec::new();
    let mut link_areas = Vec::new();
    let mut baseline = url_top + 11.0;
    for line in &url.lines {
        link.push(pen.line(url.style, line, text_right, baseline, Align::Right));
        let left = text_right - line.advance * url.style.size;
        let area = Rect::from_ltrb(
            left,
            baseline - url.style.size,
            text_right,
            baseline + url.style.size * 0.3,
        );
        link_areas.extend(area.map(Quadrilateral::from));
        baseline += 11.0;
    }

    surface.finish();
    if !link_areas.is_empty() {
        let target = Target::Action(LinkAction::new(doc.verify_url.to_owned()).into());
        let annotation = LinkAnnotation::new_with_quad_points(link_areas, target);
        link.push(page.add_tagged_annotation(Annotation::new_link(
            annotation,
            Some(doc.verify_url.to_owned()),
        )));
    }
    page.finish();
    tags.push(group(Tag::Link, link));

    let mut tree = TagTree::new().with_lang(Some(lang.code().to_owned()));
    for node in tags {
        tree.push(node);
    }
    document.set_tag_tree(tree);
    Ok(document.finish()?)
}

fn group(tag: impl Into<TagKind>, ids: Vec<Identifier>) -> Node {
    TagGroup::with_children(tag, ids.into_iter().map(Node::from).collect()).into()
}

fn metadata(doc: &CertificateDoc) -> Metadata {
    let title = doc.lang.t_args(
        "certificate-pdf-document-title",
        &[("name", Arg::from(doc.teacher_name))],
    );
    let mut metadata = Metadata::new()
        .title(title)
        .language(doc.lang.code().to_owned())
        .creator(doc.issuer.to_owned())
        .document_id(doc.serial.to_owned());
    // The issue date, not "now", so the same certificate gives the same bytes.
    if let (Ok(year), Ok(month), Ok(day)) = (
        u16::try_from(doc.issued_on.year()),
        u8::try_from(doc.issued_on.month()),
        u8::try_from(doc.issued_on.day()),
    ) {
        metadata = metadata.creation_date(DateTime::new(year).month(month).day(day));
    }
    metadata
}

// ---------------------------------------------------------------------------------------------
// Fonts and text

/// A font as the PDF embeds it, and as the shaper measures it.
struct Face {
    font: Font,
    shaper: rustybuzz::Face<'static>,
}

static REGULAR: LazyLock<Option<Face>> = LazyLock::new(|| Face::load(REGULAR_TTF));
static BOLD: LazyLock<Option<Face>> = LazyLock::new(|| Face::load(BOLD_TTF));

impl Face {
    fn load(data: &'static [u8]) -> Option<Face> {
        Some(Face {
            font: Font::new(data.into(), 0)?,
            shaper: rustybuzz::Face::from_slice(data, 0)?,
        })
    }

    /// Kerned glyphs, each with the part of the text it stands for, so the PDF maps them back
    /// to characters (copying, searching, screen readers).
    fn shape(&self, text: &str) -> Shaped {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let output = rustybuzz::shape(&self.shaper, &[], buffer);
        let units = self.shaper.units_per_em() as f32;
        let infos = output.glyph_infos();
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut advance = 0.0;
        for (i, (info, pos)) in infos.iter().zip(output.glyph_positions()).enumerate() {
            let start = info.cluster as usize;
            let end = infos[i + 1..]
                .iter()
                .map(|next| next.cluster as usize)
                .find(|&cluster| cluster != start)
                .unwrap_or(text.len());
            let x_advance = pos.x_advance as f32 / units;
            advance += x_advance;
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                x_advance,
                pos.x_offset as f32 / units,
                pos.y_offset as f32 / units,
                pos.y_advance as f32 / units,
                start..end,
                None,
            ));
        }
        Shaped {
            text: text.to_owned(),
            glyphs,
            advance,
        }
    }

    /// The width of `text` at 1 pt.
    fn advance(&self, text: &str) -> f32 {
        self.shape(text).advance
    }
}

/// A line of text, shaped; `advance` is its width at 1 pt.
struct Shaped {
    text: String,
    glyphs: Vec<KrillaGlyph>,
    advance: f32,
}

#[derive(Clone, Copy)]
struct Style<'f> {
    face: &'f Face,
    size: f32,
    colour: Rgb,
}

impl<'f> Style<'f> {
    fn new(face: &'f Face, size: f32, colour: Rgb) -> Self {
        Style { face, size, colour }
    }
}

/// How a paragraph may be set: in `width`, preferably in `lines` lines, at most in `max_lines`,
/// at a size from the style's down to `min_size`.
#[derive(Clone, Copy)]
struct Fit {
    width: f32,
    lines: usize,
    max_lines: usize,
    min_size: f32,
}

impl Fit {
    /// At the style's size only.
    fn lines(width: f32, lines: usize, max_lines: usize) -> Fit {
        Fit {
            width,
            lines,
            max_lines,
            min_size: f32::INFINITY,
        }
    }
}

/// A paragraph broken into lines at the largest size that fits; at the smallest size what still
/// does not fit ends in "…".
struct Block<'f> {
    style: Style<'f>,
    lines: Vec<Shaped>,
}

impl<'f> Block<'f> {
    fn set(text: &str, style: Style<'f>, fit: Fit) -> Block<'f> {
        let face = style.face;
        let words = Words::measure(face, text);
        let min_size = fit.min_size.min(style.size);
        let sizes = || {
            let steps = (style.size - min_size).ceil() as usize;
            (0..=steps).map(move |step| (style.size - step as f32).max(min_size))
        };
        let set_at = |size: f32| words.wrap(fit.width / size);
        let found = sizes()
            .map(|size| (size, set_at(size)))
            .find(|(_, lines)| lines.len() <= fit.lines)
            .or_else(|| {
                sizes()
                    .map(|size| (size, set_at(size)))
                    .find(|(_, lines)| lines.len() <= fit.max_lines)
            });
        let (size, lines) = found.unwrap_or_else(|| {
            let mut lines = set_at(min_size);
            lines.truncate(fit.max_lines);
            if let Some(last) = lines.last_mut() {
                *last = with_ellipsis(face, last, fit.width / min_size);
            }
            (min_size, lines)
        });
        Block {
            style: Style { size, ..style },
            lines: lines.iter().map(|line| face.shape(line)).collect(),
        }
    }

    fn height(&self) -> f32 {
        self.lines.len() as f32 * self.style.size * LINE_HEIGHT
    }
}

/// The words of a text with their widths at 1 pt, measured once for every size tried.
struct Words<'t> {
    words: Vec<(&'t str, f32)>,
    space: f32,
    face: &'t Face,
}

impl<'t> Words<'t> {
    fn measure(face: &'t Face, text: &'t str) -> Words<'t> {
        Words {
            words: text
                .split_whitespace()
                .map(|word| (word, face.advance(word)))
                .collect(),
            space: face.advance(" "),
            face,
        }
    }

    /// Greedy line breaking at spaces; a word wider than a line is broken between letters.
    fn wrap(&self, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut used = 0.0;
        for &(word, advance) in &self.words {
            if !line.is_empty() && used + self.space + advance <= width {
                line.push(' ');
                line.push_str(word);
                used += self.space + advance;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if advance <= width {
                line.push_str(word);
                used = advance;
                continue;
            }
            used = 0.0;
            for ch in word.chars() {
                let advance = self.face.advance(ch.encode_utf8(&mut [0; 4]));
                if !line.is_empty() && used + advance > width {
                    lines.push(std::mem::take(&mut line));
                    used = 0.0;
                }
                line.push(ch);
                used += advance;
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}

fn with_ellipsis(face: &Face, line: &str, width: f32) -> String {
    let mut text = line.trim_end().to_owned();
    while !text.is_empty() && face.advance(&format!("{text}…")) > width {
        text.pop();
        text.truncate(text.trim_end().len());
    }
    format!("{text}…")
}

// ---------------------------------------------------------------------------------------------
// Drawing

#[derive(Clone, Copy)]
enum Align {
    Left,
    Centre,
    Right,
}

/// Draws on the page (y grows downwards from the top edge, as in krilla) and marks what it draws
/// for the tag tree.
struct Pen<'s, 'p> {
    surface: &'s mut Surface<'p>,
}

impl Pen<'_, '_> {
    fn text(
        &mut self,
        style: Style,
        text: &str,
        x: f32,
        baseline: f32,
        align: Align,
    ) -> Identifier {
        let shaped = style.face.shape(text);
        self.line(style, &shaped, x, baseline, align)
    }

    fn line(
        &mut self,
        style: Style,
        line: &Shaped,
        x: f32,
        baseline: f32,
        align: Align,
    ) -> Identifier {
        let width = line.advance * style.size;
        let left = match align {
            Align::Left => x,
            Align::Centre => x - width / 2.0,
            Align::Right => x - width,
        };
        let id = self
            .surface
            .start_tagged(ContentTag::Span(SpanTag::empty()));
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(fill(style.colour)));
        self.surface.draw_glyphs(
            Point::from_xy(left, baseline),
            &line.glyphs,
            style.face.font.clone(),
            &line.text,
            style.size,
            false,
        );
        self.surface.end_tagged();
        id
    }

    /// Two thin frames, the outer a little heavier.
    fn border(&mut self) -> Result<(), PdfError> {
        let mut frames = Vec::new();
        for (inset, width) in [(22.0, 1.5), (28.0, 0.5)] {
            let rect = Rect::from_xywh(
                inset,
                inset,
                PAGE_WIDTH - 2.0 * inset,
                PAGE_HEIGHT - 2.0 * inset,
            )
            .ok_or(PdfError::Geometry)?;
            let mut path = PathBuilder::new();
            path.push_rect(rect);
            frames.push((path.finish().ok_or(PdfError::Geometry)?, width));
        }
        self.decoration(|surface| {
            for (path, width) in &frames {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(BRAND, *width)));
                surface.draw_path(path);
            }
        });
        Ok(())
    }

    fn rule(&mut self, from: f32, to: f32, y: f32) -> Result<(), PdfError> {
        let mut path = PathBuilder::new();
        path.move_to(from, y);
        path.line_to(to, y);
        let path = path.finish().ok_or(PdfError::Geometry)?;
        self.decoration(|surface| {
            surface.set_fill(None);
            surface.set_stroke(Some(stroke(BRAND, 1.0)));
            surface.draw_path(&path);
        });
        Ok(())
    }

    /// Drawing that means nothing: screen readers skip it.
    fn decoration(&mut self, draw: impl FnOnce(&mut Surface)) {
        let artifact = Artifact::new(ArtifactType::Layout, None);
        // An artifact's identifier is a placeholder that belongs in no tag group.
        let _ = self.surface.start_tagged(ContentTag::Artifact(artifact));
        draw(self.surface);
        self.surface.end_tagged();
    }

    fn image(
        &mut self,
        image: Image,
        left: f32,
        top: f32,
        side: f32,
    ) -> Result<Identifier, PdfError> {
        let size = Size::from_wh(side, side).ok_or(PdfError::Geometry)?;
        let id = self.surface.start_tagged(ContentTag::Other);
        self.surface
            .push_transform(&Transform::from_translate(left, top));
        self.surface.draw_image(image, size);
        self.surface.pop();
        self.surface.end_tagged();
        Ok(id)
    }
}

fn fill((r, g, b): Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke((r, g, b): Rgb, width: f32) -> Stroke {
    Stroke {
        paint: rgb::Color::new(r, g, b).into(),
        width,
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------------
// The QR code

/// The QR code as an 8-bit grey image with its quiet zone (dark modules 0, light 255).
#[derive(Clone, Hash)]
struct QrBitmap {
    pixels: Arc<Vec<u8>>,
    side: u32,
}

impl CustomImage for QrBitmap {
    fn color_channel(&self) -> &[u8] {
        &self.pixels
    }

    fn alpha_channel(&self) -> Option<&[u8]> {
        None
    }

    fn bits_per_component(&self) -> BitsPerComponent {
        BitsPerComponent::Eight
    }

    fn size(&self) -> (u32, u32) {
        (self.side, self.side)
    }

    fn icc_profile(&self) -> Option<&[u8]> {
        None
    }

    fn color_space(&self) -> ImageColorspace {
        ImageColorspace::Luma
    }
}

fn qr_image(url: &str) -> Result<Image, PdfError> {
    // Level M survives a crease or a smudge and keeps the modules large enough to scan on paper.
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
    let width = code.width();
    let side = (width + 2 * QR_QUIET_ZONE) * QR_PIXELS_PER_MODULE;
    let mut pixels = vec![255u8; side * side];
    for (i, module) in code.to_colors().iter().enumerate() {
        if *module != Module::Dark {
            continue;
        }
        let top = (i / width + QR_QUIET_ZONE) * QR_PIXELS_PER_MODULE;
        let left = (i % width + QR_QUIET_ZONE) * QR_PIXELS_PER_MODULE;
        for row in top..top + QR_PIXELS_PER_MODULE {
            let start = row * side + left;
            pixels[start..start + QR_PIXELS_PER_MODULE].fill(0);
        }
    }
    let side = u32::try_from(side).map_err(|e| PdfError::QrImage(e.to_string()))?;
    let bitmap = QrBitmap {
        pixels: Arc::new(pixels),
        side,
    };
    // Not interpolated: the modules keep their sharp edges.
    Image::from_custom(bitmap, false).map_err(PdfError::QrImage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Document as Pdf, Object};

    const NAME: &str = "Әсел Құрманғазықызы Іңкәрбекова";
    const COURSE: &str = "Ерекше білім беру қажеттіліктері бар балаларға арналған инклюзивті оқыту";
    const SERIAL: &str = "UST-2025-000123";
    const URL: &str = "https://ustaz.example/verify/7QK2M9XW4RZC8VNB3HTJ";

    fn certificate(lang: Lang) -> Vec<u8> {
        render(&CertificateDoc {
            lang,
            teacher_name: NAME,
            course_title: COURSE,
            hours: 72,
            issued_on: NaiveDate::from_ymd_opt(2025, 12, 31).expect("date"),
            serial: SERIAL,
            issuer: "Ustaz",
            verify_url: URL,
        })
        .expect("the certificate renders")
    }

    fn parse(bytes: &[u8]) -> Pdf {
        Pdf::load_mem(bytes).expect("a readable PDF")
    }

    /// The page's text with runs of whitespace made single spaces.
    fn page_text(pdf: &Pdf) -> String {
        let text = pdf.extract_text(&[1]).expect("text can be extracted");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn the_text_is_real_text_in_kazakh() {
        let pdf = parse(&certificate(Lang::Kk));
        let text = page_text(&pdf);
        for expected in [
            NAME,
            SERIAL,
            "СЕРТИФИКАТ",
            "Көлемі: 72 академиялық сағат",
            "2025 жылғы 31 желтоқсан",
            "Ustaz",
            URL,
        ] {
            assert!(text.contains(expected), "{expected:?} not in {text:?}");
        }
        // The course title may be wrapped over lines; every word is there, in order.
        let course_words: Vec<_> = COURSE.split(' ').collect();
        let mut rest = text.as_str();
        for word in course_words {
            let at = rest
                .find(word)
                .unwrap_or_else(|| panic!("{word:?} missing from {text:?}"));
            rest = &rest[at + word.len()..];
        }
    }

    #[test]
    fn labels_follow_the_language_and_hours_their_plural() {
        let ru = page_text(&parse(&certificate(Lang::Ru)));
        assert!(ru.contains("в объёме 72 академических часов"), "{ru}");
        assert!(ru.contains("Номер сертификата"), "{ru}");
        let en = page_text(&parse(&certificate(Lang::En)));
        assert!(en.contains("72 academic hours"), "{en}");
        assert!(en.contains("CERTIFICATE"), "{en}");
        assert_eq!(
            Lang::En.t_args("certificate-pdf-hours", &[("hours", 1.into())]),
            "1 academic hour"
        );
        assert_eq!(
            Lang::Ru.t_args("certificate-pdf-hours", &[("hours", 21.into())]),
            "в объёме 21 академического часа"
        );
    }

    #[test]
    fn the_qr_code_decodes_to_the_verify_url() {
        let pdf = parse(&certificate(Lang::Kk));
        let images: Vec<_> = pdf
            .objects
            .values()
            .filter_map(|object| object.as_stream().ok())
            .filter(|stream| {
                stream
                    .dict
                    .get(b"Subtype")
                    .and_then(Object::as_name)
                    .is_ok_and(|name| name == b"Image")
            })
            .collect();
        assert_eq!(images.len(), 1, "one image: the QR code");
        let image = images[0];
        let dimension = |key: &[u8]| {
            usize::try_from(
                image
                    .dict
                    .get(key)
                    .and_then(Object::as_i64)
                    .expect("a dimension"),
            )
            .expect("positive")
        };
        let (width, height) = (dimension(b"Width"), dimension(b"Height"));
        assert_eq!(
            image
                .dict
                .get(b"ColorSpace")
                .and_then(Object::as_name)
                .expect("colour space"),
            b"DeviceGray"
        );
        let pixels = image.decompressed_content().expect("the image inflates");
        assert_eq!(pixels.len(), width * height);

        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
            pixels[y * width + x]
        });
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the image");
        let (_, content) = grids[0].decode().expect("the QR code decodes");
        assert_eq!(content, URL);
    }

    #[test]
    fn the_page_is_a4_landscape() {
        let pdf = parse(&certificate(Lang::En));
        let pages = pdf.get_pages();
        assert_eq!(pages.len(), 1);
        let page_id = *pages.get(&1).expect("page 1");
        let page = pdf.get_dictionary(page_id).expect("page dictionary");
        let media_box: Vec<f32> = page
            .get(b"MediaBox")
            .and_then(Object::as_array)
            .expect("a MediaBox")
            .iter()
            .map(|n| n.as_float().expect("a number"))
            .collect();
        let (width, height) = (media_box[2] - media_box[0], media_box[3] - media_box[1]);
        assert!((width - 841.89).abs() < 1.0, "width {width}");
        assert!((height - 595.28).abs() < 1.0, "height {height}");
    }

    #[test]
    fn the_font_is_embedded_and_subset() {
        let bytes = certificate(Lang::Kk);
        let pdf = parse(&bytes);
        let font_files = pdf
            .objects
            .values()
            .filter_map(|object| object.as_dict().ok())
            .filter(|dict| dict.has(b"FontFile2"))
            .count();
        assert_eq!(font_files, 2, "regular and bold are embedded");
        // The whole of DejaVu Sans would be over 700 KB: only the glyphs used are embedded.
        assert!(bytes.len() < 60_000, "{} bytes", bytes.len());
    }

    #[test]
    fn long_names_and_titles_shrink_and_wrap_instead_of_overflowing() {
        let name = "Әсел ".repeat(40);
        let course = "Инклюзивті ".repeat(60);
        let bytes = render(&CertificateDoc {
            lang: Lang::Kk,
            teacher_name: &name,
            course_title: &course,
            hours: 1,
            issued_on: NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"),
            serial: SERIAL,
            issuer: "Ustaz",
            verify_url: URL,
        })
        .expect("renders");
        let text = page_text(&parse(&bytes));
        assert!(text.contains('…'), "{text}");
        let face = REGULAR.as_ref().expect("font");
        let lines = Words::measure(face, &course).wrap(300.0 / 13.0);
        assert!(lines.len() > 10);
        for line in lines {
            assert!(face.advance(&line) * 13.0 <= 300.5, "{line}");
        }
        let long_word = "Құрманғазықызы".repeat(20);
        for line in Words::measure(face, &long_word).wrap(100.0 / 13.0) {
            assert!(face.advance(&line) * 13.0 <= 100.5, "{line}");
        }
    }
}
