//! The course authoring forms: what an administrator posts, parsed into the fields a course, a
//! module or a quiz question is saved with, or the form's errors in the visitor's language.

use serde::Deserialize;

use crate::courses::admin::models::CriterionFields;
use crate::courses::markdown::images_without_alt;
use crate::courses::models::{
    Course, CourseFields, Criterion, Module, ModuleFields, Question, QuizOption, QuizSettings,
};
use crate::db::now;
use crate::domain::{Category, CertificateMode, CompetencyArea, ModuleKind, QuizFeedback};
use crate::i18n::{Arg, Lang};
use crate::web::forms::{multi_line, one_line};
use crate::web::FormErrors;

pub const TITLE_MAX_CHARS: usize = 200;
pub const SLUG_MAX_CHARS: usize = 80;
pub const SUMMARY_MAX_CHARS: usize = 500;
pub const TEXT_MAX_CHARS: usize = 100_000;
pub const MAX_OPTIONS: usize = 6;
pub const EXPLANATION_MAX_CHARS: usize = 2_000;
pub const CRITERION_DESCRIPTION_MAX_CHARS: usize = 2_000;
/// The largest number a quiz setting takes (questions, attempts, hours, minutes).
pub const SETTING_MAX: i32 = 10_000;

/// Latin letters for the Kazakh and Russian Cyrillic alphabets, so that a slug can come from a
/// title in any of the site's languages.
fn transliterate(c: char) -> &'static str {
    match c {
        'а' | 'ә' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ғ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' | 'і' => "i",
        'к' | 'қ' => "k",
        'л' => "l",
        'м' => "m",
        'н' | 'ң' => "n",
        'о' | 'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ұ' | 'ү' => "u",
        'ф' => "f",
        'х' | 'һ' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "sch",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        _ => "",
    }
}

/// A slug made from a title: lowercase latin letters and digits joined by single hyphens.
pub fn slug_from_title(title: &str) -> String {
    let mut slug = String::new();
    let mut pending_hyphen = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        let piece: String = if c.is_ascii_alphanumeric() {
            c.to_string()
        } else {
            transliterate(c).to_owned()
        };
        if piece.is_empty() {
            pending_hyphen = true;
            continue;
        }
        if pending_hyphen && !slug.is_empty() {
            slug.push('-');
        }
        pending_hyphen = false;
        slug.push_str(&piece);
    }
    let mut cut: String = slug.chars().take(SLUG_MAX_CHARS).collect();
    while cut.ends_with('-') {
        cut.pop();
    }
    cut
}

/// The slug as written, or made from the title when left empty. The error is a translation key.
pub fn parse_slug(raw: &str, title: &str) -> Result<String, &'static str> {
    let written = one_line(raw)?.to_ascii_lowercase();
    let slug = if written.is_empty() {
        slug_from_title(title)
    } else {
        written
    };
    let well_formed = !slug.is_empty()
        && slug.len() <= SLUG_MAX_CHARS
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if well_formed {
        Ok(slug)
    } else {
        Err("admin-courses-error-slug")
    }
}

/// A required one-line text with inner whitespace collapsed.
pub fn parse_line(raw: &str, max: usize, missing: &'static str) -> Result<String, &'static str> {
    let line = one_line(raw)?;
    if line.is_empty() {
        Err(missing)
    } else if line.chars().count() > max {
        Err("admin-courses-error-too-long")
    } else {
        Ok(line)
    }
}

/// Text of several lines (line breaks as `\n`).
pub fn parse_text(raw: &str, max: usize) -> Result<String, &'static str> {
    let text = multi_line(raw)?;
    if text.chars().count() > max {
        Err("admin-courses-error-too-long")
    } else {
        Ok(text)
    }
}

pub fn parse_hours(raw: &str) -> Result<i32, &'static str> {
    match raw.trim().parse::<i32>() {
        Ok(h) if (1..=1000).contains(&h) => Ok(h),
        _ => Err("admin-courses-error-hours"),
    }
}

pub fn parse_pass_mark(raw: &str) -> Result<i32, &'static str> {
    match raw.trim().trim_end_matches('%').trim().parse::<i32>() {
        Ok(p) if (0..=100).contains(&p) => Ok(p),
        _ => Err("admin-courses-error-pass-mark"),
    }
}

