//! Constrained BIO decoding for the attribution span tagger (issue 14).
//!
//! A token tagger scores each token's seven [`Tag`]s (O, B/I of Source, Cue,
//! Content, numbered by [`Tag::index`]) independently; taking
//! each token's best tag breaks long Content spans into pieces and starts
//! spans with `I`. [`viterbi`] finds the best tag sequence in which every `I-X`
//! follows `B-X` or `I-X`, and [`spans`] reads the sequence back as spans.

/// The role of a span in an attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Source,
    Cue,
    Content,
}

/// A token's tag: outside, or the beginning or inside of a role's span.
/// [`Tag::index`] numbers them 0..[`TAGS`] for a classifier: O, B-Source,
/// I-Source, B-Cue, I-Cue, B-Content, I-Content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    O,
    B(Role),
    I(Role),
}

/// Number of distinct tags.
pub const TAGS: usize = 7;

impl Tag {
    pub fn index(self) -> usize {
        let role = |r| match r {
            Role::Source => 0,
            Role::Cue => 1,
            Role::Content => 2,
        };
        match self {
            Tag::O => 0,
            Tag::B(r) => 1 + 2 * role(r),
            Tag::I(r) => 2 + 2 * role(r),
        }
    }
}

const ROLES: [Role; 3] = [Role::Source, Role::Cue, Role::Content];

impl Tag {
    /// The tag numbered `i` by [`Tag::index`].
    pub fn from_index(i: usize) -> Tag {
        match i {
            0 => Tag::O,
            i if i % 2 == 1 => Tag::B(ROLES[(i - 1) / 2]),
            i => Tag::I(ROLES[(i - 2) / 2]),
        }
    }
}

/// Whether tag `to` may follow tag `from` (`None`: the sequence start):
/// `I-X` only after `B-X` or `I-X`.
fn allowed(from: Option<usize>, to: usize) -> bool {
    match Tag::from_index(to) {
        Tag::I(role) => {
            from.is_some_and(|f| matches!(Tag::from_index(f), Tag::B(r) | Tag::I(r) if r == role))
        }
        _ => true,
    }
}

/// The best allowed tag sequence for `scores` (`n × TAGS` log-probabilities
/// or logits, token after token), skipping tokens whose `keep` is false
/// (special tokens: they are tagged O and do not break a span).
pub fn viterbi(scores: &[f32], keep: &[bool]) -> Vec<usize> {
    let n = keep.len();
    assert_eq!(scores.len(), n * TAGS, "scores must be n × {TAGS}");
    let idx: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
    let mut out = vec![0usize; n];
    if idx.is_empty() {
        return out;
    }
    let mut best = vec![[f32::NEG_INFINITY; TAGS]; idx.len()];
    let mut back = vec![[0usize; TAGS]; idx.len()];
    for (t, &i) in idx.iter().enumerate() {
        let s = &scores[i * TAGS..(i + 1) * TAGS];
        for to in 0..TAGS {
            if t == 0 {
                if allowed(None, to) {
                    best[0][to] = s[to];
                }
                continue;
            }
            for from in 0..TAGS {
                let prev = best[t - 1][from];
                if prev.is_finite() && allowed(Some(from), to) && prev + s[to] > best[t][to] {
                    best[t][to] = prev + s[to];
                    back[t][to] = from;
                }
            }
        }
    }
    let last = idx.len() - 1;
    let mut tag = (0..TAGS)
        .max_by(|&a, &b| best[last][a].total_cmp(&best[last][b]))
        .unwrap_or(0);
    for t in (0..idx.len()).rev() {
        out[idx[t]] = tag;
        tag = back[t][tag];
    }
    out
}

/// The spans of a tag sequence (tag indices): `(role, first token, last
/// token + 1)`; skipped tokens (O) inside a span are spanned over.
pub fn spans(tags: &[usize], keep: &[bool]) -> Vec<(Role, usize, usize)> {
    let mut out: Vec<(Role, usize, usize)> = Vec::new();
    let mut open: Option<(Role, usize, usize)> = None;
    for (i, &t) in tags.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        match Tag::from_index(t) {
            Tag::O => out.extend(open.take()),
            Tag::B(role) => {
                out.extend(open.take());
                open = Some((role, i, i + 1));
            }
            Tag::I(role) => {
                if let Some(o) = open.as_mut().filter(|o| o.0 == role) {
                    o.2 = i + 1;
                }
            }
        }
    }
    out.extend(open);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores with `best` tag at 0.0 and `second` at -0.1 per token, others -5.
    fn scores(rows: &[(usize, usize)]) -> Vec<f32> {
        rows.iter()
            .flat_map(|&(best, second)| {
                (0..TAGS).map(move |t| {
                    if t == best {
                        0.0
                    } else if t == second {
                        -0.1
                    } else {
                        -5.0
                    }
                })
            })
            .collect()
    }

    #[test]
    fn tag_numbers_round_trip() {
        for i in 0..TAGS {
            assert_eq!(Tag::from_index(i).index(), i);
        }
    }

    #[test]
    fn an_inside_tag_never_opens_a_span() {
        // Greedy: O, I-Content, I-Content: not a valid sequence. The second
        // choice B-Content for the first inside token repairs it.
        let s = scores(&[(0, 3), (6, 5), (6, 5)]);
        let keep = [true; 3];
        assert_eq!(viterbi(&s, &keep), [0, 5, 6]);
        assert_eq!(spans(&[0, 5, 6], &keep), [(Role::Content, 1, 3)]);
    }

    #[test]
    fn valid_greedy_sequences_are_kept() {
        // B-Source I-Source B-Cue B-Content I-Content.
        let s = scores(&[(1, 0), (2, 0), (3, 0), (5, 0), (6, 0)]);
        let keep = [true; 5];
        let tags = viterbi(&s, &keep);
        assert_eq!(tags, [1, 2, 3, 5, 6]);
        assert_eq!(
            spans(&tags, &keep),
            [
                (Role::Source, 0, 2),
                (Role::Cue, 2, 3),
                (Role::Content, 3, 5)
            ]
        );
    }

    #[test]
    fn special_tokens_are_skipped_and_do_not_break_spans() {
        // [CLS] B-Content <special> I-Content [SEP]
        let s = scores(&[(3, 0), (5, 0), (1, 0), (6, 0), (3, 0)]);
        let keep = [false, true, false, true, false];
        let tags = viterbi(&s, &keep);
        assert_eq!(tags, [0, 5, 0, 6, 0]);
        assert_eq!(spans(&tags, &keep), [(Role::Content, 1, 4)]);
        assert_eq!(viterbi(&s, &[false; 5]), [0; 5]);
    }
}
