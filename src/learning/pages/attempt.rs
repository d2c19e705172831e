//! An attempt's result, the page a teacher lands on after submitting a quiz (and can reload):
//! the score, and which answers were right with their explanations when the quiz's feedback
//! policy allows it. Only the attempt's own teacher sees it.

use actix_web::{web, HttpResponse};
use askama::Template;

use super::teacher;
use crate::db::now;
use crate::domain::QuizFeedback;
use crate::error::{AppError, AppResult};
use crate::i18n::Arg;
use crate::learning::attempts::{tried, AttemptQuestion};
use crate::learning::outline::{local_time, module_path, wait_text};
use crate::learning::quiz::decode_ids;
use crate::learning::rules::{gate, shows_details, Gate};
use crate::learning::visit::{self, load, Loaded, Outcome};
use crate::state::AppState;
use crate::web::extractors::SignedIn;
use crate::web::{render, run, Ctx};

pub struct ReviewedOption {
    pub label: String,
    pub chosen: bool,
    pub right: bool,
}

/// A question of the attempt as its result shows it (with details only when allowed).
pub struct ReviewedQuestion {
    pub number: usize,
    pub prompt: String,
    pub correct: bool,
    pub explanation: String,
    pub options: Vec<ReviewedOption>,
}

#[derive(Template)]
#[template(path = "learning/attempt.html")]
pub struct AttemptPage {
    pub ctx: Ctx,
    pub course_slug: String,
    pub course_title: String,
    pub title: String,
    pub quiz_href: String,
    pub when: String,
    pub score: i32,
    pub passed: bool,
    pub pass_mark: i32,
    /// "7 of 10 answers right".
    pub right_text: String,
    /// Whether the questions with right/wrong and explanations show (`rules::shows_details`).
    pub details: bool,
    pub questions: Vec<ReviewedQuestion>,
    /// When the details do not show, why (a translation key).
    pub details_note: &'static str,
    /// Why the teacher may not try again now, and when they may; empty when they may.
    pub wait: String,
    pub next: Option<(String, String)>,
}

fn reviewed(loaded: &Loaded, questions: &[AttemptQuestion]) -> Vec<ReviewedQuestion> {
    questions
        .iter()
        .filter_map(|stored| {
            let (q, options) = loaded
                .quiz
                .iter()
                .find(|(q, _)| q.id == stored.question_id)?;
            Some((stored, q, options))
        })
        .enumerate()
        .map(|(i, (stored, q, options))| {
            let chosen = stored
                .chosen
                .as_deref()
                .and_then(decode_ids)
                .unwrap_or_default();
            let order = decode_ids(&stored.option_order).unwrap_or_default();
            ReviewedQuestion {
                number: i + 1,
                prompt: q.prompt.clone(),
                correct: stored.correct.unwrap_or(false),
                explanation: q.explanation.clone(),
                options: order
                    .iter()
                    .filter_map(|id| options.iter().find(|o| o.id == *id))
                    .map(|o| ReviewedOption {
                        label: o.label.clone(),
                        chosen: chosen.contains(&o.id),
                        right: o.is_correct,
                    })
                    .collect(),
            }
        })
        .collect()
}

fn attempt_page(ctx: Ctx, loaded: &Loaded, outcome: &Outcome) -> AttemptPage {
    let lang = ctx.lang;
    let settings = loaded.module.quiz_settings();
    let history = tried(&outcome.history);
    let submitted_at = outcome
        .attempt
        .submitted_at
        .unwrap_or(outcome.attempt.drawn_at);
    let details = shows_details(&settings, &history, submitted_at);
    let passed = outcome.attempt.passed.unwrap_or(false);
    let right = outcome
        .questions
        .iter()
        .filter(|q| q.correct == Some(true))
        .count();
    let next = loaded
        .modules
        .get(loaded.position() + 1)
        .filter(|_| passed)
        .map(|m| (module_path(&loaded.course.slug, &m.slug), m.title.clone()));
    AttemptPage {
        course_slug: loaded.course.slug.clone(),
        course_title: loaded.course.title.clone(),
        title: loaded.module.title.clone(),
        quiz_href: module_path(&loaded.course.slug, &loaded.module.slug),
        when: local_time(lang, submitted_at),
        score: outcome.attempt.score.unwrap_or(0),
        passed,
        pass_mark: loaded.module.pass_mark.unwrap_or(100),
        right_text: lang.t_args(
            "quiz-right-count",
            &[
                ("right", Arg::from(right as i64)),
                ("total", Arg::from(outcome.questions.len() as i64)),
            ],
        ),
        details_note: match settings.feedback() {
            QuizFeedback::ScoreOnly => "quiz-details-score-only",
            _ => "quiz-details-after-pass",
        },
        details,
        questions: if details {
            reviewed(loaded, &outcome.questions)
        } else {
            vec![]
        },
        wait: match gate(&settings, &history, now()) {
            Gate::Open => String::new(),
            closed => wait_text(lang, &loaded.module, closed),
        },
        next,
        ctx,
    }
}

/// `/learn/{course}/{quiz}/attempts/{id}`: the result of one of the teacher's attempts; 404 for
/// anyone else's.
pub async fn attempt(
    ctx: Ctx,
    SignedIn(user): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String, i32)>,
) -> AppResult<HttpResponse> {
    teacher(&user)?;
    let (course_slug, module_slug, attempt_id) = path.into_inner();
    let loaded = load(&state, user.id, course_slug, module_slug).await?;
    let enrolment_id = loaded.studying().map(|e| e.id).ok_or(AppError::NotFound)?;
    let module_id = loaded.module.id;
    let outcome = run(&state.pool, move |conn| {
        visit::outcome(conn, enrolment_id, module_id, attempt_id)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    render(&attempt_page(ctx, &loaded, &outcome))
}
