//! Drawing and grading a quiz: pure, so the rules are tested without a database.

use std::collections::{BTreeMap, BTreeSet};

use rand::seq::SliceRandom;
use rand::Rng;

/// A question as the grader sees it: its options and which of them are correct.
#[derive(Debug, Clone)]
pub struct QuestionKey {
    pub id: i32,
    pub multiple: bool,
    /// (option id, correct?)
    pub options: Vec<(i32, bool)>,
}

/// What the teacher submitted, question id → chosen option ids.
pub type Answers = BTreeMap<i32, BTreeSet<i32>>;

/// Why a submission cannot be graded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuizInputError {
    /// A field that names no question of this quiz, or a value that is no option of that question.
    Unknown,
    /// Questions left unanswered, in quiz order.
    Unanswered(Vec<i32>),
}

/// The result of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    /// Whole percent, 0–100.
    pub score: i32,
    /// Questions answered wrongly, in quiz order.
    pub wrong: Vec<i32>,
    pub passed: bool,
}

/// One question of an attempt as drawn: the question, and its options in the order shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    pub question_id: i32,
    pub option_order: Vec<i32>,
}

/// Draws an attempt from a quiz's pool: `count` of its questions (all of them when `None` or
/// more than the pool holds), in a random order, each with its options shuffled.
pub fn draw(pool: &[QuestionKey], count: Option<i32>, rng: &mut impl Rng) -> Vec<Drawn> {
    let mut questions: Vec<&QuestionKey> = pool.iter().collect();
    questions.shuffle(rng);
    let take = count.map_or(pool.len(), |n| usize::try_from(n).unwrap_or(0));
    questions.truncate(take);
    questions
        .into_iter()
        .map(|question| {
            let mut option_order: Vec<i32> = question.options.iter().map(|(id, _)| *id).collect();
            option_order.shuffle(rng);
            Drawn {
                question_id: question.id,
                option_order,
            }
        })
        .collect()
}

