//! The starter courses' quizzes cannot be passed by a pattern: their pools are checked, the
//! chance that "always the first option", "always the last option" and "the first option, and
//! the first three on multiple-answer questions" pass one attempt is computed exactly, and
//! 10 000 seeded draws of each quiz, graded as the site grades them, never pass. And
//! `install` then `refresh` (the `seed-courses --refresh` of a live deployment) on the database.

use std::collections::BTreeSet;

use diesel::prelude::*;
use rand::SeedableRng;
use ustaz::courses::models as courses;
use ustaz::courses::seed::{self, RefreshOutcome, SeedCourse, SeedModule};
use ustaz::domain::{ModuleKind, QuizFeedback};
use ustaz::learning::quiz::{self, Answers, QuestionKey};
use ustaz::schema::{audit_events, enrolments, modules, quiz_attempt_questions, quiz_attempts};

use crate::cli::{stderr, stdout, ustaz};
use crate::fixtures::UserBuilder;
use crate::helpers::{spawn_app, TestDatabase};

const BOUND: f64 = 1e-6;

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Every starter quiz, with the course it belongs to.
fn quizzes(courses: &[SeedCourse]) -> Vec<(&SeedCourse, &SeedModule)> {
    courses
        .iter()
        .flat_map(|c| {
            c.modules
                .iter()
                .filter(|m| m.kind() == Some(ModuleKind::Quiz))
                .map(move |m| (c, m))
        })
        .collect()
}

/// The course a language version belongs to: its slug without the language.
fn course_family(course: &SeedCourse) -> &str {
    course
        .slug
        .strip_suffix(&format!("-{}", course.language))
        .expect("a starter slug ends with its language")
}

#[test]
fn every_starter_quiz_has_a_pool_a_guesser_cannot_read() {
    let courses = seed::starter_courses().expect("starter courses");
    let all = quizzes(&courses);
    assert_eq!(all.len(), 5, "five starter quizzes");
    for (course, quiz) in &all {
        let name = format!("{}/{}", course.slug, quiz.slug);
        let pool = &quiz.questions;
        let draw = quiz.draw_count.expect("a draw count") as usize;
        assert_eq!(draw, 10, "{name}");
        assert!(
            pool.len() >= 20 && pool.len() >= 2 * draw,
            "{name}: {} questions",
            pool.len()
        );
        assert_eq!(quiz.pass_mark, Some(80), "{name}");
        assert_eq!(quiz.attempts_allowed, Some(3), "{name}");
        assert_eq!(quiz.attempt_period_hours, Some(24), "{name}");
        assert_eq!(quiz.retry_wait_minutes, 30, "{name}");
        assert_eq!(
            quiz.quiz_settings().feedback(),
            QuizFeedback::AfterPass,
            "{name}"
        );

        let multiple = pool.iter().filter(|q| q.multiple).count();
        assert!(
            multiple * 10 >= pool.len() * 4,
            "{name}: {multiple} multiple-answer questions"
        );
        let mut right_positions = BTreeSet::new();
        let mut widest = 0;
        let mut prompts = BTreeSet::new();
        for q in pool {
            assert!(
                prompts.insert(q.prompt.as_str()),
                "{name}: {} twice",
                q.prompt
            );
            let words = q.explanation.split_whitespace().count();
            assert!(
                words >= 20,
                "{name}: {:?} explains in {words} words",
                q.prompt
            );
            let n = q.options.len();
            let correct = q.options.iter().filter(|o| o.correct).count();
            widest = widest.max(n);
            if q.multiple {
                assert!(
                    (5..=6).contains(&n),
                    "{name}: {:?} has {n} options",
                    q.prompt
                );
                assert!(
                    [2, 4].contains(&correct),
                    "{name}: {:?} has {correct} right",
                    q.prompt
                );
            } else {
                assert!(
                    (4..=5).contains(&n),
                    "{name}: {:?} has {n} options",
                    q.prompt
                );
                assert_eq!(correct, 1, "{name}: {:?}", q.prompt);
            }
            let labels: BTreeSet<&str> = q.options.iter().map(|o| o.label.as_str()).collect();
            assert_eq!(labels.len(), n, "{name}: {:?} repeats an option", q.prompt);
            for (i, option) in q.options.iter().enumerate() {
                if option.correct {
                    right_positions.insert(i + 1);
                }
            }
        }
        assert_eq!(
            right_positions,
            (1..=widest).collect::<BTreeSet<_>>(),
            "{name}: a right option in every position"
        );
        let first_right = pool.iter().filter(|q| q.options[0].correct).count();
        assert!(
            first_right * 2 < pool.len(),
            "{name}: {first_right} right options first"
        );
    }
    // Every language of a course asks as many questions, of the same kinds, in the same order.
    for (course, quiz) in &all {
        for (other, other_quiz) in &all {
            if course_family(course) == course_family(other) {
                let shape = |m: &SeedModule| -> Vec<(bool, Vec<bool>)> {
                    m.questions
                        .iter()
                        .map(|q| (q.multiple, q.options.iter().map(|o| o.correct).collect()))
                        .collect()
                };
                assert_eq!(
                    shape(quiz),
                    shape(other_quiz),
                    "{} and {}",
                    course.slug,
                    other.slug
                );
            }
        }
    }
}

