//! The annotated CSV's schema, defined once: its columns in order, one typed
//! [`Row`], and [`Header`], the one way any reader finds a column by name.
//!
//! Every categorical column is an enum whose serialised names are the
//! codebook's strings ([`SegmentKind`], [`Label`], [`Voice`], [`SourceType`]),
//! so the writer, the report's reader, `merge` and `evaluate` cannot drift
//! apart by a spelling.

pub use crate::attribute::SourceType;
pub use crate::label::Label;
pub use crate::segment::SegmentKind;

use std::fmt;
use std::str::FromStr;

/// First column of `--shard` outputs: the 0-based position of the row's
/// article among all input records, which lets `merge` restore input order.
pub const INDEX_COLUMN: &str = "input_index";

/// Column names, in output order (`--frame-scores` appends one `f_<frame>` column per frame).
pub const COLUMNS: [&str; 22] = [
    "article_id",
    "outlet",
    "date",
    "title",
    "segment",
    "kind",
    "lang",
    "text",
    "start",
    "end",
    "label",
    "voice",
    "confidence",
    "p_factual_report",
    "p_official_claim",
    "p_framing_opinion",
    "speaker",
    "speaker_entity",
    "cue",
    "source_type",
    "frames",
    "model",
];

/// Whose voice a labelled sentence is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Voice {
    /// The outlet's own voice (`factual_report`, `framing_opinion`).
    Editorial,
    /// Someone else's, by reported speech (`official_claim`).
    Attributed,
}

impl Voice {
    /// The voice of a sentence with label `label`.
    pub fn of(label: Label) -> Voice {
        if label == Label::OfficialClaim {
            Voice::Attributed
        } else {
            Voice::Editorial
        }
    }

    /// The serialised name: `"editorial"` or `"attributed"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Voice::Editorial => "editorial",
            Voice::Attributed => "attributed",
        }
    }
}

impl fmt::Display for Voice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A column value that is not one of its enum's names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {column} {value:?} (expected {expected})")]
pub struct UnknownValue {
    /// The column.
    pub column: &'static str,
    /// What was found.
    pub value: String,
    /// The allowed names, comma-separated.
    pub expected: &'static str,
}

impl FromStr for Voice {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Voice, UnknownValue> {
        match s {
            "editorial" => Ok(Voice::Editorial),
            "attributed" => Ok(Voice::Attributed),
            other => Err(UnknownValue {
                column: "voice",
                value: other.to_string(),
                expected: "editorial or attributed",
            }),
        }
    }
}

impl FromStr for SegmentKind {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<SegmentKind, UnknownValue> {
        match s {
            "sentence" => Ok(SegmentKind::Sentence),
            "heading" => Ok(SegmentKind::Heading),
            "boilerplate" => Ok(SegmentKind::Boilerplate),
            other => Err(UnknownValue {
                column: "kind",
                value: other.to_string(),
                expected: "sentence, heading or boilerplate",
            }),
        }
    }
}

/// One output row. Unlabelled segments (headings, boilerplate) have no
/// label, voice or probabilities.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub article_id: String,
    pub outlet: String,
    pub date: String,
    pub title: String,
    /// 0-based index of the segment in its article.
    pub segment: usize,
    pub kind: SegmentKind,
    /// The language code as given or detected (written as is).
    pub lang: String,
    pub text: String,
    /// Character offsets into the article text.
    pub start: usize,
    pub end: usize,
    pub label: Option<Label>,
    pub voice: Option<Voice>,
    /// Probabilities in [`Label::ALL`] order, when labelled.
    pub probs: Option<[f32; 3]>,
    pub speaker: String,
    /// The person or body `speaker` names, as fully as the article names it
    /// (see `crate::entities`); empty when `speaker` is.
    pub speaker_entity: String,
    pub cue: String,
    pub source_type: Option<SourceType>,
    /// Frame tags, `;`-separated.
    pub frames: String,
    pub model: String,
    /// One score per frame, written only with `--frame-scores`.
    pub frame_scores: Vec<f32>,
}

impl Default for Row {
    fn default() -> Row {
        Row {
            article_id: String::new(),
            outlet: String::new(),
            date: String::new(),
            title: String::new(),
            segment: 0,
            kind: SegmentKind::Sentence,
            lang: String::new(),
            text: String::new(),
            start: 0,
            end: 0,
            label: None,
            voice: None,
            probs: None,
            speaker: String::new(),
            speaker_entity: String::new(),
            cue: String::new(),
            source_type: None,
            frames: String::new(),
            model: String::new(),
            frame_scores: Vec::new(),
        }
    }
}

/// A required column is missing from a header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no {0:?} column")]
pub struct MissingColumn(pub String);

/// A CSV header, for finding columns by name: names are compared after
/// removing a byte-order mark and surrounding spaces, so files from
/// spreadsheets read the same as framelens' own.
#[derive(Debug, Clone, Default)]
pub struct Header {
    names: Vec<String>,
}

impl Header {
    /// The header of `names` (a `csv` record's fields, in order).
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Header {
        Header {
            names: names
                .into_iter()
                .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
                .collect(),
        }
    }

    /// Position of column `name`, if present.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|h| h == name)
    }

    /// Position of column `name`, or which column is missing.
    pub fn require(&self, name: &str) -> Result<usize, MissingColumn> {
        self.find(name)
            .ok_or_else(|| MissingColumn(name.to_string()))
    }

    /// The names, cleaned.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_names_round_trip_as_the_codebook_spells_them() {
        for k in [
            SegmentKind::Sentence,
            SegmentKind::Heading,
            SegmentKind::Boilerplate,
        ] {
            assert_eq!(k.as_str().parse::<SegmentKind>(), Ok(k));
        }
        for v in [Voice::Editorial, Voice::Attributed] {
            assert_eq!(v.as_str().parse::<Voice>(), Ok(v));
        }
        assert_eq!(Voice::of(Label::OfficialClaim), Voice::Attributed);
        assert_eq!(Voice::of(Label::FramingOpinion), Voice::Editorial);
        let e = "Sentence".parse::<SegmentKind>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown kind \"Sentence\" (expected sentence, heading or boilerplate)"
        );
    }

    #[test]
    fn header_ignores_bom_and_spaces_and_names_the_missing_column() {
        let h = Header::new(["\u{feff}id", " text ", "lang"]);
        assert_eq!(h.find("id"), Some(0));
        assert_eq!(h.require("text"), Ok(1));
        assert_eq!(h.require("outlet"), Err(MissingColumn("outlet".into())));
    }
}