/// An optional video link: http or https only, no spaces.
pub fn parse_video_url(raw: &str) -> Result<Option<String>, &'static str> {
    let url = raw.trim();
    if url.is_empty() {
        return Ok(None);
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let host = rest
        .and_then(|r| r.split(['/', '?', '#']).next())
        .unwrap_or_default();
    let ok = !host.is_empty()
        && url.len() <= 500
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(Some(url.to_owned()))
    } else {
        Err("admin-courses-error-video-url")
    }
}

/// The categories ticked, in the usual order; at least one.
pub fn parse_audience(raw: &[String]) -> Result<Vec<Category>, &'static str> {
    let mut chosen = Vec::new();
    for value in raw {
        let category = Category::parse(value).map_err(|_| "admin-courses-error-audience")?;
        if !chosen.contains(&category) {
            chosen.push(category);
        }
    }
    if chosen.is_empty() {
        return Err("admin-courses-error-audience");
    }
    chosen.sort_by_key(|c| Category::ALL.iter().position(|a| a == c));
    Ok(chosen)
}

/// A question's option lines (label, correct?) with empty lines dropped, checked for the kind.
pub fn parse_options(
    labels: &[String],
    correct: &[String],
    multiple: bool,
) -> Result<Vec<(String, bool)>, (&'static str, &'static str)> {
    let mut options = Vec::new();
    for (i, label) in labels.iter().enumerate().take(MAX_OPTIONS) {
        let label = one_line(label).map_err(|key| ("option-1", key))?;
        let ticked = correct.iter().any(|c| c.trim() == (i + 1).to_string());
        if label.is_empty() {
            if ticked {
                return Err(("option-1", "admin-courses-error-correct-empty"));
            }
            continue;
        }
        if label.chars().count() > SUMMARY_MAX_CHARS {
            return Err(("option-1", "admin-courses-error-too-long"));
        }
        options.push((label, ticked));
    }
    if options.len() < 2 {
        return Err(("option-1", "admin-courses-error-options"));
    }
    let correct_count = options.iter().filter(|(_, c)| *c).count();
    if multiple && correct_count == 0 {
        return Err(("correct-1", "admin-courses-error-correct-multiple"));
    }
    if !multiple && correct_count != 1 {
        return Err(("correct-1", "admin-courses-error-correct-single"));
    }
    Ok(options)
}

/// "yes" for a ticked box, as the forms post it.
fn ticked(value: bool) -> String {
    if value {
        "yes".to_owned()
    } else {
        String::new()
    }
}

/// The stored variant whose code is exactly `raw` (what the form's radio buttons post).
fn chosen<T: Copy>(all: &[T], code: fn(T) -> &'static str, raw: &str) -> Option<T> {
    all.iter().copied().find(|v| code(*v) == raw)
}

// ---- A course -------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct CourseForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub audience: Vec<String>,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub area: String,
    /// "yes" when ticked.
    #[serde(default)]
    pub counts: String,
    /// "yes": the required modules are taken in order.
    #[serde(default)]
    pub sequential: String,
    #[serde(default)]
    pub certificate: String,
    /// The version of the course the form was opened at (`crate::domain::Version`).
    #[serde(default)]
    pub version: String,
}

impl CourseForm {
    /// A new course: in the author's language, counting toward the target, 36 hours.
    pub fn new_course(lang: Lang) -> Self {
        Self {
            language: lang.code().to_owned(),
            area: CompetencyArea::Inclusive.as_str().to_owned(),
            certificate: CertificateMode::Automatic.as_str().to_owned(),
            counts: ticked(true),
            hours: "36".to_owned(),
            ..Default::default()
        }
    }

    /// The form filled in with a course as saved.
    pub fn of(course: Course, audience: Vec<String>) -> Self {
        Self {
            title: course.title,
            slug: course.slug,
            summary: course.summary,
            description: course.description,
            audience,
            language: course.language,
            hours: course.hours.to_string(),
            area: course.competency_area,
            counts: ticked(course.counts_toward_target),
            sequential: ticked(course.sequential),
            certificate: course.certificate_mode,
            version: course.version.to_string(),
        }
    }
}

/// A course as the form describes it, ready to save.
pub struct ValidCourse {
    pub fields: CourseFields,
    pub audience: Vec<Category>,
}

