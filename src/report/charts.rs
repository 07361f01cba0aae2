//! The report's charts, drawn with plotters into SVG strings for inlining.
//!
//! plotters is built without its `ttf` feature: the SVG backend then writes
//! `<text>` elements with a font-family name and estimates text width itself,
//! so no system font is read and the browser renders the text. All text
//! passed to plotters is escaped by its SVG backend.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::label::Label;

use super::analysis::{Analysis, MetricKind};
use super::ReportError;

const FONT: &str = "sans-serif";

/// Colour of the horizontal grid lines.
const GRID: RGBColor = RGBColor(225, 225, 225);

/// Colour of each label, in [`Label::ALL`] order.
pub const LABEL_COLORS: [RGBColor; 3] = [
    RGBColor(76, 120, 168),
    RGBColor(245, 133, 24),
    RGBColor(228, 87, 86),
];

/// Colours of groups in line charts (Tableau 10), reused cyclically.
const GROUP_COLORS: [RGBColor; 10] = [
    RGBColor(78, 121, 167),
    RGBColor(242, 142, 43),
    RGBColor(225, 87, 89),
    RGBColor(118, 183, 178),
    RGBColor(89, 161, 79),
    RGBColor(237, 201, 72),
    RGBColor(176, 122, 161),
    RGBColor(255, 157, 167),
    RGBColor(156, 117, 95),
    RGBColor(186, 176, 172),
];

/// A linear axis with ticks exactly at given positions: the category axes
/// (groups, frames, periods) put one label per category, which plotters'
/// "nice number" ticks cannot do.
struct TickAxis {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl TickAxis {
    fn new(range: Range<f64>, ticks: Vec<f64>) -> TickAxis {
        TickAxis { range, ticks }
    }
}

impl Ranged for TickAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let t = (value - self.range.start) / (self.range.end - self.range.start);
        limit.0 + (t * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// `s` cut to `max` characters, with an ellipsis if cut.
fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// Width of the legend strip right of the label and timeline charts.
const LEGEND_WIDTH: u32 = 190;

/// Draws a legend in `area`, a strip beside the plot, rather than inside the
/// plot, where it hid bars and whiskers near 80 %, common for `factual_report`.
/// Entries are filled squares (bars) or short lines (line charts).
fn side_legend(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    items: &[(String, RGBColor)],
    lines: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    // Level with the top of the plot area, below the caption.
    let top = 56;
    let style = TextStyle::from((FONT, 14).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (name, color)) in items.iter().enumerate() {
        let y = top + 20 * i as i32;
        if lines {
            area.draw(&PathElement::new(
                vec![(4, y), (18, y)],
                color.stroke_width(2),
            ))?;
        } else {
            area.draw(&Rectangle::new([(6, y - 5), (16, y + 5)], color.filled()))?;
        }
        area.draw(&Text::new(name.clone(), (24, y), style.clone()))?;
    }
    Ok(())
}

/// Runs a drawing closure on a fresh SVG canvas and returns the SVG text.
fn svg<F>(chart: &'static str, size: (u32, u32), draw: F) -> Result<String, ReportError>
where
    F: FnOnce(
        &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    ) -> Result<(), Box<dyn std::error::Error>>,
{
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        let drawn = root
            .fill(&WHITE)
            .map_err(|e| Box::new(e) as Box<dyn std::error::Error>)
            .and_then(|()| draw(&root))
            .and_then(|()| {
                root.present()
                    .map_err(|e| Box::new(e) as Box<dyn std::error::Error>)
            });
        drawn.map_err(|e| ReportError::Chart {
            chart,
            reason: e.to_string(),
        })?;
    }
    // Inline SVG in HTML needs no namespace; dropping it leaves the page
    // without a single URL, which makes "works offline" easy to check.
    Ok(out.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1))
}

/// Grouped bars: share of each label per group, with 95 % interval error bars.
pub fn label_shares(an: &Analysis) -> Result<String, ReportError> {
    let groups: Vec<usize> = (0..an.groups.len())
        .filter(|&g| an.groups[g].n_articles > 0)
        .collect();
    let n = groups.len().max(1);
    let names: Vec<String> = groups
        .iter()
        .map(|&g| short(&an.groups[g].name, 22))
        .collect();
    let label_metric = |l: Label| {
        an.metrics
            .iter()
            .position(|m| m.kind == MetricKind::Label(l))
            .expect("label metric")
    };
    let width = (160 + 170 * n as u32).max(560) + LEGEND_WIDTH;
    svg("label shares", (width, 380), |root| {
        let (plot, legend) = root.split_horizontally(width - LEGEND_WIDTH);
        let ticks: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .caption(
                "Label shares by group (bars: pooled share; whiskers: 95% cluster-bootstrap CI)",
                (FONT, 17),
            )
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(TickAxis::new(-0.5..n as f64 - 0.5, ticks), 0f64..1f64)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&|x| {
                names
                    .get(x.round().max(0.0) as usize)
                    .cloned()
                    .unwrap_or_default()
            })
            .y_labels(6)
            .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
            .y_desc("share of sentences")
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 14))
            .draw()?;
        let bar = 0.26;
        for (k, &label) in Label::ALL.iter().enumerate() {
            let m = label_metric(label);
            let color = LABEL_COLORS[k];
            let offset = (k as f64 - 1.0) * bar;
            let bars: Vec<(f64, f64, f64, f64)> = groups
                .iter()
                .enumerate()
                .map(|(i, &g)| {
                    let gs = &an.groups[g];
                    (i as f64 + offset, gs.values[m], gs.ci[m].0, gs.ci[m].1)
                })
                .filter(|b| b.1.is_finite())
                .collect();
            chart.draw_series(bars.iter().map(|&(x, v, _, _)| {
                Rectangle::new(
                    [(x - bar / 2.0 + 0.01, 0.0), (x + bar / 2.0 - 0.01, v)],
                    color.filled(),
                )
            }))?;
            let cap = bar / 5.0;
            let whiskers = bars
                .iter()
                .filter(|b| b.2.is_finite() && b.3.is_finite())
                .flat_map(|&(x, _, lo, hi)| {
                    [
                        vec![(x, lo), (x, hi)],
                        vec![(x - cap, lo), (x + cap, lo)],
                        vec![(x - cap, hi), (x + cap, hi)],
                    ]
                });
            chart
                .draw_series(whiskers.map(|line| PathElement::new(line, BLACK.stroke_width(1))))?;
        }
        let items: Vec<(String, RGBColor)> = Label::ALL
            .iter()
            .zip(LABEL_COLORS)
            .map(|(l, c)| (l.as_str().to_string(), c))
            .collect();
        side_legend(&legend, &items, false)
    })
}

