//! A deterministic stand-in for the model, for tests of the stages around it.
//!
//! [`StubEncoder`] turns each text into a fixed pseudo-random unit vector seeded
//! by the text's FNV-1a hash: the same text always gets the same vector, on
//! every machine, without weights or a tokenizer. Golden files of the
//! annotate → CSV → report path use it (`FRAMELENS_ENCODER=stub`), so they pin
//! segmentation, attribution, the head's arithmetic, the CSV writer and the
//! report, and stay byte-identical whatever happens to the model. Its labels
//! mean nothing.

use super::{EncodeError, Encoder};

/// Width of the multilingual-e5-small embedding the stub imitates.
pub const STUB_DIM: usize = 384;

/// Pseudo-random unit vectors keyed by the text (see the module doc).
#[derive(Debug, Clone)]
pub struct StubEncoder {
    base_dim: usize,
    /// Also "pool" a second layer: a second, differently seeded half.
    pool_also: Option<usize>,
    name: String,
}

impl Default for StubEncoder {
    fn default() -> Self {
        StubEncoder::new(STUB_DIM)
    }
}

/// splitmix64: a small, well-mixed generator (Steele et al. 2014).
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A unit vector of `dim` values in [-1, 1) drawn from `seed`.
fn unit_vector(seed: u64, dim: usize) -> Vec<f32> {
    let mut state = seed;
    let mut v: Vec<f32> = (0..dim)
        .map(|_| ((splitmix(&mut state) >> 40) as f32 / (1u64 << 23) as f32) - 1.0)
        .collect();
    let norm = v
        .iter()
        .map(|x| x * x)
        .sum::<f32>()
        .sqrt()
        .max(f32::MIN_POSITIVE);
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

impl StubEncoder {
    /// A stub of embedding width `dim`, named `stub`.
    pub fn new(dim: usize) -> StubEncoder {
        StubEncoder {
            base_dim: dim,
            pool_also: None,
            name: "stub".into(),
        }
    }

    /// Doubles the width as [`super::BertEncoder::pool_also`] does; the first
    /// half stays the plain vector, the name gets `+poolK`.
    pub fn pool_also(&mut self, layer: usize) {
        self.pool_also = Some(layer);
        self.name = format!("stub+pool{layer}");
    }
}

impl Encoder for StubEncoder {
    fn dim(&self) -> usize {
        self.base_dim * if self.pool_also.is_some() { 2 } else { 1 }
    }

    fn base_dim(&self) -> usize {
        self.base_dim
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncodeError> {
        Ok(texts
            .iter()
            .map(|t| {
                let seed = crate::hash::stable_hash(t);
                let mut v = unit_vector(seed, self.base_dim);
                if let Some(layer) = self.pool_also {
                    v.extend(unit_vector(
                        seed ^ (layer as u64).rotate_left(32),
                        self.base_dim,
                    ));
                }
                v
            })
            .collect())
    }

    fn name(&self) -> &str {
        &self.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_same_vector_other_text_other_vector() {
        let stub = StubEncoder::default();
        let v = stub
            .embed(&["Le chat dort.", "Le chat dort.", "Il pleut."])
            .unwrap();
        assert_eq!(v[0], v[1]);
        assert_ne!(v[0], v[2]);
        assert_eq!(v[0].len(), STUB_DIM);
        let norm: f32 = v[0].iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "norm {norm}");
    }

    #[test]
    fn pooled_stub_keeps_the_plain_half_and_renames_itself() {
        let plain = StubEncoder::default();
        let mut pooled = StubEncoder::default();
        pooled.pool_also(6);
        let a = plain.embed(&["x"]).unwrap().remove(0);
        let b = pooled.embed(&["x"]).unwrap().remove(0);
        assert_eq!(pooled.dim(), 2 * STUB_DIM);
        assert_eq!(&b[..STUB_DIM], &a[..]);
        assert_ne!(&b[STUB_DIM..], &a[..]);
        assert_eq!(pooled.name(), "stub+pool6");
    }
}