/// The answer patterns a guesser might try: how many options each picks on a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    First,
    Last,
    FirstThreeOnMultiple,
}

const PATTERNS: [Pattern; 3] = [Pattern::First, Pattern::Last, Pattern::FirstThreeOnMultiple];

impl Pattern {
    fn picks(self, multiple: bool) -> usize {
        match self {
            Pattern::FirstThreeOnMultiple if multiple => 3,
            _ => 1,
        }
    }

    /// The options the pattern chooses among those shown, in the order shown.
    fn choose(self, multiple: bool, shown: &[i32]) -> BTreeSet<i32> {
        match self {
            Pattern::Last => shown.last().copied().into_iter().collect(),
            _ => shown.iter().take(self.picks(multiple)).copied().collect(),
        }
    }
}

fn binomial(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// How many right answers out of `drawn` pass, as `quiz::grade` rounds.
fn needed(drawn: usize, pass_mark: i32) -> usize {
    (0..=drawn)
        .find(|right| (right * 100 / drawn) as i32 >= pass_mark)
        .expect("a pass mark of at most 100")
}

/// The exact probability that `pattern` passes one attempt: `draw` questions drawn uniformly
/// from the pool, each with its options uniformly shuffled. Per question, picking k options
/// of which c are right among n is right with probability 1/C(n, c) when k = c, else 0; a
/// dynamic programme over the pool counts the draws by how many of them are right.
fn pass_probability(quiz: &SeedModule, pattern: Pattern) -> f64 {
    let pool = &quiz.questions;
    let draw = (quiz.draw_count.expect("draw count") as usize).min(pool.len());
    // ways[j][r]: the chance-weighted number of j-question draws from the pool so far with r right.
    let mut ways = vec![vec![0.0_f64; draw + 1]; draw + 1];
    ways[0][0] = 1.0;
    for q in pool {
        let n = q.options.len();
        let c = q.options.iter().filter(|o| o.correct).count();
        let p = if pattern.picks(q.multiple) == c {
            1.0 / binomial(n, c)
        } else {
            0.0
        };
        for j in (0..draw).rev() {
            for r in (0..=j).rev() {
                let w = ways[j][r];
                if w != 0.0 {
                    ways[j + 1][r + 1] += w * p;
                    ways[j + 1][r] += w * (1.0 - p);
                }
            }
        }
    }
    let need = needed(draw, quiz.pass_mark.expect("pass mark"));
    ways[draw][need..].iter().sum::<f64>() / binomial(pool.len(), draw)
}

#[test]
fn the_exact_chance_that_a_pattern_passes_is_below_one_in_a_million() {
    let courses = seed::starter_courses().expect("starter courses");
    for (course, quiz) in quizzes(&courses) {
        for pattern in PATTERNS {
            let p = pass_probability(quiz, pattern);
            println!(
                "{}/{}: {pattern:?} passes with probability {p:.3e}",
                course.slug, quiz.slug
            );
            assert!(p <= BOUND, "{}: {pattern:?} passes with {p:e}", course.slug);
        }
    }
}

#[test]
fn the_exact_computation_agrees_with_a_small_case_by_hand() {
    // Two single-answer questions of 4 options, both drawn, pass mark 50: one right is enough.
    let json = r#"{"kind": "quiz", "slug": "q", "title": "Q", "required": true, "pass_mark": 50,
        "draw_count": 2, "questions": [
        {"prompt": "a", "multiple": false, "options": [{"label": "1", "correct": true},
          {"label": "2", "correct": false}, {"label": "3", "correct": false}, {"label": "4", "correct": false}]},
        {"prompt": "b", "multiple": true, "options": [{"label": "1", "correct": true},
          {"label": "2", "correct": true}, {"label": "3", "correct": true}, {"label": "4", "correct": false}]}]}"#;
    let quiz: SeedModule = serde_json::from_str(json).expect("module");
    // "first": question b (3 right) is never right, a is right 1 time in 4.
    assert!((pass_probability(&quiz, Pattern::First) - 0.25).abs() < 1e-12);
    // "first three": a 1/4, b 1/C(4,3) = 1/4; at least one of two: 1 - (3/4)².
    let p = pass_probability(&quiz, Pattern::FirstThreeOnMultiple);
    assert!((p - (1.0 - 0.5625)).abs() < 1e-12, "{p}");
    assert_eq!(needed(10, 80), 8);
    assert_eq!(needed(3, 67), 3);
}

