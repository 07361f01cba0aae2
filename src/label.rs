//! The codebook's sentence labels and frames, serialised exactly as
//! `../shared/CODEBOOK.md` spells them so CSV and codebook cannot drift.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One of the three sentence labels of the codebook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// The outlet's own voice states checkable facts, neutrally.
    FactualReport,
    /// Content attributed to a source by reported speech.
    OfficialClaim,
    /// The outlet's own voice evaluates, interprets or uses loaded words.
    FramingOpinion,
}

impl Label {
    /// All labels, in the order of the probability columns of the output.
    pub const ALL: [Label; 3] = [
        Label::FactualReport,
        Label::OfficialClaim,
        Label::FramingOpinion,
    ];

    /// The codebook name (`official_claim`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Label::FactualReport => "factual_report",
            Label::OfficialClaim => "official_claim",
            Label::FramingOpinion => "framing_opinion",
        }
    }

    /// Position in [`Label::ALL`] (and in probability vectors).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Inverse of [`Label::index`].
    pub fn from_index(i: usize) -> Option<Label> {
        Label::ALL.get(i).copied()
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not one of the codebook's labels.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown label {0:?} (expected factual_report, official_claim or framing_opinion)")]
pub struct UnknownLabel(pub String);

impl FromStr for Label {
    type Err = UnknownLabel;
    fn from_str(s: &str) -> Result<Label, UnknownLabel> {
        match s.trim() {
            "factual_report" => Ok(Label::FactualReport),
            "official_claim" => Ok(Label::OfficialClaim),
            "framing_opinion" => Ok(Label::FramingOpinion),
            other => Err(UnknownLabel(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for l in Label::ALL {
            assert_eq!(l.as_str().parse::<Label>().unwrap(), l);
            assert_eq!(Label::from_index(l.index()), Some(l));
        }
        assert!("opinion".parse::<Label>().is_err());
    }
}
