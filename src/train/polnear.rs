//! PolNeAR (English political news with hand-annotated attributions) read for
//! training the attribution span tagger, and its spans turned into per-token
//! BIO tags.
//!
//! The corpus is brat standoff (`../shared/data/polnear/PROVENANCE.md`):
//! `text/NAME.txt` and `attributions/NAME[_annotator].ann`, whose `T` lines are
//! `Source`, `Cue` and `Content` spans in Unicode characters (`start end`, or
//! `start end;start end` for a discontinuous span). An article annotated by
//! several annotators has one `.ann` per annotator: the first in sorted order
//! is read, as `../shared/tools/polnear_score.py` does, so training and scoring
//! see the same gold. PolNeAR states no licence; what is trained on it says so.
//! Only the `train` and `dev` splits exist in `../shared`; nothing here looks
//! for the test split.
// The tagger trainer (issue 14) is the first caller; until it lands, only the
// tests below use this module.

use super::TrainError;
pub use crate::attribute::decode::{Role, Tag};
use std::collections::BTreeMap;
use std::path::Path;

/// One span of an article, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleSpan {
    pub role: Role,
    pub start: usize,
    pub end: usize,
}

/// One article: its text and every Source / Cue / Content piece in it.
#[derive(Debug, Clone)]
pub struct PolnearArticle {
    /// The file name without `.txt`.
    pub id: String,
    pub text: String,
    pub spans: Vec<RoleSpan>,
}

/// Reads the `.ann` text of one article into its role spans.
pub fn parse_ann(ann: &str) -> Result<Vec<RoleSpan>, String> {
    let mut out = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        let mut fields = line.split('\t');
        let (Some(id), Some(body)) = (fields.next(), fields.next()) else {
            continue;
        };
        // Span texts may run over several lines: only `T<n>` lines are spans.
        if !(id.len() > 1 && id.starts_with('T') && id[1..].bytes().all(|b| b.is_ascii_digit())) {
            continue;
        }
        let (kind, offsets) = body
            .split_once(' ')
            .ok_or_else(|| format!("line {}: no offsets in {line:?}", n + 1))?;
        let role = match kind {
            "Source" => Role::Source,
            "Cue" => Role::Cue,
            "Content" => Role::Content,
            _ => continue,
        };
        for piece in offsets.split(';') {
            let mut it = piece.split_whitespace().map(str::parse::<usize>);
            match (it.next(), it.next()) {
                (Some(Ok(start)), Some(Ok(end))) if start <= end => {
                    out.push(RoleSpan { role, start, end })
                }
                _ => return Err(format!("line {}: bad offsets {piece:?}", n + 1)),
            }
        }
    }
    Ok(out)
}