pub fn validate_course(form: &CourseForm, lang: Lang) -> Result<ValidCourse, FormErrors> {
    let mut errors = FormErrors::default();
    let mut check = |field: &'static str, result: Result<_, &'static str>| {
        result.map_err(|k| errors.add(field, lang.t(k))).ok()
    };
    let title = check(
        "title",
        parse_line(&form.title, TITLE_MAX_CHARS, "admin-courses-error-title"),
    );
    let slug = check("slug", parse_slug(&form.slug, &form.title));
    let summary = check("summary", parse_text(&form.summary, SUMMARY_MAX_CHARS));
    let description = check("description", parse_text(&form.description, TEXT_MAX_CHARS));
    let audience = parse_audience(&form.audience)
        .map_err(|k| errors.add("audience", lang.t(k)))
        .ok();
    let language = Lang::ALL.into_iter().find(|l| l.code() == form.language);
    if language.is_none() {
        errors.add("language", lang.t("admin-courses-error-language"));
    }
    let hours = parse_hours(&form.hours)
        .map_err(|k| errors.add("hours", lang.t(k)))
        .ok();
    let area = chosen(CompetencyArea::ALL, CompetencyArea::as_str, &form.area);
    if area.is_none() {
        errors.add("area", lang.t("admin-courses-error-area"));
    }
    let certificate = chosen(
        CertificateMode::ALL,
        CertificateMode::as_str,
        &form.certificate,
    );
    if certificate.is_none() {
        errors.add("certificate", lang.t("admin-courses-error-certificate"));
    }
    let (
        Some(title),
        Some(slug),
        Some(summary),
        Some(description),
        Some(audience),
        Some(language),
        Some(hours),
        Some(area),
        Some(certificate),
    ) = (
        title,
        slug,
        summary,
        description,
        audience,
        language,
        hours,
        area,
        certificate,
    )
    else {
        return Err(errors);
    };
    Ok(ValidCourse {
        fields: CourseFields {
            slug,
            title,
            summary,
            description,
            language: language.code().to_owned(),
            hours,
            competency_area: area.as_str().to_owned(),
            counts_toward_target: form.counts == "yes",
            certificate_mode: certificate.as_str().to_owned(),
            sequential: form.sequential == "yes",
            updated_at: now(),
        },
        audience,
    })
}

// ---- A module -------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct ModuleForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub required: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub video_url: String,
    #[serde(default)]
    pub transcript: String,
    #[serde(default)]
    pub pass_mark: String,
    /// A quiz's settings (`QuizSettings`): blank for all questions, unlimited attempts, any time.
    #[serde(default)]
    pub draw_count: String,
    #[serde(default)]
    pub attempts_allowed: String,
    #[serde(default)]
    pub attempt_period_hours: String,
    #[serde(default)]
    pub retry_wait_minutes: String,
    /// A `QuizFeedback` code.
    #[serde(default)]
    pub feedback: String,
    #[serde(default)]
    pub version: String,
}

impl ModuleForm {
    /// A new module: required; a quiz passes at 70% with the default settings.
    pub fn new_module(kind: ModuleKind) -> Self {
        let form = Self {
            required: ticked(true),
            ..Default::default()
        };
        match kind {
            ModuleKind::Quiz => Self {
                pass_mark: "70".to_owned(),
                ..form.with_settings(&QuizSettings::default())
            },
            ModuleKind::Lesson | ModuleKind::Task => form,
        }
    }

    fn with_settings(self, settings: &QuizSettings) -> Self {
        let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
        Self {
            draw_count: number(settings.draw_count),
            attempts_allowed: number(settings.attempts_allowed),
            attempt_period_hours: number(settings.attempt_period_hours),
            retry_wait_minutes: settings.retry_wait_minutes.to_string(),
            feedback: settings.feedback.clone(),
            ..self
        }
    }

    /// The form filled in with a module as saved.
    pub fn of(module: &Module) -> Self {
        Self {
            title: module.title.clone(),
            slug: module.slug.clone(),
            required: ticked(module.required),
            body: module.body_markdown.clone(),
            video_url: module.video_url.clone().unwrap_or_default(),
            transcript: module.transcript.clone().unwrap_or_default(),
            pass_mark: module.pass_mark.map(|p| p.to_string()).unwrap_or_default(),
            version: module.version.to_string(),
            ..Default::default()
        }
        .with_settings(&module.quiz_settings())
    }
}

/// An optional whole number from `min` to [`SETTING_MAX`]: None when left blank.
pub fn parse_setting(
    raw: &str,
    min: i32,
    error: &'static str,
) -> Result<Option<i32>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i32>() {
        Ok(n) if (min..=SETTING_MAX).contains(&n) => Ok(Some(n)),
        _ => Err(error),
    }
}

