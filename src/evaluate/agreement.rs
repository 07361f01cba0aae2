//! Agreement between two annotators' files, matched by id: Cohen's κ and
//! Krippendorff's α, over all labels and per label (one against the rest).

use super::metrics;
use super::EvaluateError;
use crate::label::Label;
use crate::train::examples::Example;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// What `evaluate --against` reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Items in both files.
    pub items: usize,
    pub only_in_gold: usize,
    pub only_in_against: usize,
    pub kappa: f64,
    pub alpha: f64,
    pub per_label: BTreeMap<Label, Coefficients>,
}

/// κ and α of one comparison.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coefficients {
    pub kappa: f64,
    pub alpha: f64,
}

impl Agreement {
    /// Agreement of `a` and `b` on the items whose id both have.
    pub fn new(a: &[Example], b: &[Example]) -> Result<Agreement, EvaluateError> {
        let b_by_id: HashMap<&str, Label> = b.iter().map(|e| (e.id.as_str(), e.label)).collect();
        let (x, y): (Vec<usize>, Vec<usize>) = a
            .iter()
            .filter_map(|e| {
                b_by_id
                    .get(e.id.as_str())
                    .map(|l| (e.label.index(), l.index()))
            })
            .unzip();
        if x.is_empty() {
            return Err(EvaluateError::NoCommonIds);
        }
        let per_label = Label::ALL
            .iter()
            .map(|l| {
                let (xa, ya) = (
                    metrics::one_vs_rest(&x, l.index()),
                    metrics::one_vs_rest(&y, l.index()),
                );
                let c = Coefficients {
                    kappa: metrics::cohen_kappa(&xa, &ya, 2),
                    alpha: metrics::krippendorff_alpha_nominal(&xa, &ya, 2),
                };
                (*l, c)
            })
            .collect();
        Ok(Agreement {
            items: x.len(),
            only_in_gold: a.len() - x.len(),
            only_in_against: b.len() - x.len(),
            kappa: metrics::cohen_kappa(&x, &y, 3),
            alpha: metrics::krippendorff_alpha_nominal(&x, &y, 3),
            per_label,
        })
    }
}

/// The table `framelens evaluate --against` prints.
impl fmt::Display for Agreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} items in common ({} only in --gold, {} only in --against)",
            self.items, self.only_in_gold, self.only_in_against
        )?;
        writeln!(f, "{:<22} {:>8} {:>8}", "label", "kappa", "alpha")?;
        writeln!(
            f,
            "{:<22} {:>8.4} {:>8.4}",
            "all labels", self.kappa, self.alpha
        )?;
        // Codebook order, as the labels are listed everywhere else.
        for l in Label::ALL {
            let c = self.per_label[&l];
            writeln!(f, "{:<22} {:>8.4} {:>8.4}", l.as_str(), c.kappa, c.alpha)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(id: &str, label: Label) -> Example {
        Example {
            id: id.into(),
            text: String::new(),
            label,
            lang: String::new(),
            group: String::new(),
            extra: Default::default(),
        }
    }

    #[test]
    fn agreement_matches_by_id_and_counts_the_rest() {
        use Label::*;
        let a = [
            example("1", FactualReport),
            example("2", OfficialClaim),
            example("3", FramingOpinion),
        ];
        let b = [
            example("2", OfficialClaim),
            example("1", FactualReport),
            example("9", FactualReport),
        ];
        let g = Agreement::new(&a, &b).unwrap();
        assert_eq!((g.items, g.only_in_gold, g.only_in_against), (2, 1, 1));
        assert_eq!((g.kappa, g.alpha), (1.0, 1.0));
        let json = crate::records::to_json(&g);
        assert!(json.find("\"alpha\"").unwrap() < json.find("\"items\"").unwrap());
    }

    #[test]
    fn agreement_without_common_ids_is_an_error() {
        let a = [example("1", Label::FactualReport)];
        let b = [example("2", Label::FactualReport)];
        assert!(matches!(
            Agreement::new(&a, &b),
            Err(EvaluateError::NoCommonIds)
        ));
    }
}