/// A seed quiz as the grader sees it: question ids 1…, option ids 100 × question + position.
fn keys(quiz: &SeedModule) -> Vec<QuestionKey> {
    quiz.questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let id = i as i32 + 1;
            QuestionKey {
                id,
                multiple: q.multiple,
                options: q
                    .options
                    .iter()
                    .enumerate()
                    .map(|(j, o)| (id * 100 + j as i32, o.correct))
                    .collect(),
            }
        })
        .collect()
}

#[test]
fn ten_thousand_seeded_attempts_of_each_pattern_never_pass() {
    let courses = seed::starter_courses().expect("starter courses");
    let mut rng = rand::rngs::StdRng::seed_from_u64(14);
    for (course, module) in quizzes(&courses) {
        let pool = keys(module);
        let pass_mark = module.pass_mark.expect("pass mark");
        for pattern in PATTERNS {
            let mut best = 0;
            for _ in 0..10_000 {
                let drawn = quiz::draw(&pool, module.draw_count, &mut rng);
                assert_eq!(drawn.len(), 10);
                let shown: Vec<QuestionKey> = drawn
                    .iter()
                    .map(|d| pool[d.question_id as usize - 1].clone())
                    .collect();
                let answers: Answers = drawn
                    .iter()
                    .zip(&shown)
                    .map(|(d, q)| (d.question_id, pattern.choose(q.multiple, &d.option_order)))
                    .collect();
                let grade = quiz::grade(&shown, &answers, pass_mark);
                assert!(
                    !grade.passed,
                    "{}: {pattern:?} passed with {}",
                    course.slug, grade.score
                );
                best = best.max(grade.score);
            }
            println!(
                "{}: {pattern:?} scored at best {best}% in 10 000 attempts",
                course.slug
            );
        }
    }
}

// ---- install and refresh on the database ------------------------------------------------

type Conn = ustaz::db::Conn;

fn course_id(conn: &mut Conn, slug: &str) -> i32 {
    courses::course_by_slug(conn, slug)
        .expect("query")
        .expect("installed")
        .id
}

/// The installed quiz and task of a course.
fn modules_by_kind(conn: &mut Conn, course_id: i32) -> Vec<courses::Module> {
    courses::modules_of(conn, course_id, true).expect("modules")
}