/// Heatmap: share of sentences carrying each frame (rows) per group (columns).
pub fn frame_heatmap(an: &Analysis, frames: &[String]) -> Result<Option<String>, ReportError> {
    let groups: Vec<usize> = (0..an.groups.len())
        .filter(|&g| an.groups[g].n_articles > 0)
        .collect();
    if frames.is_empty() || groups.is_empty() {
        return Ok(None);
    }
    let frame_metric: Vec<usize> = (0..frames.len())
        .map(|f| {
            an.metrics
                .iter()
                .position(|m| m.kind == MetricKind::Frame(f))
                .expect("frame metric")
        })
        .collect();
    let value = |gi: usize, f: usize| an.groups[groups[gi]].values[frame_metric[f]];
    let max = (0..groups.len())
        .flat_map(|g| (0..frames.len()).map(move |f| (g, f)))
        .map(|(g, f)| value(g, f))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let (ng, nf) = (groups.len(), frames.len());
    let group_names: Vec<String> = groups
        .iter()
        .map(|&g| short(&an.groups[g].name, 20))
        .collect();
    let frame_names: Vec<String> = frames.iter().map(|f| short(f, 26)).collect();
    let width = 230 + 140 * ng as u32;
    let height = 90 + 30 * nf as u32;
    let chart_svg = svg("frame heatmap", (width.max(480), height), |root| {
        let xticks: Vec<f64> = (0..ng).map(|i| i as f64 + 0.5).collect();
        let yticks: Vec<f64> = (0..nf).map(|i| i as f64 + 0.5).collect();
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .caption(
                format!(
                    "Frames by group (share of sentences; darkest = {:.1}%)",
                    max * 100.0
                ),
                (FONT, 17),
            )
            .x_label_area_size(30)
            .y_label_area_size(190)
            .build_cartesian_2d(
                TickAxis::new(0.0..ng as f64, xticks),
                TickAxis::new(0.0..nf as f64, yticks),
            )?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(ng)
            .y_labels(nf)
            .x_label_formatter(&|x| {
                group_names
                    .get(x.floor().max(0.0) as usize)
                    .cloned()
                    .unwrap_or_default()
            })
            // Row 0 is drawn at the top.
            .y_label_formatter(&|y| {
                let i = nf as i64 - 1 - y.floor() as i64;
                usize::try_from(i)
                    .ok()
                    .and_then(|i| frame_names.get(i))
                    .cloned()
                    .unwrap_or_default()
            })
            .label_style((FONT, 14))
            .draw()?;
        let mut cells = Vec::new();
        let mut texts = Vec::new();
        for g in 0..ng {
            for f in 0..nf {
                let v = value(g, f);
                let t = if v.is_finite() { v / max } else { 0.0 };
                let shade = |c0: u8, c1: u8| {
                    (f64::from(c0) + t * (f64::from(c1) - f64::from(c0))).round() as u8
                };
                let color = RGBColor(shade(247, 8), shade(251, 48), shade(255, 107));
                let y = (nf - 1 - f) as f64;
                cells.push(Rectangle::new(
                    [(g as f64, y), (g as f64 + 1.0, y + 1.0)],
                    color.filled(),
                ));
                let ink: &'static RGBColor = if t > 0.55 { &WHITE } else { &BLACK };
                let style = TextStyle::from((FONT, 14).into_font())
                    .color(ink)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                let label = if v.is_finite() {
                    format!("{:.1}%", v * 100.0)
                } else {
                    "–".into()
                };
                texts.push(Text::new(label, (g as f64 + 0.5, y + 0.5), style));
            }
        }
        chart.draw_series(cells)?;
        chart.draw_series(texts)?;
        Ok(())
    })?;
    Ok(Some(chart_svg))
}