/// A quiz's settings as its form describes them, or the errors next to each field.
fn validate_settings(
    form: &ModuleForm,
    lang: Lang,
    errors: &mut FormErrors,
) -> Option<QuizSettings> {
    let mut check = |field: &'static str, result: Result<Option<i32>, &'static str>| {
        result.map_err(|k| errors.add(field, lang.t(k))).ok()
    };
    let draw_count = check(
        "draw_count",
        parse_setting(&form.draw_count, 1, "admin-courses-error-draw-count"),
    );
    let attempts_allowed = check(
        "attempts_allowed",
        parse_setting(&form.attempts_allowed, 1, "admin-courses-error-attempts"),
    );
    let period = check(
        "attempt_period_hours",
        parse_setting(&form.attempt_period_hours, 1, "admin-courses-error-period"),
    );
    let wait = check(
        "retry_wait_minutes",
        parse_setting(&form.retry_wait_minutes, 0, "admin-courses-error-wait"),
    );
    // The radio buttons always post one; a form without them keeps the default.
    let feedback = match form.feedback.as_str() {
        "" => Some(QuizFeedback::AfterPass),
        code => chosen(QuizFeedback::ALL, QuizFeedback::as_str, code),
    };
    if feedback.is_none() {
        errors.add("feedback", lang.t("admin-courses-error-feedback"));
    }
    Some(QuizSettings {
        draw_count: draw_count?,
        attempts_allowed: attempts_allowed?,
        attempt_period_hours: period?,
        retry_wait_minutes: wait?.unwrap_or(0),
        feedback: feedback?.as_str().to_owned(),
    })
}

/// A module as its form describes it: its fields, and a quiz's settings.
pub struct ValidModule {
    pub fields: ModuleFields,
    pub settings: Option<QuizSettings>,
}

/// The kind of module a `?kind=` asks for: a lesson unless it says quiz; None for anything else.
pub fn parse_kind(raw: Option<&str>) -> Option<ModuleKind> {
    match raw {
        None => Some(ModuleKind::Lesson),
        Some(code) => chosen(ModuleKind::ALL, ModuleKind::as_str, code),
    }
}

pub fn validate_module(
    form: &ModuleForm,
    kind: ModuleKind,
    lang: Lang,
) -> Result<ValidModule, FormErrors> {
    let mut errors = FormErrors::default();
    let title = parse_line(&form.title, TITLE_MAX_CHARS, "admin-courses-error-title")
        .map_err(|k| errors.add("title", lang.t(k)))
        .ok();
    let slug = parse_slug(&form.slug, &form.title)
        .map_err(|k| errors.add("slug", lang.t(k)))
        .ok();
    let body = parse_text(&form.body, TEXT_MAX_CHARS)
        .map_err(|k| errors.add("body", lang.t(k)))
        .ok();
    if let Some(body) = &body {
        if let Some(image) = images_without_alt(body).first() {
            errors.add(
                "body",
                lang.t_args(
                    "admin-courses-error-image-alt",
                    &[("image", Arg::from(image.as_str()))],
                ),
            );
        }
    }
    let (mut video_url, mut transcript, mut pass_mark) = (Ok(None), Ok(None), Ok(None));
    let mut settings = None;
    if kind == ModuleKind::Quiz {
        pass_mark = parse_pass_mark(&form.pass_mark)
            .map(Some)
            .map_err(|k| errors.add("pass_mark", lang.t(k)));
        settings = validate_settings(form, lang, &mut errors);
    } else if kind == ModuleKind::Lesson {
        video_url =
            parse_video_url(&form.video_url).map_err(|k| errors.add("video_url", lang.t(k)));
        let text = parse_text(&form.transcript, TEXT_MAX_CHARS)
            .map_err(|k| errors.add("transcript", lang.t(k)));
        transcript = match (&video_url, text) {
            (Ok(Some(_)), Ok(t)) if t.is_empty() => {
                errors.add("transcript", lang.t("admin-courses-error-transcript"));
                Err(())
            }
            (_, Ok(t)) if t.is_empty() => Ok(None),
            (_, Ok(t)) => Ok(Some(t)),
            (_, Err(())) => Err(()),
        };
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    match (title, slug, body, video_url, transcript, pass_mark) {
        (Some(title), Some(slug), Some(body), Ok(video_url), Ok(transcript), Ok(pass_mark)) => {
            Ok(ValidModule {
                fields: ModuleFields {
                    title,
                    slug,
                    body_markdown: body,
                    video_url,
                    transcript,
                    pass_mark,
                    required: form.required == "yes",
                    updated_at: now(),
                },
                settings,
            })
        }
        _ => Err(errors),
    }
}

// ---- A quiz question ------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct QuestionForm {
    #[serde(default)]
    pub prompt: String,
    /// "single" or "multiple".
    #[serde(default)]
    pub answer_kind: String,
    #[serde(default)]
    pub option: Vec<String>,
    /// The numbers (1–6) of the correct options.
    #[serde(default)]
    pub correct: Vec<String>,
    /// Why the right answer is right (shown with the feedback).
    #[serde(default)]
    pub explanation: String,
    /// The version of the question the form was opened at (when editing one).
    #[serde(default)]
    pub version: String,
}