/// Checks that an installed course is what is shipped: pool, settings, explanations, task.
fn assert_as_shipped(conn: &mut Conn, shipped: &SeedCourse) {
    let id = course_id(conn, &shipped.slug);
    let course = courses::course_by_id(conn, id).expect("course");
    assert_eq!(course.description, shipped.description, "{}", shipped.slug);
    let installed = modules_by_kind(conn, id);
    let slugs: Vec<&str> = installed.iter().map(|m| m.slug.as_str()).collect();
    let shipped_slugs: Vec<&str> = shipped.modules.iter().map(|m| m.slug.as_str()).collect();
    assert_eq!(slugs, shipped_slugs, "{}: modules in order", shipped.slug);
    for (module, seed_module) in installed.iter().zip(&shipped.modules) {
        assert_eq!(Some(module.kind()), seed_module.kind());
        match module.kind() {
            ModuleKind::Quiz => {
                assert_eq!(module.pass_mark, seed_module.pass_mark);
                assert_eq!(module.quiz_settings(), seed_module.quiz_settings());
                let pool = courses::quiz(conn, module.id).expect("pool");
                assert_eq!(pool.len(), seed_module.questions.len());
                for ((question, options), seed_q) in pool.iter().zip(&seed_module.questions) {
                    assert_eq!(question.prompt, seed_q.prompt);
                    assert_eq!(question.explanation, seed_q.explanation);
                    assert!(!question.explanation.is_empty());
                    let got: Vec<(&str, bool)> = options
                        .iter()
                        .map(|o| (o.label.as_str(), o.is_correct))
                        .collect();
                    let want: Vec<(&str, bool)> = seed_q
                        .options
                        .iter()
                        .map(|o| (o.label.as_str(), o.correct))
                        .collect();
                    assert_eq!(got, want);
                }
            }
            ModuleKind::Task => {
                assert!(module.required);
                let criteria = courses::criteria_of(conn, module.id).expect("criteria");
                let got: Vec<(&str, i32)> = criteria
                    .iter()
                    .map(|c| (c.title.as_str(), c.max_score))
                    .collect();
                let want: Vec<(&str, i32)> = seed_module
                    .criteria
                    .iter()
                    .map(|c| (c.title.as_str(), c.max_score))
                    .collect();
                assert_eq!(got, want, "{}: rubric", shipped.slug);
                assert!((4..=5).contains(&criteria.len()));
            }
            ModuleKind::Lesson => {}
        }
    }
}

/// Turns an installed course back into what a deployment of the earlier release holds: the
/// first ten questions, all drawn, 70 %, unlimited attempts, no task, the old description.
fn make_it_old(conn: &mut Conn, slug: &str) {
    let id = course_id(conn, slug);
    for module in modules_by_kind(conn, id) {
        match module.kind() {
            ModuleKind::Quiz => {
                let pool = courses::quiz(conn, module.id).expect("pool");
                for (question, _) in pool.iter().skip(10) {
                    ustaz::courses::admin::models::delete_question(conn, question.id)
                        .expect("delete");
                }
                courses::set_quiz_settings(conn, module.id, &courses::QuizSettings::default())
                    .expect("settings");
                diesel::update(modules::table.find(module.id))
                    .set(modules::pass_mark.eq(70))
                    .execute(conn)
                    .expect("pass mark");
            }
            ModuleKind::Task => {
                assert!(courses::remove_module(conn, module.id, now()).expect("remove"));
            }
            ModuleKind::Lesson => {}
        }
    }
    diesel::update(ustaz::schema::courses::table.find(id))
        .set(ustaz::schema::courses::description.eq("A final quiz of ten questions; 70%."))
        .execute(conn)
        .expect("description");
}

fn quiz_of(conn: &mut Conn, slug: &str) -> courses::Module {
    let id = course_id(conn, slug);
    modules_by_kind(conn, id)
        .into_iter()
        .find(courses::Module::is_quiz)
        .expect("a quiz")
}