/// Line chart of one label's share per period, one line per group.
pub fn timeline(an: &Analysis, label: Label) -> Result<Option<String>, ReportError> {
    if an.timeline.is_empty() {
        return Ok(None);
    }
    let m = an
        .metrics
        .iter()
        .position(|m| m.kind == MetricKind::Label(label))
        .expect("label metric");
    let mut periods: Vec<&str> = an.timeline.iter().map(|r| r.period.as_str()).collect();
    periods.sort_unstable();
    periods.dedup();
    let np = periods.len();
    let step = np.div_ceil(10).max(1);
    let ticks: Vec<f64> = (0..np).step_by(step).map(|i| i as f64).collect();
    let n_ticks = ticks.len();
    let title = format!("Share of {} over time", label.as_str());
    let width = 860 + LEGEND_WIDTH;
    svg("timeline", (width, 320), |root| {
        let (plot, legend) = root.split_horizontally(width - LEGEND_WIDTH);
        let mut items = Vec::new();
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .caption(title, (FONT, 17))
            .x_label_area_size(32)
            .y_label_area_size(56)
            .build_cartesian_2d(TickAxis::new(-0.5..np as f64 - 0.5, ticks), 0f64..1f64)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n_ticks)
            .x_label_formatter(&|x| {
                periods
                    .get(x.round().max(0.0) as usize)
                    .map(|p| p.to_string())
                    .unwrap_or_default()
            })
            .y_labels(6)
            .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .label_style((FONT, 14))
            .draw()?;
        for (g, gs) in an.groups.iter().enumerate() {
            let points: Vec<(usize, f64)> = an
                .timeline
                .iter()
                .filter(|r| r.group == g && r.values[m].is_finite())
                .map(|r| {
                    (
                        periods
                            .binary_search(&r.period.as_str())
                            .expect("known period"),
                        r.values[m],
                    )
                })
                .collect();
            if points.is_empty() {
                continue;
            }
            let color = GROUP_COLORS[g % GROUP_COLORS.len()];
            // Break the line where the group has no article in a period.
            let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
            let mut prev: Option<usize> = None;
            for &(i, v) in &points {
                if prev.is_none_or(|p| p + 1 != i) {
                    runs.push(Vec::new());
                }
                runs.last_mut().expect("a run").push((i as f64, v));
                prev = Some(i);
            }
            for run in runs {
                chart.draw_series(LineSeries::new(run, color.stroke_width(2)))?;
            }
            items.push((short(&gs.name, 24), color));
            chart.draw_series(
                points
                    .iter()
                    .map(|&(i, v)| Circle::new((i as f64, v), 3, color.filled())),
            )?;
        }
        side_legend(&legend, &items, true)
    })
    .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_cuts_on_characters() {
        assert_eq!(short("abc", 5), "abc");
        assert_eq!(short("éééééé", 4), "ééé…");
    }
}
