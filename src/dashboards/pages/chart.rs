//! The national trend as a server-drawn SVG chart (no JavaScript), with its numbers as a table.

use chrono::Datelike;

use crate::dashboards::models::TrendPoint;
use crate::i18n::{Arg, Lang};

/// Chart geometry in SVG user units.
const CHART_W: f64 = 720.0;
const CHART_H: f64 = 300.0;
const PAD_L: f64 = 64.0;
const PAD_R: f64 = 16.0;
const PAD_T: f64 = 16.0;
const PAD_B: f64 = 40.0;

pub struct ChartView {
    pub actual: String,
    pub planned: String,
    /// (y, label) of horizontal grid lines.
    pub y_ticks: Vec<(f64, String)>,
    /// (x, label) of the year marks.
    pub x_ticks: Vec<(f64, String)>,
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub bottom: f64,
    pub right: f64,
}

pub struct TrendRow {
    pub month: String,
    pub cumulative: String,
    pub planned: String,
}

pub fn chart(lang: Lang, points: &[TrendPoint], target: i64) -> ChartView {
    let max = points
        .iter()
        .map(|p| p.cumulative.max(p.planned))
        .max()
        .unwrap_or(0)
        .max(target)
        .max(1);
    let n = points.len().max(2) - 1;
    let x = |i: usize| PAD_L + (CHART_W - PAD_L - PAD_R) * i as f64 / n as f64;
    let y = |v: i64| CHART_H - PAD_B - (CHART_H - PAD_T - PAD_B) * v as f64 / max as f64;
    let line = |value: &dyn Fn(&TrendPoint) -> i64| {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(value(p))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let step = nice_step(max);
    let y_ticks = (0..=max / step)
        .map(|k| (y(k * step), lang.number(k * step)))
        .collect();
    let x_ticks = points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.month.month() == 1)
        .map(|(i, p)| (x(i), p.month.year().to_string()))
        .collect();
    ChartView {
        actual: line(&|p| p.cumulative),
        planned: line(&|p| p.planned),
        y_ticks,
        x_ticks,
        width: CHART_W,
        height: CHART_H,
        left: PAD_L,
        bottom: CHART_H - PAD_B,
        right: CHART_W - PAD_R,
    }
}

/// A round step giving four to eight grid lines up to `max`.
fn nice_step(max: i64) -> i64 {
    let mut step = 1;
    loop {
        for factor in [1, 2, 5] {
            if max / (step * factor) <= 7 {
                return step * factor;
            }
        }
        step *= 10;
    }
}

/// The chart's numbers, month by month, for the table under it.
pub fn trend_rows(lang: Lang, points: &[TrendPoint]) -> Vec<TrendRow> {
    points
        .iter()
        .map(|p| TrendRow {
            month: lang.t_args(
                "dashboard-month",
                &[
                    (
                        "month",
                        Arg::from(lang.t(&format!("month-name-{}", p.month.month()))),
                    ),
                    ("year", Arg::from(p.month.year().to_string())),
                ],
            ),
            cumulative: lang.number(p.cumulative),
            planned: lang.number(p.planned),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_steps_are_round() {
        assert_eq!(nice_step(7), 1);
        assert_eq!(nice_step(30_000), 5_000);
        assert_eq!(nice_step(31_365), 5_000);
        assert_eq!(nice_step(120), 20);
    }
}
