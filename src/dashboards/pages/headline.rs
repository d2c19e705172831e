//! The headline both dashboards show (`templates/dashboards/headline.html`): where the count
//! stands against the target, in the visitor's words and numbers.

use crate::dashboards::models::Headline;
use crate::i18n::{Arg, Lang};

/// The headline in words and numbers, ready for `templates/dashboards/headline.html`.
pub struct HeadlineView {
    /// "31,204 of 30,000"
    pub figure: String,
    pub percent: String,
    /// Width of the bar, 0–100.
    pub bar: i64,
    pub deadline: String,
    /// "Reached on 19 November 2025", "412 days left" or "The deadline has passed."
    pub status: String,
    pub pace: String,
    pub needed: String,
    pub projected: String,
}

fn per_month(lang: Lang, value: f64) -> String {
    lang.t_args(
        "dashboard-per-month",
        &[("count", Arg::from(lang.number(value.round() as i64)))],
    )
}

impl HeadlineView {
    pub fn new(lang: Lang, h: &Headline) -> Self {
        let status = match h.reached_on {
            Some(day) => lang.t_args(
                "dashboard-reached-on",
                &[("date", Arg::from(lang.date(day)))],
            ),
            None if h.days_left > 0 => {
                lang.t_args("progress-days-left", &[("count", Arg::from(h.days_left))])
            }
            None => lang.t("progress-deadline-passed"),
        };
        let percent_value = h.percent();
        Self {
            figure: lang.t_args(
                "dashboard-figure",
                &[
                    ("trained", Arg::from(lang.number(h.trained))),
                    ("target", Arg::from(lang.number(h.target))),
                ],
            ),
            percent: format_percent(lang, percent_value),
            bar: percent_value.clamp(0.0, 100.0).round() as i64,
            deadline: lang.date(h.deadline),
            status,
            pace: per_month(lang, h.pace_per_month),
            needed: match h.needed_per_month {
                Some(n) => per_month(lang, n),
                None => lang.t("dashboard-not-applicable"),
            },
            projected: match (h.reached_on, h.projected_on) {
                (Some(_), _) => lang.t("dashboard-already-reached"),
                (None, Some(day)) => lang.date(day),
                (None, None) => lang.t("dashboard-no-projection"),
            },
        }
    }
}

/// "104%" or "33.3%", with the language's decimal sign.
pub fn format_percent(lang: Lang, value: f64) -> String {
    let text = if (value - value.round()).abs() < 0.05 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.1}")
    };
    match lang {
        Lang::En => format!("{text}%"),
        Lang::Kk | Lang::Ru => format!("{}\u{a0}%", text.replace('.', ",")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_read_naturally_in_each_language() {
        assert_eq!(format_percent(Lang::En, 104.0), "104%");
        assert_eq!(format_percent(Lang::En, 33.3), "33.3%");
        assert_eq!(format_percent(Lang::Ru, 33.3), "33,3\u{a0}%");
        assert_eq!(format_percent(Lang::Kk, 70.0), "70\u{a0}%");
    }
}