/// Every article of a split directory (`…/polnear/train` or `…/dev`), sorted by id.
pub fn read_split(dir: &Path) -> Result<Vec<PolnearArticle>, TrainError> {
    let err = |path: &Path, reason: String| TrainError::Dataset {
        path: path.to_path_buf(),
        reason,
    };
    let ann_dir = dir.join("attributions");
    let mut anns: Vec<_> = std::fs::read_dir(&ann_dir)
        .map_err(|e| err(&ann_dir, e.to_string()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ann"))
        .collect();
    anns.sort();
    // Article name → its first annotation file (`name_<annotator>.ann`).
    let mut first: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
    for path in anns {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let name = stem.rsplit_once('_').map_or(&*stem, |(a, _)| a).to_string();
        first.entry(name).or_insert(path);
    }
    let mut out = Vec::with_capacity(first.len());
    for (id, ann_path) in first {
        let txt_path = dir.join("text").join(format!("{id}.txt"));
        let text = std::fs::read_to_string(&txt_path).map_err(|e| err(&txt_path, e.to_string()))?;
        let ann = std::fs::read_to_string(&ann_path).map_err(|e| err(&ann_path, e.to_string()))?;
        let spans = parse_ann(&ann).map_err(|reason| err(&ann_path, reason))?;
        let n = text.chars().count();
        if let Some(bad) = spans.iter().find(|s| s.end > n) {
            return Err(err(
                &ann_path,
                format!(
                    "span {}..{} beyond the text ({n} characters)",
                    bad.start, bad.end
                ),
            ));
        }
        out.push(PolnearArticle { id, text, spans });
    }
    Ok(out)
}

/// BIO tags of a sentence's tokens. `tokens` are character spans in the
/// sentence (as `encode::TokenStates::spans`, `None` for special tokens, which
/// are `O`); `offset` is where the sentence starts in the article. A token takes
/// the role of the span covering its first character (where spans of different
/// attributions nest, Cue wins over Source over Content, then the shortest: a
/// cue inside another attribution's content is still a cue); it begins a span
/// when the previous token is not in that same span.
pub fn tags(tokens: &[Option<(usize, usize)>], offset: usize, spans: &[RoleSpan]) -> Vec<Tag> {
    let rank = |r: Role| match r {
        Role::Cue => 0,
        Role::Source => 1,
        Role::Content => 2,
    };
    let covering = |c: usize| {
        (0..spans.len())
            .filter(|&k| spans[k].start <= c && c < spans[k].end)
            .min_by_key(|&k| (rank(spans[k].role), spans[k].end - spans[k].start))
    };
    let mut prev: Option<usize> = None;
    tokens
        .iter()
        .map(|t| {
            let Some((a, _)) = t else {
                prev = None;
                return Tag::O;
            };
            match covering(offset + a) {
                None => {
                    prev = None;
                    Tag::O
                }
                Some(k) => {
                    let tag = if prev == Some(k) {
                        Tag::I(spans[k].role)
                    } else {
                        Tag::B(spans[k].role)
                    };
                    prev = Some(k);
                    tag
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANN: &str = "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\n\
                       T3\tContent 15 29;31 40\tthe plan works well\n\
                       E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n\
                       #1\tDiscuss T1\tnote\n";

    #[test]
    fn brat_spans_are_read_with_discontinuous_pieces() {
        let spans = parse_ann(ANN).unwrap();
        assert_eq!(spans.len(), 4);
        assert_eq!(
            spans[0],
            RoleSpan {
                role: Role::Source,
                start: 0,
                end: 9
            }
        );
        assert_eq!(
            spans[3],
            RoleSpan {
                role: Role::Content,
                start: 31,
                end: 40
            }
        );
        assert!(parse_ann("T1\tCue 5 x\tsaid\n").is_err());
        // A span text over two lines: the second line is not a span.
        let two = "T1\tContent 0 20\tfirst line\nThe second\tline\nT2\tCue 21 25\tsaid\n";
        assert_eq!(parse_ann(two).unwrap().len(), 2);
    }

    #[test]
    fn tokens_get_bio_tags_by_their_first_character() {
        let spans = parse_ann(ANN).unwrap();
        // "The mayor said the plan works" at offset 0, one token per word, plus specials.
        let tokens = [
            None,
            Some((0, 3)),
            Some((4, 9)),
            Some((10, 14)),
            Some((15, 18)),
            Some((19, 23)),
            None,
        ];
        let t = tags(&tokens, 0, &spans);
        use Role::*;
        assert_eq!(
            t,
            [
                Tag::O,
                Tag::B(Source),
                Tag::I(Source),
                Tag::B(Cue),
                Tag::B(Content),
                Tag::I(Content),
                Tag::O
            ]
        );
        assert_eq!(
            t.iter().map(|t| t.index()).collect::<Vec<_>>(),
            [0, 1, 2, 3, 5, 6, 0]
        );
        // The same sentence later in the article: offsets shift.
        let shifted: Vec<RoleSpan> = spans
            .iter()
            .map(|s| RoleSpan {
                start: s.start + 100,
                end: s.end + 100,
                ..*s
            })
            .collect();
        assert_eq!(tags(&tokens, 100, &shifted), t);
        // A cue nested in another attribution's content is a cue.
        let nested = [
            RoleSpan {
                role: Content,
                start: 0,
                end: 23,
            },
            RoleSpan {
                role: Cue,
                start: 10,
                end: 14,
            },
        ];
        assert_eq!(
            tags(&tokens[2..4], 0, &nested),
            [Tag::B(Content), Tag::B(Cue)]
        );
        // A second piece of the same Content is a new span.
        let t2 = tags(&[Some((25, 29)), Some((31, 34))], 0, &spans);
        assert_eq!(t2, [Tag::B(Content), Tag::B(Content)]);
    }

    #[test]
    fn the_dev_split_reads_whole() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/polnear/dev");
        let arts = read_split(&dir).unwrap();
        assert_eq!(arts.len(), 84);
        let cues = arts
            .iter()
            .flat_map(|a| &a.spans)
            .filter(|s| s.role == Role::Cue)
            .count();
        assert!(cues > 2000, "{cues} cue pieces");
        // Spans are characters: "said" is the commonest cue, cut exactly.
        let said = arts
            .iter()
            .flat_map(|a| a.spans.iter().map(move |s| (a, s)))
            .filter(|(a, s)| {
                s.role == Role::Cue
                    && a.text
                        .chars()
                        .skip(s.start)
                        .take(s.end - s.start)
                        .collect::<String>()
                        == "said"
            })
            .count();
        assert!(said > 400, "{said} cues read \"said\"");
    }
}