/// A teacher's submitted attempt (60 %) and open attempt at the course's quiz; their ids.
fn attempts(conn: &mut Conn, slug: &str) -> (i32, i32) {
    let quiz = quiz_of(conn, slug);
    let user = UserBuilder::teacher("aigerim@school.kz").expect_build(conn);
    let enrolment: i32 = diesel::insert_into(enrolments::table)
        .values((
            enrolments::user_id.eq(user),
            enrolments::course_id.eq(quiz.course_id),
            enrolments::status.eq("active"),
            enrolments::enrolled_at.eq(now()),
            enrolments::last_activity_at.eq(now()),
        ))
        .returning(enrolments::id)
        .get_result(conn)
        .expect("enrolment");
    let pool = courses::quiz(conn, quiz.id).expect("pool");
    let mut ids = Vec::new();
    for submitted in [true, false] {
        let id: i32 = diesel::insert_into(quiz_attempts::table)
            .values((
                quiz_attempts::enrolment_id.eq(enrolment),
                quiz_attempts::module_id.eq(quiz.id),
                quiz_attempts::drawn_at.eq(now()),
                quiz_attempts::submitted_at.eq(submitted.then(now)),
                quiz_attempts::score.eq(submitted.then_some(60)),
                quiz_attempts::passed.eq(submitted.then_some(false)),
            ))
            .returning(quiz_attempts::id)
            .get_result(conn)
            .expect("attempt");
        for (i, (question, options)) in pool.iter().enumerate() {
            let order: Vec<i32> = options.iter().map(|o| o.id).collect();
            diesel::insert_into(quiz_attempt_questions::table)
                .values((
                    quiz_attempt_questions::attempt_id.eq(id),
                    quiz_attempt_questions::position.eq(i as i32 + 1),
                    quiz_attempt_questions::question_id.eq(question.id),
                    quiz_attempt_questions::option_order.eq(quiz::encode_ids(&order)),
                ))
                .execute(conn)
                .expect("attempt question");
        }
        ids.push(id);
    }
    (ids[0], ids[1])
}

fn refresh_events(conn: &mut Conn) -> Vec<(Option<i32>, String)> {
    audit_events::table
        .filter(audit_events::action.eq("course.starter_refreshed"))
        .order(audit_events::id)
        .select((audit_events::subject_id, audit_events::details))
        .load(conn)
        .expect("events")
}

const FOUNDATIONS: &str = "foundations-of-inclusive-education-en";
const SEN: &str = "supporting-learners-with-sen-ru";

#[tokio::test]
async fn install_gives_the_pools_settings_and_task_and_refresh_brings_old_ones_up_to_date() {
    let app = spawn_app().await;
    let mut conn = app.conn();
    let shipped = seed::starter_courses().expect("starter courses");
    assert_eq!(seed::install(&mut conn, now()).expect("install").len(), 5);
    for course in &shipped {
        assert_as_shipped(&mut conn, course);
    }
    // Without --refresh, an installed course is left alone.
    make_it_old(&mut conn, FOUNDATIONS);
    make_it_old(&mut conn, SEN);
    assert!(seed::install(&mut conn, now()).expect("install").is_empty());
    assert_eq!(
        {
            let old_quiz = quiz_of(&mut conn, FOUNDATIONS);
            courses::quiz(&mut conn, old_quiz.id).expect("pool").len()
        },
        10
    );
    let (submitted, open) = attempts(&mut conn, FOUNDATIONS);

    let outcomes = seed::refresh(&mut conn, now()).expect("refresh");
    for (slug, outcome) in &outcomes {
        match outcome {
            RefreshOutcome::Refreshed(done) => {
                assert!([FOUNDATIONS, SEN].contains(&slug.as_str()), "{slug}");
                assert_eq!(done.quizzes, vec!["final-quiz".to_owned()]);
                assert_eq!((done.questions_before, done.questions_after), (10, 20));
                assert!(done.description_updated);
                let tasks = if slug == SEN {
                    vec!["adapt-a-lesson-plan".to_owned()]
                } else {
                    vec![]
                };
                assert_eq!(done.tasks_added, tasks);
                let open_deleted = usize::from(slug == FOUNDATIONS);
                assert_eq!(done.open_attempts_deleted, open_deleted);
            }
            RefreshOutcome::UpToDate => assert!(![FOUNDATIONS, SEN].contains(&slug.as_str())),
            RefreshOutcome::NotInstalled => panic!("{slug} is installed"),
        }
    }
    for course in &shipped {
        assert_as_shipped(&mut conn, course);
    }
    // The submitted attempt keeps its score; its rows of the old questions went with them.
    let left: Vec<(i32, Option<i32>)> = quiz_attempts::table
        .select((quiz_attempts::id, quiz_attempts::score))
        .load(&mut conn)
        .expect("attempts");
    assert_eq!(
        left,
        vec![(submitted, Some(60))],
        "the open attempt {open} is gone"
    );
    let rows: i64 = quiz_attempt_questions::table
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert_eq!(rows, 0);
    // One event per course refreshed, telling what changed.
    let events = refresh_events(&mut conn);
    let ids: BTreeSet<Option<i32>> = events.iter().map(|(id, _)| *id).collect();
    let expected: BTreeSet<Option<i32>> = [FOUNDATIONS, SEN]
        .iter()
        .map(|s| Some(course_id(&mut conn, s)))
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(events.len(), 2);
    let sen_event = &events
        .iter()
        .find(|(id, _)| *id == Some(course_id(&mut conn, SEN)))
        .expect("the event of the SEN course")
        .1;
    let details: serde_json::Value = serde_json::from_str(sen_event).expect("json");
    assert_eq!(details["before"]["questions"], "10");
    assert_eq!(details["after"]["questions"], "20");
    assert_eq!(details["before"]["pass_mark"], "70%");
    assert_eq!(details["after"]["pass_mark"], "80%");
    assert_eq!(details["after"]["attempts"], "3 / 24 h");
    assert!(
        details["after"]["tasks"]
            .as_str()
            .expect("tasks")
            .contains("слух"),
        "{details}"
    );

    // A second refresh finds nothing to do and writes nothing.
    let again = seed::refresh(&mut conn, now()).expect("refresh");
    assert!(
        again.iter().all(|(_, o)| *o == RefreshOutcome::UpToDate),
        "{again:?}"
    );
    assert_eq!(refresh_events(&mut conn).len(), 2);
}

