//! `--shard K/N`: a deterministic 1/N of the articles, for job arrays.
//!
//! An article belongs to shard K (1-based, K = 1..=N) when the FNV-1a hash
//! of its id, modulo N, is K - 1. The hash is [`crate::hash::stable_hash`],
//! so the split is the same on every run and every machine, and the N shards
//! cover every article exactly once.

use crate::hash::stable_hash;
use std::str::FromStr;

/// Shard K of N (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based index of this shard.
    pub k: u64,
    /// Number of shards.
    pub n: u64,
}

impl Shard {
    /// Whether the article with this id belongs to this shard.
    pub fn keeps(&self, article_id: &str) -> bool {
        stable_hash(article_id) % self.n == self.k - 1
    }
}

impl FromStr for Shard {
    type Err = String;

    /// Parses `K/N` with 1 <= K <= N.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("invalid shard {s:?}: expected K/N with 1 <= K <= N, e.g. 3/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (u64, u64) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if n == 0 || k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_lands_in_exactly_one_shard() {
        let shards: Vec<Shard> = (1..=4).map(|k| Shard { k, n: 4 }).collect();
        let mut sizes = [0usize; 4];
        for i in 0..1000 {
            let id = format!("outlet/article-{i}");
            let owners: Vec<usize> = (0..4).filter(|&s| shards[s].keeps(&id)).collect();
            assert_eq!(owners.len(), 1, "{id}");
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|&s| s > 200), "unbalanced: {sizes:?}");
    }

    #[test]
    fn parses_one_based_k_of_n() {
        assert_eq!("2/4".parse::<Shard>().unwrap(), Shard { k: 2, n: 4 });
        assert_eq!("1/1".parse::<Shard>().unwrap(), Shard { k: 1, n: 1 });
        for bad in ["0/4", "5/4", "1/0", "2", "a/b"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
