//! `report.html`: one self-contained page a researcher can open offline,
//! mail, or archive with the paper's data.
//!
//! Nothing is loaded from elsewhere: the style is inline CSS, the charts are
//! inline SVG from [`super::charts`], and there is no script. Every piece of
//! input text (outlet names, titles, sentences, speakers) goes through
//! [`escape`] before it reaches the page.

use std::fmt::Write as _;

use crate::label::Label;

use super::analysis::{Analysis, MetricKind, FDR};
use super::corpus::Corpus;
use super::{charts, ReportError, ReportOptions, ReportSummary};

/// Below this many articles a group's intervals get a warning.
const SMALL_GROUP: usize = 20;

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1}%", x * 100.0)
    } else {
        "–".into()
    }
}

/// Percentage points with a sign; a value that rounds to zero is shown as `0.0`.
fn pp(x: f64) -> String {
    signed(x * 100.0, 1)
}

/// `+1.23` / `-1.23`, but `0.00` rather than `-0.00`; `–` if undefined.
fn signed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = format!("{x:+.decimals$}");
    if s[1..].bytes().all(|b| b == b'0' || b == b'.') {
        s[1..].to_string()
    } else {
        s
    }
}

fn pval(p: f64) -> String {
    if !p.is_finite() {
        "–".into()
    } else if p < 0.001 {
        "&lt;0.001".into()
    } else {
        format!("{p:.3}")
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

const CSS: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#222;max-width:1150px;margin:2em auto;padding:0 1em;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}h3{font-size:1.05em;margin-bottom:.3em}
.meta{color:#666;font-size:.9em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.88em}
th,td{padding:.3em .6em;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}
th{background:#f4f5f7;font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.sig td{background:#fff4d6}tr.sig td.q{font-weight:700}
.ci{color:#777;font-size:.92em}
.chart svg{max-width:100%;height:auto}
.examples li{margin-bottom:.35em}.conf{color:#777;font-size:.9em;font-variant-numeric:tabular-nums}
.src{color:#777;font-size:.88em}
.warn{background:#fdecea;border-left:4px solid #d9534f;padding:.5em .8em}
.note{font-size:.9em;color:#444}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:baseline}
";

/// Renders the whole page.
pub fn render(
    corpus: &Corpus,
    an: &Analysis,
    opts: &ReportOptions,
    summary: &ReportSummary,
) -> Result<String, ReportError> {
    let mut h = String::with_capacity(64 * 1024);
    let group = escape(&opts.group_by);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<title>framelens report</title>\n<style>");
    h.push_str(CSS);
    h.push_str("</style>\n</head>\n<body>\n<h1>framelens report</h1>\n");
    let _ = writeln!(
        h,
        "<p class=\"meta\">Groups: column <code>{group}</code>. Seed {}, {} bootstrap replicates, {} permutations, timeline by {}{}.</p>",
        opts.seed,
        opts.bootstrap,
        opts.permutations,
        opts.period.as_str(),
        opts.min_confidence.map(|m| format!(", sentences with confidence below {m} excluded")).unwrap_or_default()
    );

    corpus_section(&mut h, corpus, summary, opts);
    labels_section(&mut h, an, &group)?;
    frames_section(&mut h, an, corpus)?;
    comparisons_section(&mut h, an, &group);
    timeline_section(&mut h, an)?;
    speakers_section(&mut h, an, &group);
    examples_section(&mut h, corpus, an);
    methods_section(&mut h);
    h.push_str("</body>\n</html>\n");
    Ok(h)
}

fn corpus_section(h: &mut String, corpus: &Corpus, s: &ReportSummary, opts: &ReportOptions) {
    h.push_str("<h2>Corpus</h2>\n<table>\n");
    let mut row = |k: &str, v: String| {
        let _ = writeln!(h, "<tr><th>{k}</th><td class=\"n\">{v}</td></tr>");
    };
    row("Input files", s.files.to_string());
    row("Articles", thousands(s.articles as u64));
    row(
        "Articles with counted sentences",
        thousands(s.articles_counted as u64),
    );
    row("Sentences counted", thousands(s.sentences));
    row(
        "Excluded by --min-confidence",
        match opts.min_confidence {
            Some(m) => format!(
                "{} (confidence &lt; {m})",
                thousands(s.excluded_low_confidence)
            ),
            None => "0 (no threshold)".into(),
        },
    );
    row("Groups", s.groups.to_string());
    row(
        "Date range",
        s.date_range
            .map(|(a, b)| format!("{a} to {b}"))
            .unwrap_or_else(|| "no dates".into()),
    );
    row("Invalid rows skipped", thousands(s.bad_rows as u64));
    h.push_str("</table>\n");
    h.push_str("<p class=\"src\">Files: ");
    let files: Vec<String> = corpus
        .files
        .iter()
        .map(|f| format!("<code>{}</code>", escape(&f.display().to_string())))
        .collect();
    h.push_str(&files.join(", "));
    h.push_str("</p>\n");
    if s.bad_rows > 0 {
        h.push_str("<div class=\"warn\"><strong>Invalid rows were skipped.</strong> The numbers below leave them out.<ul>\n");
        for e in corpus.bad_row_samples.iter().take(20) {
            let _ = writeln!(h, "<li><code>{}</code></li>", escape(&e.to_string()));
        }
        if s.bad_rows > 20 {
            let _ = writeln!(h, "<li>… and {} more</li>", s.bad_rows - 20);
        }
        h.push_str("</ul></div>\n");
    }
}

fn value_ci(v: f64, (lo, hi): (f64, f64)) -> String {
    format!(
        "{} <span class=\"ci\">[{}, {}]</span>",
        pct(v),
        pct(lo),
        pct(hi)
    )
}

fn labels_section(h: &mut String, an: &Analysis, group: &str) -> Result<(), ReportError> {
    h.push_str("<h2>Labels by group</h2>\n");
    let _ = writeln!(
        h,
        "<div class=\"chart\">{}</div>",
        charts::label_shares(an)?
    );
    let _ = write!(
        h,
        "<table>\n<tr><th>{group}</th><th class=\"n\">articles</th><th class=\"n\">sentences</th>"
    );
    let shown: Vec<usize> = (0..an.metrics.len())
        .filter(|&m| !matches!(an.metrics[m].kind, MetricKind::Frame(_)))
        .collect();
    for &m in &shown {
        let name = match an.metrics[m].kind {
            MetricKind::Label(l) => {
                format!(
                    "<span class=\"swatch\" style=\"background:{}\"></span>{}",
                    css_color(l),
                    l.as_str()
                )
            }
            _ => "editorial framing index".into(),
        };
        let _ = write!(h, "<th class=\"n\">{name}</th>");
    }
    h.push_str("</tr>\n");
    for g in &an.groups {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            escape(&g.name),
            thousands(g.n_articles as u64),
            thousands(g.n_sentences)
        );
        for &m in &shown {
            let _ = write!(h, "<td class=\"n\">{}</td>", value_ci(g.values[m], g.ci[m]));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
    let small: Vec<String> = an
        .groups
        .iter()
        .filter(|g| g.n_articles < SMALL_GROUP)
        .map(|g| escape(&g.name))
        .collect();
    if !small.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"warn\">Fewer than {SMALL_GROUP} articles: {}. With so few articles, bootstrap intervals are too narrow and p-values cannot get small; read these groups' numbers as descriptive.</p>",
            small.join(", ")
        );
    }
    h.push_str("<p class=\"note\">Shares pool all sentences of a group; the editorial framing index is the mean over articles of the share of sentences that are <code>framing_opinion</code> in the outlet's own voice. Brackets: 95% article-level bootstrap interval.</p>\n");
    Ok(())
}

fn css_color(l: Label) -> String {
    let c = charts::LABEL_COLORS[l.index()];
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

fn frames_section(h: &mut String, an: &Analysis, corpus: &Corpus) -> Result<(), ReportError> {
    h.push_str("<h2>Frames by group</h2>\n");
    match charts::frame_heatmap(an, &corpus.frames)? {
        Some(svg) => {
            let _ = writeln!(h, "<div class=\"chart\">{svg}</div>");
            h.push_str("<p class=\"note\">Share of counted sentences carrying each frame (a sentence may carry several). Intervals are in <code>outlets.csv</code>.</p>\n");
        }
        None => h.push_str("<p>No counted sentence carries a frame.</p>\n"),
    }
    Ok(())
}

fn comparisons_section(h: &mut String, an: &Analysis, group: &str) {
    h.push_str("<h2>Comparisons</h2>\n");
    if an.comparisons.is_empty() {
        h.push_str("<p>Fewer than two groups with counted sentences: nothing to compare.</p>\n");
        return;
    }
    let sig = an.comparisons.iter().filter(|c| c.significant).count();
    let _ = writeln!(
        h,
        "<p>{sig} of {} differences are significant at a false discovery rate of {FDR} (highlighted). Differences in percentage points.</p>",
        an.comparisons.len()
    );
    let _ = writeln!(
        h,
        "<table>\n<tr><th>{group} A</th><th>{group} B</th><th>metric</th><th class=\"n\">A</th><th class=\"n\">B</th><th class=\"n\">A − B (pp)</th><th class=\"n\">95% CI</th><th class=\"n\">Cohen's h</th><th class=\"n\">p</th><th class=\"n\">q</th></tr>"
    );
    for c in &an.comparisons {
        let _ = writeln!(
            h,
            "<tr{}><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">[{}, {}]</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n q\">{}</td></tr>",
            if c.significant { " class=\"sig\"" } else { "" },
            escape(&an.groups[c.a].name),
            escape(&an.groups[c.b].name),
            escape(&an.metrics[c.metric].name),
            pct(c.value_a),
            pct(c.value_b),
            pp(c.diff),
            pp(c.diff_lo),
            pp(c.diff_hi),
            signed(c.cohens_h, 2),
            pval(c.p_value),
            pval(c.q_value),
        );
    }
    h.push_str("</table>\n");
}

fn timeline_section(h: &mut String, an: &Analysis) -> Result<(), ReportError> {
    h.push_str("<h2>Timeline</h2>\n");
    if an.timeline.is_empty() {
        h.push_str("<p>No article has a date.</p>\n");
        return Ok(());
    }
    for l in Label::ALL {
        if let Some(svg) = charts::timeline(an, l)? {
            let _ = writeln!(h, "<div class=\"chart\">{svg}</div>");
        }
    }
    h.push_str("<p class=\"note\">Pooled share per period; lines break where a group has no article. Counts per period are in <code>timeline.csv</code>.</p>\n");
    Ok(())
}

fn ranked_list(items: &[(String, u64)], total: u64, top: usize) -> String {
    if items.is_empty() {
        return "–".into();
    }
    let li: Vec<String> = items
        .iter()
        .take(top)
        .map(|(name, c)| {
            format!(
                "{} <span class=\"ci\">{} ({})</span>",
                escape(name),
                c,
                pct(*c as f64 / total.max(1) as f64)
            )
        })
        .collect();
    li.join("<br>")
}

fn speakers_section(h: &mut String, an: &Analysis, group: &str) {
    h.push_str("<h2>Speakers and source types</h2>\n<table>\n");
    let _ = writeln!(
        h,
        "<tr><th>{group}</th><th>top speakers (sentences, share of sentences with a speaker)</th><th>source types (sentences, share of sentences with a source type)</th></tr>"
    );
    for g in &an.groups {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&g.name),
            ranked_list(&g.speakers, g.n_with_speaker, 10),
            ranked_list(&g.source_types, g.n_with_source_type, 10)
        );
    }
    h.push_str("</table>\n");
}

fn examples_section(h: &mut String, corpus: &Corpus, an: &Analysis) {
    h.push_str("<h2>Example sentences</h2>\n<p class=\"note\">The highest-confidence sentences of each label per group (ties: earliest in the input).</p>\n");
    for (g, gs) in an.groups.iter().enumerate() {
        let _ = writeln!(h, "<h3>{}</h3>", escape(&gs.name));
        for l in Label::ALL {
            let ex = corpus
                .examples
                .get(g)
                .map(|e| e[l.index()].sorted())
                .unwrap_or_default();
            if ex.is_empty() {
                continue;
            }
            let _ = writeln!(
                h,
                "<p><span class=\"swatch\" style=\"background:{}\"></span><strong>{}</strong></p>\n<ul class=\"examples\">",
                css_color(l),
                l.as_str()
            );
            for e in ex {
                let art = &corpus.articles[e.article];
                let title = if art.title.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", escape(&art.title))
                };
                let _ = writeln!(
                    h,
                    "<li>{} <span class=\"conf\">({:.2})</span> <span class=\"src\">[{}{}]</span></li>",
                    escape(&e.text),
                    e.confidence,
                    escape(&art.id),
                    title
                );
            }
            h.push_str("</ul>\n");
        }
    }
}

fn methods_section(h: &mut String) {
    h.push_str("<h2>Methods</h2>\n<div class=\"note\"><p>Only rows of kind <code>sentence</code> are counted. \
Articles, not sentences, are the unit of inference, because the sentences of one article are not independent. \
Intervals are 95% percentile intervals of an article-level cluster bootstrap (articles resampled with replacement within each group; \
a share is recomputed as total label sentences over total sentences of the resample). \
The interval of a difference combines the two groups' independent bootstraps. \
p-values come from a two-sided permutation test that shuffles the group labels of whole articles between the two groups, \
with p = (1 + #{|permuted difference| ≥ |observed|}) / (1 + permutations). \
q-values are Benjamini–Hochberg adjusted over all comparisons; rows with q &lt; 0.05 are highlighted. \
Cohen's h = 2·asin(√p<sub>A</sub>) − 2·asin(√p<sub>B</sub>) (about 0.2 small, 0.5 medium, 0.8 large). \
A frame is compared between two groups only when at least one of them uses it.</p></div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">O'Brien & co</a>"),
            "&lt;a href=&quot;x&quot;&gt;O&#39;Brien &amp; co&lt;/a&gt;"
        );
    }

    #[test]
    fn formats() {
        assert_eq!(pct(0.5), "50.0%");
        assert_eq!(pct(f64::NAN), "–");
        assert_eq!(pp(-0.0312), "-3.1");
        assert_eq!(pp(0.0312), "+3.1");
        assert_eq!(pp(-0.0003), "0.0");
        assert_eq!(signed(-0.001, 2), "0.00");
        assert_eq!(signed(f64::NAN, 2), "–");
        assert_eq!(pval(0.0002), "&lt;0.001");
        assert_eq!(pval(0.04321), "0.043");
        assert_eq!(thousands(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(thousands(999), "999");
    }
}