#[tokio::test]
async fn concurrent_refreshes_replace_each_pool_once() {
    const RUNS: usize = 12;
    let app = spawn_app().await;
    let mut conn = app.conn();
    seed::install(&mut conn, now()).expect("install");
    make_it_old(&mut conn, FOUNDATIONS);
    make_it_old(&mut conn, SEN);
    // Each refresh on a connection of its own, all started together.
    let url = app.server.db.url.clone();
    let start = std::sync::Arc::new(std::sync::Barrier::new(RUNS));
    let threads: Vec<_> = (0..RUNS)
        .map(|_| {
            let mut c = ustaz::db::establish(&url).expect("connect");
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                seed::refresh(&mut c, now())
            })
        })
        .collect();
    let mut refreshed = 0;
    for thread in threads {
        let outcomes = thread.join().expect("thread").expect("refresh");
        refreshed += outcomes
            .iter()
            .filter(|(_, o)| matches!(o, RefreshOutcome::Refreshed(_)))
            .count();
    }
    assert_eq!(refreshed, 2, "each old course refreshed by one of the runs");
    assert_eq!(refresh_events(&mut conn).len(), 2);
    for course in seed::starter_courses().expect("starter courses") {
        assert_as_shipped(&mut conn, &course);
    }
}

#[test]
fn seed_courses_refresh_tells_the_operator_what_it_did() {
    let db = TestDatabase::new();
    let first = ustaz(&db, &["seed-courses", "--refresh"], "");
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        stdout(&first)
            .lines()
            .filter(|l| l.starts_with("installed "))
            .count(),
        5
    );
    {
        let mut conn = ustaz::db::establish(&db.url).expect("connect");
        let id = courses::course_by_slug(&mut conn, SEN)
            .expect("query")
            .expect("installed")
            .id;
        let task = courses::modules_of(&mut conn, id, true)
            .expect("modules")
            .into_iter()
            .find(courses::Module::is_task)
            .expect("the task");
        courses::remove_module(&mut conn, task.id, now()).expect("remove");
    }
    let again = ustaz(&db, &["seed-courses"], "");
    assert!(
        stdout(&again).contains("already installed"),
        "{}",
        stdout(&again)
    );
    let refreshed = ustaz(&db, &["seed-courses", "--refresh"], "");
    assert!(refreshed.status.success(), "{}", stderr(&refreshed));
    let out = stdout(&refreshed);
    assert!(out.contains(&format!("{SEN}: refreshed")), "{out}");
    assert!(
        out.contains("practical task adapt-a-lesson-plan added"),
        "{out}"
    );
    assert!(
        out.contains(&format!("{FOUNDATIONS}: already up to date")),
        "{out}"
    );
}