impl QuestionForm {
    /// An empty question, single answer.
    pub fn new_question() -> Self {
        Self {
            answer_kind: "single".to_owned(),
            ..Default::default()
        }
    }

    /// The form filled in with a question as saved.
    pub fn of(question: &Question, options: &[QuizOption]) -> Self {
        let answer_kind = if question.multiple {
            "multiple"
        } else {
            "single"
        };
        Self {
            prompt: question.prompt.clone(),
            answer_kind: answer_kind.to_owned(),
            option: options.iter().map(|o| o.label.clone()).collect(),
            correct: options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.is_correct)
                .map(|(i, _)| (i + 1).to_string())
                .collect(),
            explanation: question.explanation.clone(),
            version: question.version.to_string(),
        }
    }

    pub fn multiple(&self) -> bool {
        self.answer_kind == "multiple"
    }
}

pub struct ValidQuestion {
    pub prompt: String,
    pub multiple: bool,
    pub explanation: String,
    /// Label and whether it is correct, in order.
    pub options: Vec<(String, bool)>,
}

pub fn validate_question(form: &QuestionForm, lang: Lang) -> Result<ValidQuestion, FormErrors> {
    let mut errors = FormErrors::default();
    let prompt = parse_line(
        &form.prompt,
        SUMMARY_MAX_CHARS * 2,
        "admin-courses-error-prompt",
    )
    .map_err(|k| errors.add("prompt", lang.t(k)))
    .ok();
    let multiple = match form.answer_kind.as_str() {
        "single" => Some(false),
        "multiple" => Some(true),
        _ => {
            errors.add("answer_kind", lang.t("admin-courses-error-answer-kind"));
            None
        }
    };
    let options = parse_options(&form.option, &form.correct, multiple.unwrap_or(false))
        .map_err(|(field, key)| {
            if multiple.is_some() {
                errors.add(field, lang.t(key))
            }
        })
        .ok();
    let explanation = parse_text(&form.explanation, EXPLANATION_MAX_CHARS)
        .map_err(|k| errors.add("explanation", lang.t(k)))
        .ok();
    match (prompt, multiple, options, explanation) {
        (Some(prompt), Some(multiple), Some(options), Some(explanation)) if errors.is_empty() => {
            Ok(ValidQuestion {
                prompt,
                multiple,
                explanation,
                options,
            })
        }
        _ => Err(errors),
    }
}

// ---- A task's criterion ---------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct CriterionForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub max_score: String,
    /// The version of the criterion the form was opened at (when editing one).
    #[serde(default)]
    pub version: String,
}

impl CriterionForm {
    /// A new criterion, scored out of 10.
    pub fn new_criterion() -> Self {
        Self {
            max_score: "10".to_owned(),
            ..Default::default()
        }
    }

    pub fn of(criterion: &Criterion) -> Self {
        Self {
            title: criterion.title.clone(),
            description: criterion.description.clone(),
            max_score: criterion.max_score.to_string(),
            version: criterion.version.to_string(),
        }
    }
}

pub fn parse_max_score(raw: &str) -> Result<i32, &'static str> {
    match raw.trim().parse::<i32>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        _ => Err("admin-courses-error-max-score"),
    }
}