/// Ids as stored in one column (`quiz_attempt_questions.option_order`, `chosen`): "12,10,11".
pub fn encode_ids(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

/// The ids of `encode_ids`; `None` when the text is not such a list.
pub fn decode_ids(text: &str) -> Option<Vec<i32>> {
    if text.is_empty() {
        return Some(vec![]);
    }
    text.split(',').map(|id| id.parse().ok()).collect()
}

/// Reads the submitted form fields (`q{question_id}` = option id, repeated for checkboxes).
/// Other fields (the CSRF token) are ignored.
pub fn parse_answers(
    fields: &[(String, String)],
    questions: &[QuestionKey],
) -> Result<Answers, QuizInputError> {
    let mut answers = Answers::new();
    for (name, value) in fields {
        let Some(raw_id) = name.strip_prefix('q') else {
            continue;
        };
        let question_id: i32 = raw_id.parse().map_err(|_| QuizInputError::Unknown)?;
        let question = questions
            .iter()
            .find(|q| q.id == question_id)
            .ok_or(QuizInputError::Unknown)?;
        let option_id: i32 = value.trim().parse().map_err(|_| QuizInputError::Unknown)?;
        if !question.options.iter().any(|(id, _)| *id == option_id) {
            return Err(QuizInputError::Unknown);
        }
        let chosen = answers.entry(question_id).or_default();
        chosen.insert(option_id);
        if !question.multiple && chosen.len() > 1 {
            return Err(QuizInputError::Unknown);
        }
    }
    let unanswered: Vec<i32> = questions
        .iter()
        .filter(|q| answers.get(&q.id).is_none_or(|c| c.is_empty()))
        .map(|q| q.id)
        .collect();
    if !unanswered.is_empty() {
        return Err(QuizInputError::Unanswered(unanswered));
    }
    Ok(answers)
}

/// A question is right when exactly its correct options were chosen.
pub fn grade(questions: &[QuestionKey], answers: &Answers, pass_mark: i32) -> Grade {
    let mut wrong = Vec::new();
    for question in questions {
        let correct: BTreeSet<i32> = question
            .options
            .iter()
            .filter(|(_, ok)| *ok)
            .map(|(id, _)| *id)
            .collect();
        if answers.get(&question.id) != Some(&correct) {
            wrong.push(question.id);
        }
    }
    let total = questions.len() as i64;
    let right = total - wrong.len() as i64;
    let score = if total == 0 {
        0
    } else {
        // Rounded down, so a pass mark of 70 % needs a real 70 %.
        (right * 100 / total) as i32
    };
    Grade {
        score,
        passed: total > 0 && score >= pass_mark,
        wrong,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiz() -> Vec<QuestionKey> {
        vec![
            QuestionKey {
                id: 1,
                multiple: false,
                options: vec![(10, true), (11, false)],
            },
            QuestionKey {
                id: 2,
                multiple: true,
                options: vec![(20, true), (21, true), (22, false)],
            },
        ]
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn all_right_passes() {
        let q = quiz();
        let answers = parse_answers(
            &fields(&[
                ("csrf_token", "x"),
                ("q1", "10"),
                ("q2", "20"),
                ("q2", "21"),
            ]),
            &q,
        )
        .expect("valid");
        assert_eq!(
            grade(&q, &answers, 70),
            Grade {
                score: 100,
                wrong: vec![],
                passed: true
            }
        );
    }

    #[test]
    fn a_partial_multiple_choice_is_wrong() {
        let q = quiz();
        let answers = parse_answers(&fields(&[("q1", "10"), ("q2", "20")]), &q).expect("valid");
        let g = grade(&q, &answers, 70);
        assert_eq!(g.score, 50);
        assert_eq!(g.wrong, vec![2]);
        assert!(!g.passed);
        assert!(grade(&q, &answers, 50).passed);
    }

    #[test]
    fn unknown_and_foreign_options_are_refused() {
        let q = quiz();
        for bad in [
            vec![("q1", "20"), ("q2", "20")],
            vec![("q1", "99"), ("q2", "20")],
            vec![("q1", "ten"), ("q2", "20")],
            vec![("q3", "10"), ("q1", "10"), ("q2", "20")],
            vec![("qx", "10")],
            vec![("q1", "10"), ("q1", "11"), ("q2", "20")],
        ] {
            assert_eq!(
                parse_answers(&fields(&bad), &q),
                Err(QuizInputError::Unknown),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn unanswered_questions_are_named() {
        let q = quiz();
        assert_eq!(
            parse_answers(&fields(&[("q2", "22")]), &q),
            Err(QuizInputError::Unanswered(vec![1]))
        );
        assert_eq!(
            parse_answers(&[], &q),
            Err(QuizInputError::Unanswered(vec![1, 2]))
        );
    }

    #[test]
    fn a_draw_takes_distinct_questions_and_shuffles_every_option_list() {
        use rand::SeedableRng;
        let pool: Vec<QuestionKey> = (1..=20)
            .map(|id| QuestionKey {
                id,
                multiple: false,
                options: (0..4).map(|o| (id * 10 + o, o == 0)).collect(),
            })
            .collect();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut first_positions = BTreeSet::new();
        let mut orders = BTreeSet::new();
        for _ in 0..50 {
            let drawn = draw(&pool, Some(10), &mut rng);
            assert_eq!(drawn.len(), 10);
            let ids: BTreeSet<i32> = drawn.iter().map(|d| d.question_id).collect();
            assert_eq!(ids.len(), 10, "no question twice");
            orders.insert(drawn.iter().map(|d| d.question_id).collect::<Vec<_>>());
            for d in &drawn {
                let mut sorted = d.option_order.clone();
                sorted.sort();
                assert_eq!(
                    sorted,
                    (0..4).map(|o| d.question_id * 10 + o).collect::<Vec<_>>()
                );
                first_positions.insert(d.option_order.iter().position(|o| o % 10 == 0));
            }
        }
        assert!(orders.len() > 40, "draws differ");
        assert_eq!(first_positions.len(), 4, "the right option lands anywhere");
        assert_eq!(draw(&pool, None, &mut rng).len(), 20);
        assert_eq!(draw(&pool, Some(99), &mut rng).len(), 20);
    }

    #[test]
    fn ids_round_trip_through_their_column() {
        assert_eq!(encode_ids(&[12, 10, 11]), "12,10,11");
        assert_eq!(decode_ids("12,10,11"), Some(vec![12, 10, 11]));
        assert_eq!(decode_ids(""), Some(vec![]));
        assert_eq!(decode_ids("1,x"), None);
    }

    #[test]
    fn scores_round_down() {
        let q: Vec<QuestionKey> = (1..=3)
            .map(|id| QuestionKey {
                id,
                multiple: false,
                options: vec![(id * 10, true), (id * 10 + 1, false)],
            })
            .collect();
        let answers =
            parse_answers(&fields(&[("q1", "10"), ("q2", "20"), ("q3", "31")]), &q).expect("ok");
        let g = grade(&q, &answers, 67);
        assert_eq!(g.score, 66);
        assert!(!g.passed);
    }
}
