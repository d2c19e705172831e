//! The rules of taking a course, pure so they are tested without a database: in what order its
//! modules open, when a quiz may be tried again, and what an attempt may show.

use chrono::{Duration, NaiveDateTime};

use crate::courses::models::{Module, QuizSettings};
use crate::domain::{ModuleKind, QuizFeedback};
use crate::learning::models::ModuleProgress;

pub fn is_done(progress: &[ModuleProgress], module_id: i32) -> bool {
    progress
        .iter()
        .any(|p| p.module_id == module_id && p.completed_at.is_some())
}

/// The modules to finish before `module` opens: the required lessons before a quiz, and in a
/// sequential course every required module before it. Empty when the module is open.
/// `modules` are the course's modules (not archived) in order.
pub fn blockers<'a>(
    sequential: bool,
    modules: &'a [Module],
    progress: &[ModuleProgress],
    module: &Module,
) -> Vec<&'a Module> {
    modules
        .iter()
        .take_while(|m| m.id != module.id)
        .filter(|m| m.required && !is_done(progress, m.id))
        .filter(|m| sequential || (module.is_quiz() && m.kind() == ModuleKind::Lesson))
        .collect()
}

/// Whether the teacher may start an attempt now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// Not before this time (UTC).
    Until(NaiveDateTime),
    /// Every attempt allowed (with no period) is used.
    Never,
}

/// A submitted attempt as the policy counts it: when, and whether it passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tried {
    pub at: NaiveDateTime,
    pub passed: bool,
}

/// When the teacher may try the quiz again after the attempts `tried` (in any order):
/// `attempts_allowed` in a rolling `attempt_period_hours` (in all without a period), and
/// `retry_wait_minutes` after an attempt that did not pass.
pub fn gate(settings: &QuizSettings, tried: &[Tried], now: NaiveDateTime) -> Gate {
    let mut until: Option<NaiveDateTime> = None;
    let mut later = |at: NaiveDateTime| {
        if at > now && until.is_none_or(|u| at > u) {
            until = Some(at);
        }
    };
    if let Some(last) = tried.iter().max_by_key(|t| t.at) {
        if !last.passed && settings.retry_wait_minutes > 0 {
            later(last.at + Duration::minutes(settings.retry_wait_minutes.into()));
        }
    }
    if let Some(allowed) = settings.attempts_allowed {
        let allowed = usize::try_from(allowed).unwrap_or(0);
        match settings.attempt_period_hours {
            None if tried.len() >= allowed => return Gate::Never,
            None => {}
            Some(hours) => {
                let period = Duration::hours(hours.into());
                let mut recent: Vec<NaiveDateTime> = tried
                    .iter()
                    .map(|t| t.at)
                    .filter(|at| *at + period > now)
                    .collect();
                recent.sort();
                // The window frees a place when its oldest attempts leave it.
                if recent.len() >= allowed {
                    if let Some(oldest) = recent.get(recent.len() - allowed) {
                        later(*oldest + period);
                    }
                }
            }
        }
    }
    until.map_or(Gate::Open, Gate::Until)
}

/// Whether the attempt submitted at `at` was the last one its period allowed (counting the
/// attempts `tried`, which include it).
fn was_last_allowed(settings: &QuizSettings, tried: &[Tried], at: NaiveDateTime) -> bool {
    let Some(allowed) = settings.attempts_allowed else {
        return false;
    };
    let counted = tried
        .iter()
        .filter(|t| t.at <= at)
        .filter(|t| {
            settings
                .attempt_period_hours
                .is_none_or(|hours| t.at + Duration::hours(hours.into()) > at)
        })
        .count();
    counted >= usize::try_from(allowed).unwrap_or(0)
}

/// Whether the result of the attempt submitted at `at` may show which answers were right, with
/// the explanations (`QuizFeedback`): always; never; or once the quiz is passed (by any attempt)
/// or when that attempt was the last its period allowed.
pub fn shows_details(settings: &QuizSettings, tried: &[Tried], at: NaiveDateTime) -> bool {
    match settings.feedback() {
        QuizFeedback::Always => true,
        QuizFeedback::ScoreOnly => false,
        QuizFeedback::AfterPass => {
            tried.iter().any(|t| t.passed) || was_last_allowed(settings, tried, at)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::QuizFeedback;

    fn at(minutes: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .expect("time")
            .naive_utc()
            + Duration::minutes(minutes)
    }

    fn settings(allowed: Option<i32>, hours: Option<i32>, wait: i32) -> QuizSettings {
        QuizSettings {
            attempts_allowed: allowed,
            attempt_period_hours: hours,
            retry_wait_minutes: wait,
            ..QuizSettings::default()
        }
    }

    fn failed(minutes: i64) -> Tried {
        Tried {
            at: at(minutes),
            passed: false,
        }
    }

    #[test]
    fn unlimited_quizzes_are_always_open() {
        let tried: Vec<Tried> = (0..20).map(failed).collect();
        assert_eq!(gate(&settings(None, None, 0), &tried, at(30)), Gate::Open);
    }

    #[test]
    fn a_wait_follows_a_failed_attempt_only() {
        let policy = settings(None, None, 30);
        assert_eq!(gate(&policy, &[failed(0)], at(10)), Gate::Until(at(30)));
        assert_eq!(gate(&policy, &[failed(0)], at(30)), Gate::Open);
        let passed = Tried {
            at: at(0),
            passed: true,
        };
        assert_eq!(gate(&policy, &[passed], at(1)), Gate::Open);
    }

    #[test]
    fn a_rolling_period_frees_a_place_when_its_oldest_attempt_leaves() {
        let policy = settings(Some(3), Some(24), 0);
        let tried = [failed(0), failed(60), failed(120)];
        assert_eq!(gate(&policy, &tried[..2], at(130)), Gate::Open);
        assert_eq!(gate(&policy, &tried, at(130)), Gate::Until(at(24 * 60)));
        assert_eq!(gate(&policy, &tried, at(24 * 60)), Gate::Open);
        // Attempts allowed in all, with no period.
        assert_eq!(
            gate(&settings(Some(2), None, 0), &tried[..2], at(9999)),
            Gate::Never
        );
    }

    #[test]
    fn the_later_of_the_wait_and_the_period_counts() {
        let policy = settings(Some(2), Some(1), 120);
        assert_eq!(
            gate(&policy, &[failed(0), failed(10)], at(11)),
            Gate::Until(at(130))
        );
    }

    #[test]
    fn details_follow_the_feedback_policy() {
        let mut policy = settings(Some(2), Some(24), 0);
        let tried = [failed(0), failed(10)];
        assert!(!shows_details(&policy, &tried, at(0)));
        assert!(shows_details(&policy, &tried, at(10)), "the last allowed");
        let passed = [
            failed(0),
            Tried {
                at: at(5),
                passed: true,
            },
        ];
        assert!(shows_details(&policy, &passed, at(0)), "once passed");
        policy.feedback = QuizFeedback::ScoreOnly.as_str().to_owned();
        assert!(!shows_details(&policy, &passed, at(5)));
        policy.feedback = QuizFeedback::Always.as_str().to_owned();
        assert!(shows_details(&policy, &[failed(0)], at(0)));
    }
}