pub fn validate_criterion(form: &CriterionForm, lang: Lang) -> Result<CriterionFields, FormErrors> {
    let mut errors = FormErrors::default();
    let mut check = |field: &'static str, result: Result<_, &'static str>| {
        result.map_err(|k| errors.add(field, lang.t(k))).ok()
    };
    let title = check(
        "criterion-title",
        parse_line(
            &form.title,
            TITLE_MAX_CHARS,
            "admin-courses-error-criterion-title",
        ),
    );
    let description = check(
        "criterion-description",
        parse_text(&form.description, CRITERION_DESCRIPTION_MAX_CHARS),
    );
    let max_score = parse_max_score(&form.max_score)
        .map_err(|k| errors.add("criterion-max_score", lang.t(k)))
        .ok();
    match (title, description, max_score) {
        (Some(title), Some(description), Some(max_score)) => Ok(CriterionFields {
            title,
            description,
            max_score,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_titles_in_any_language() {
        assert_eq!(
            slug_from_title("Foundations of Inclusive Education"),
            "foundations-of-inclusive-education"
        );
        assert_eq!(
            slug_from_title("Инклюзивное образование: основы"),
            "inklyuzivnoe-obrazovanie-osnovy"
        );
        assert_eq!(
            slug_from_title("Инклюзивті білім беру"),
            "inklyuzivti-bilim-beru"
        );
        assert_eq!(slug_from_title("  --  "), "");
        assert_eq!(parse_slug("", "Module 1"), Ok("module-1".to_owned()));
        assert_eq!(parse_slug(" Intro-2 ", "x"), Ok("intro-2".to_owned()));
        assert!(parse_slug("intro--2", "x").is_err());
        assert!(parse_slug("intro_2", "x").is_err());
        assert!(parse_slug("-intro", "x").is_err());
        assert!(parse_slug("", "!!!").is_err());
    }

    #[test]
    fn numbers_and_links_are_bounded() {
        assert_eq!(parse_hours("72"), Ok(72));
        assert!(parse_hours("0").is_err());
        assert!(parse_hours("1001").is_err());
        assert!(parse_hours("seventy").is_err());
        assert_eq!(parse_pass_mark("80%"), Ok(80));
        assert!(parse_pass_mark("101").is_err());
        assert_eq!(parse_video_url(""), Ok(None));
        assert_eq!(
            parse_video_url("https://example.org/v?id=1"),
            Ok(Some("https://example.org/v?id=1".to_owned()))
        );
        assert!(parse_video_url("javascript:alert(1)").is_err());
        assert!(parse_video_url("https://").is_err());
        assert!(parse_video_url("ftp://example.org/v").is_err());
    }

    #[test]
    fn audiences_need_one_known_category() {
        assert!(parse_audience(&[]).is_err());
        assert!(parse_audience(&["teachers".to_owned()]).is_err());
        assert_eq!(
            parse_audience(&[
                "special".to_owned(),
                "preschool".to_owned(),
                "special".to_owned()
            ]),
            Ok(vec![Category::Preschool, Category::Special])
        );
    }

    #[test]
    fn options_follow_the_answer_kind() {
        let labels = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let two = labels(&["Yes", "No", "", "", "", ""]);
        assert!(parse_options(&two, &labels(&["1"]), false).is_ok());
        assert!(parse_options(&two, &labels(&["1", "2"]), false).is_err());
        assert!(parse_options(&two, &labels(&[]), false).is_err());
        assert!(parse_options(&two, &labels(&["1", "2"]), true).is_ok());
        assert!(parse_options(&two, &labels(&[]), true).is_err());
        assert!(parse_options(&labels(&["Only"]), &labels(&["1"]), false).is_err());
        assert!(parse_options(&two, &labels(&["3"]), false).is_err());
    }

    #[test]
    fn quiz_settings_and_scores_are_bounded() {
        let bad = "bad";
        assert_eq!(parse_setting("", 1, bad), Ok(None));
        assert_eq!(parse_setting(" 10 ", 1, bad), Ok(Some(10)));
        assert_eq!(parse_setting("0", 1, bad), Err(bad));
        assert_eq!(parse_setting("0", 0, bad), Ok(Some(0)));
        assert_eq!(parse_setting("-1", 0, bad), Err(bad));
        assert_eq!(parse_setting("ten", 1, bad), Err(bad));
        assert_eq!(parse_setting("10001", 1, bad), Err(bad));
        assert_eq!(parse_max_score("100"), Ok(100));
        assert!(parse_max_score("0").is_err());
        assert!(parse_max_score("101").is_err());
        assert!(parse_max_score("").is_err());
    }
}
