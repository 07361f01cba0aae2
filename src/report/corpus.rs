//! Streaming annotated CSVs into per-article aggregates.
//!
//! Every statistic of the report is computed at the article level, so rows
//! are never kept: each row is folded into a small [`Article`] (counts per
//! label, voice, frame and speaker) the moment it is read, and only a
//! bounded top-K of example sentences per group × label keeps any text.
//! Memory thus grows with the number of articles and distinct speakers, not
//! with the number of sentences.
//!
//! Articles are identified by (outlet, article_id), so two outlets may use
//! the same ids and an article split over several rows or files is merged.
//! An article's group (the `--group-by` value), date and title are those of
//! its first row that has one.
//! Columns are found by header name in each file separately, so files may
//! order their columns differently and carry extra columns.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use crate::label::Label;
use crate::output::schema::{Header, MissingColumn, SegmentKind, Voice};

use super::period::Date;
use super::{ReportError, ReportOptions, FRAMES};

/// Group name given to rows whose group column is empty.
pub const MISSING_GROUP: &str = "(none)";

/// At most this many bad rows are kept for the message list; all are counted.
const MAX_BAD_ROW_SAMPLES: usize = 100;

/// One article, folded from its rows. Counts cover counted sentences only
/// (kind `sentence`, confidence ≥ the threshold).
#[derive(Debug, Clone, Default)]
pub struct Article {
    /// `article_id` as written.
    pub id: String,
    /// `outlet` as written.
    pub outlet: String,
    /// Index into [`Corpus::groups`].
    pub group: usize,
    /// First non-empty date of its rows.
    pub date: Option<Date>,
    /// First non-empty title of its rows.
    pub title: String,
    /// Counted sentences.
    pub n: u32,
    /// Counted sentences per label, indexed by [`Label::index`].
    pub labels: [u32; 3],
    /// Counted sentences in an attributed (someone else's) voice.
    pub attributed: u32,
    /// Counted sentences that are `framing_opinion` in the outlet's own voice.
    pub editorial_framing: u32,
    /// Sum of the confidences of counted sentences.
    pub conf_sum: f64,
    /// (index into [`Corpus::frames`], sentences carrying it), sorted by frame.
    pub frames: Vec<(usize, u32)>,
    /// (index into [`Corpus::speakers`], sentences), in first-seen order.
    pub speakers: Vec<(usize, u32)>,
}

impl Article {
    /// Share of counted sentences that are framing_opinion in editorial voice.
    pub fn editorial_framing_index(&self) -> f64 {
        ratio(self.editorial_framing, self.n)
    }
}

/// `x / n`, NaN when `n` is 0.
fn ratio(x: u32, n: u32) -> f64 {
    crate::stats::ratio(f64::from(x), f64::from(n)).unwrap_or(f64::NAN)
}

/// A sentence shown as an example, with where it came from.
#[derive(Debug, Clone)]
pub struct Example {
    /// The classifier's confidence.
    pub confidence: f64,
    /// The sentence.
    pub text: String,
    /// Index into [`Corpus::articles`].
    pub article: usize,
    /// Index into [`Corpus::files`].
    pub file: usize,
    /// Line of the row in its file.
    pub line: u64,
}

impl Example {
    /// Higher confidence first; among equals, the earliest row (deterministic).
    fn rank_cmp(&self, conf: f64, file: usize, line: u64) -> Ordering {
        self.confidence
            .total_cmp(&conf)
            .then_with(|| (file, line).cmp(&(self.file, self.line)))
    }
}

impl PartialEq for Example {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Example {}
impl PartialOrd for Example {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Example {
    /// Greater = a better example.
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank_cmp(other.confidence, other.file, other.line)
    }
}

/// The `k` best examples seen so far, in O(k) memory.
#[derive(Debug, Clone, Default)]
pub struct TopK {
    k: usize,
    heap: BinaryHeap<Reverse<Example>>,
}

impl TopK {
    /// Keeps at most `k` examples.
    pub fn new(k: usize) -> TopK {
        TopK {
            k,
            heap: BinaryHeap::new(),
        }
    }

    /// Offers a candidate; `make` (which allocates the text) runs only if it is kept.
    pub fn offer(
        &mut self,
        confidence: f64,
        file: usize,
        line: u64,
        make: impl FnOnce() -> Example,
    ) {
        if self.k == 0 {
            return;
        }
        if self.heap.len() == self.k {
            let worst = &self.heap.peek().expect("k > 0").0;
            if worst.rank_cmp(confidence, file, line) != Ordering::Less {
                return;
            }
            self.heap.pop();
        }
        self.heap.push(Reverse(make()));
    }

    /// The kept examples, best first.
    pub fn sorted(&self) -> Vec<&Example> {
        let mut v: Vec<&Example> = self.heap.iter().map(|r| &r.0).collect();
        v.sort_by(|a, b| b.cmp(a));
        v
    }
}

/// Everything the report needs from the input, aggregated per article.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Input files, in command-line order.
    pub files: Vec<PathBuf>,
    /// Group names, sorted; articles refer to them by index.
    pub groups: Vec<String>,
    /// Articles in order of first appearance.
    pub articles: Vec<Article>,
    /// Frames present in counted sentences: codebook frames in codebook order,
    /// then other frames alphabetically.
    pub frames: Vec<String>,
    /// Distinct speakers, as entities: `speaker_entity` (or `speaker` in
    /// files without it) folded by `crate::entities::key`, a surname joined
    /// to the one full name ending with it, each shown as its most frequent
    /// spelling.
    pub speakers: Vec<String>,
    /// Per group: source type → counted sentences.
    pub source_types: Vec<HashMap<String, u64>>,
    /// Per group, per label: best examples.
    pub examples: Vec<[TopK; 3]>,
    /// Sentence rows read (valid ones, counted or not).
    pub sentences_read: u64,
    /// Sentences excluded by `--min-confidence`.
    pub excluded: u64,
    /// Rows skipped because they were invalid.
    pub bad_rows: usize,
    /// The first bad rows, as [`ReportError::BadRow`].
    pub bad_row_samples: Vec<ReportError>,
}

/// Header positions of the columns the report uses in one file.
struct Columns {
    article_id: usize,
    outlet: usize,
    kind: usize,
    label: usize,
    confidence: usize,
    text: usize,
    group: usize,
    date: Option<usize>,
    title: Option<usize>,
    voice: Option<usize>,
    speaker: Option<usize>,
    /// Absent from files written before the column existed: `speaker` then.
    speaker_entity: Option<usize>,
    source_type: Option<usize>,
    frames: Option<usize>,
}

impl Columns {
    fn find(
        headers: &csv::StringRecord,
        file: &Path,
        group_by: &str,
    ) -> Result<Columns, ReportError> {
        let header = Header::new(headers);
        let opt = |name: &str| header.find(name);
        let req = |name: &str| {
            header
                .require(name)
                .map_err(|MissingColumn(column)| ReportError::MissingColumn {
                    file: file.to_path_buf(),
                    column,
                })
        };
        Ok(Columns {
            article_id: req("article_id")?,
            outlet: req("outlet")?,
            kind: req("kind")?,
            label: req("label")?,
            confidence: req("confidence")?,
            text: req("text")?,
            group: req(group_by)?,
            date: opt("date"),
            title: opt("title"),
            voice: opt("voice"),
            speaker: opt("speaker"),
            speaker_entity: opt("speaker_entity"),
            source_type: opt("source_type"),
            frames: opt("frames"),
        })
    }
}

/// A sentence row that passed validation.
struct Sentence {
    label: Label,
    confidence: f64,
    attributed: bool,
}

/// Builds a [`Corpus`] row by row.
struct Builder<'o> {
    opts: &'o ReportOptions,
    corpus: Corpus,
    article_ix: HashMap<String, usize>,
    group_ix: HashMap<String, usize>,
    frame_ix: HashMap<String, usize>,
    frame_names: Vec<String>,
    /// Entity key → index into [`Corpus::speakers`].
    speaker_ix: HashMap<String, usize>,
    /// Per speaker index: its key, and its spellings with their counts.
    speaker_keys: Vec<String>,
    spellings: Vec<Vec<(String, u32)>>,
    key: String,
    last: Option<usize>,
}

/// Reads every input file of `opts` into a [`Corpus`].
///
/// Invalid rows are counted and skipped; a missing file, an unreadable file
/// or a missing required column is an error.
pub fn read(opts: &ReportOptions) -> Result<Corpus, ReportError> {
    let mut b = Builder {
        opts,
        corpus: Corpus::default(),
        article_ix: HashMap::new(),
        group_ix: HashMap::new(),
        frame_ix: HashMap::new(),
        frame_names: Vec::new(),
        speaker_ix: HashMap::new(),
        speaker_keys: Vec::new(),
        spellings: Vec::new(),
        key: String::new(),
        last: None,
    };
    for (i, path) in opts.inputs.iter().enumerate() {
        b.corpus.files.push(path.clone());
        b.read_file(i, path)?;
    }
    Ok(b.finish())
}

fn field(rec: &csv::StringRecord, col: usize) -> &str {
    rec.get(col).unwrap_or("").trim()
}

fn opt_field(rec: &csv::StringRecord, col: Option<usize>) -> &str {
    col.map_or("", |c| field(rec, c))
}

impl Builder<'_> {
    fn read_file(&mut self, file_ix: usize, path: &Path) -> Result<(), ReportError> {
        let io_err = |source| ReportError::Io {
            path: path.to_path_buf(),
            source,
        };
        let f = File::open(path).map_err(io_err)?;
        let mut rdr = csv::ReaderBuilder::new().from_reader(BufReader::with_capacity(1 << 16, f));
        let headers = rdr.headers().map_err(|e| csv_fatal(path, e))?.clone();
        let cols = Columns::find(&headers, path, &self.opts.group_by)?;
        self.last = None;
        let mut rec = csv::StringRecord::new();
        loop {
            match rdr.read_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {
                    let line = rec.position().map_or(0, |p| p.line());
                    if let Err(reason) = self.row(&rec, &cols, file_ix, line) {
                        self.bad_row(path, line, reason);
                    }
                }
                Err(e) => match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        pos,
                        expected_len,
                        len,
                    } => {
                        let line = pos.as_ref().map_or(0, |p| p.line());
                        let reason = format!("{len} fields where the header has {expected_len}");
                        self.bad_row(path, line, reason);
                    }
                    csv::ErrorKind::Utf8 { pos, err } => {
                        let line = pos.as_ref().map_or(0, |p| p.line());
                        self.bad_row(
                            path,
                            line,
                            format!("invalid UTF-8 in field {}", err.field() + 1),
                        );
                    }
                    _ => return Err(csv_fatal(path, e)),
                },
            }
        }
        Ok(())
    }

    fn bad_row(&mut self, file: &Path, line: u64, reason: String) {
        self.corpus.bad_rows += 1;
        if self.corpus.bad_row_samples.len() < MAX_BAD_ROW_SAMPLES {
            self.corpus.bad_row_samples.push(ReportError::BadRow {
                file: file.to_path_buf(),
                line,
                reason,
            });
        }
    }

    /// Validates a row completely, then folds it into its article.
    fn row(
        &mut self,
        rec: &csv::StringRecord,
        cols: &Columns,
        file: usize,
        line: u64,
    ) -> Result<(), String> {
        let id = field(rec, cols.article_id);
        if id.is_empty() {
            return Err("empty article_id".into());
        }
        let date = match opt_field(rec, cols.date) {
            "" => None,
            s => Some(Date::parse(s)?),
        };
        let kind: SegmentKind = field(rec, cols.kind).parse().map_err(|e| format!("{e}"))?;
        let sentence = match kind {
            SegmentKind::Sentence => Some(parse_sentence(rec, cols)?),
            SegmentKind::Heading | SegmentKind::Boilerplate => None,
        };

        let a = self.article(rec, cols, id);
        let art = &mut self.corpus.articles[a];
        if art.date.is_none() {
            art.date = date;
        }
        if art.title.is_empty() {
            art.title = opt_field(rec, cols.title).to_string();
        }
        let Some(s) = sentence else { return Ok(()) };
        self.corpus.sentences_read += 1;
        if self
            .opts
            .min_confidence
            .is_some_and(|min| s.confidence < min)
        {
            self.corpus.excluded += 1;
            return Ok(());
        }

        let art = &mut self.corpus.articles[a];
        let group = art.group;
        art.n += 1;
        art.labels[s.label.index()] += 1;
        art.conf_sum += s.confidence;
        if s.attributed {
            art.attributed += 1;
        } else if s.label == Label::FramingOpinion {
            art.editorial_framing += 1;
        }

        let mut seen: Vec<usize> = Vec::new();
        for name in opt_field(rec, cols.frames)
            .split(';')
            .map(str::trim)
            .filter(|f| !f.is_empty())
        {
            let f = intern(&mut self.frame_ix, &mut self.frame_names, name);
            if !seen.contains(&f) {
                seen.push(f);
                bump(&mut self.corpus.articles[a].frames, f);
            }
        }
        let speaker = match opt_field(rec, cols.speaker_entity) {
            "" => opt_field(rec, cols.speaker),
            entity => entity,
        };
        let key = crate::entities::key(speaker);
        if !key.is_empty() {
            let sp = intern(&mut self.speaker_ix, &mut self.speaker_keys, &key);
            if sp == self.spellings.len() {
                self.spellings.push(Vec::new());
            }
            bump_name(&mut self.spellings[sp], speaker, 1);
            bump(&mut self.corpus.articles[a].speakers, sp);
        }
        let source_type = opt_field(rec, cols.source_type);
        if !source_type.is_empty() {
            let m = &mut self.corpus.source_types[group];
            match m.get_mut(source_type) {
                Some(c) => *c += 1,
                None => {
                    m.insert(source_type.to_string(), 1);
                }
            }
        }
        self.corpus.examples[group][s.label.index()].offer(s.confidence, file, line, || Example {
            confidence: s.confidence,
            text: field(rec, cols.text).to_string(),
            article: a,
            file,
            line,
        });
        Ok(())
    }

    /// Index of the row's article, created on first sight.
    fn article(&mut self, rec: &csv::StringRecord, cols: &Columns, id: &str) -> usize {
        let outlet = field(rec, cols.outlet);
        // Rows of an article are usually contiguous: check the last one first.
        if let Some(last) = self.last {
            let art = &self.corpus.articles[last];
            if art.id == id && art.outlet == outlet {
                return last;
            }
        }
        self.key.clear();
        self.key.push_str(outlet);
        self.key.push('\u{1f}');
        self.key.push_str(id);
        let a = match self.article_ix.get(self.key.as_str()) {
            Some(&a) => a,
            None => {
                let group_name = match field(rec, cols.group) {
                    "" => MISSING_GROUP,
                    g => g,
                };
                let group = match self.group_ix.get(group_name) {
                    Some(&g) => g,
                    None => {
                        let g = self.corpus.groups.len();
                        self.group_ix.insert(group_name.to_string(), g);
                        self.corpus.groups.push(group_name.to_string());
                        self.corpus.source_types.push(HashMap::new());
                        let k = self.opts.examples;
                        self.corpus
                            .examples
                            .push([TopK::new(k), TopK::new(k), TopK::new(k)]);
                        g
                    }
                };
                let a = self.corpus.articles.len();
                self.corpus.articles.push(Article {
                    id: id.to_string(),
                    outlet: outlet.to_string(),
                    group,
                    ..Article::default()
                });
                self.article_ix.insert(self.key.clone(), a);
                a
            }
        };
        self.last = Some(a);
        a
    }

    /// Sorts groups by name and frames in codebook order, renumbering
    /// references; joins surnames to full names and names each speaker.
    fn finish(mut self) -> Corpus {
        self.name_speakers();
        let c = &mut self.corpus;

        let mut order: Vec<usize> = (0..c.groups.len()).collect();
        order.sort_by(|&x, &y| c.groups[x].cmp(&c.groups[y]));
        let mut new_group = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_group[old] = new;
        }
        c.groups = order
            .iter()
            .map(|&o| std::mem::take(&mut c.groups[o]))
            .collect();
        c.source_types = order
            .iter()
            .map(|&o| std::mem::take(&mut c.source_types[o]))
            .collect();
        c.examples = order
            .iter()
            .map(|&o| std::mem::take(&mut c.examples[o]))
            .collect();

        let names = &self.frame_names;
        let rank = |f: usize| match FRAMES.iter().position(|&k| k == names[f]) {
            Some(p) => (0, p, ""),
            None => (1, 0, names[f].as_str()),
        };
        let mut forder: Vec<usize> = (0..names.len()).collect();
        forder.sort_by(|&x, &y| rank(x).cmp(&rank(y)));
        let mut new_frame = vec![0; forder.len()];
        for (new, &old) in forder.iter().enumerate() {
            new_frame[old] = new;
        }
        c.frames = forder.iter().map(|&o| names[o].clone()).collect();

        for art in &mut c.articles {
            art.group = new_group[art.group];
            for f in &mut art.frames {
                f.0 = new_frame[f.0];
            }
            art.frames.sort_unstable();
        }
        self.corpus
    }
}

impl Builder<'_> {
    /// Fills [`Corpus::speakers`]: a one-word key that ends exactly one longer
    /// key joins it (articles' counts merged), and each speaker is shown as
    /// its most frequent spelling (the first in byte order on ties).
    fn name_speakers(&mut self) {
        let keys: Vec<&str> = self.speaker_keys.iter().map(String::as_str).collect();
        let joined = crate::entities::join_surnames(&keys);
        let target: Vec<usize> = joined.iter().map(|k| self.speaker_ix[*k]).collect();
        for (from, &to) in target.iter().enumerate() {
            if from != to {
                for (name, n) in std::mem::take(&mut self.spellings[from]) {
                    bump_name(&mut self.spellings[to], &name, n);
                }
            }
        }
        self.corpus.speakers = self
            .spellings
            .iter()
            .map(|names| {
                names
                    .iter()
                    .min_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)))
                    .map_or_else(String::new, |x| x.0.clone())
            })
            .collect();
        for art in &mut self.corpus.articles {
            if art.speakers.iter().any(|&(s, _)| target[s] != s) {
                let mut merged: Vec<(usize, u32)> = Vec::with_capacity(art.speakers.len());
                for &(s, n) in &art.speakers {
                    match merged.iter_mut().find(|(k, _)| *k == target[s]) {
                        Some((_, c)) => *c += n,
                        None => merged.push((target[s], n)),
                    }
                }
                art.speakers = merged;
            }
        }
    }
}

fn bump_name(names: &mut Vec<(String, u32)>, name: &str, n: u32) {
    match names.iter_mut().find(|(k, _)| k == name) {
        Some((_, c)) => *c += n,
        None => names.push((name.to_string(), n)),
    }
}

fn parse_sentence(rec: &csv::StringRecord, cols: &Columns) -> Result<Sentence, String> {
    let label = match field(rec, cols.label) {
        "" => return Err("sentence without a label".into()),
        s => s.parse::<Label>().map_err(|e| e.to_string())?,
    };
    let c = field(rec, cols.confidence);
    let confidence: f64 = c
        .parse()
        .map_err(|_| format!("confidence {c:?} is not a number"))?;
    if !(0.0..=1.0).contains(&confidence) {
        return Err(format!("confidence {c} is outside [0, 1]"));
    }
    let voice = match opt_field(rec, cols.voice) {
        "" => Voice::of(label),
        s => s.parse::<Voice>().map_err(|e| e.to_string())?,
    };
    let attributed = voice == Voice::Attributed;
    Ok(Sentence {
        label,
        confidence,
        attributed,
    })
}

fn intern(ix: &mut HashMap<String, usize>, names: &mut Vec<String>, name: &str) -> usize {
    if let Some(&i) = ix.get(name) {
        return i;
    }
    let i = names.len();
    ix.insert(name.to_string(), i);
    names.push(name.to_string());
    i
}

fn bump(counts: &mut Vec<(usize, u32)>, key: usize) {
    match counts.iter_mut().find(|(k, _)| *k == key) {
        Some((_, c)) => *c += 1,
        None => counts.push((key, 1)),
    }
}

fn csv_fatal(path: &Path, e: csv::Error) -> ReportError {
    ReportError::Io {
        path: path.to_path_buf(),
        source: e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(confidence: f64, line: u64) -> Example {
        Example {
            confidence,
            text: format!("line {line}"),
            article: 0,
            file: 0,
            line,
        }
    }

    #[test]
    fn top_k_keeps_highest_confidence_earliest_first() {
        let mut t = TopK::new(2);
        for (c, line) in [(0.7, 2), (0.9, 3), (0.9, 4), (0.95, 5), (0.9, 6), (0.1, 7)] {
            t.offer(c, 0, line, || ex(c, line));
        }
        let got: Vec<(f64, u64)> = t.sorted().iter().map(|e| (e.confidence, e.line)).collect();
        // 0.95 first; among the 0.9s the earliest row (line 3) wins.
        assert_eq!(got, vec![(0.95, 5), (0.9, 3)]);
    }

    #[test]
    fn top_k_zero_keeps_nothing() {
        let mut t = TopK::new(0);
        t.offer(1.0, 0, 1, || ex(1.0, 1));
        assert!(t.sorted().is_empty());
    }

    #[test]
    fn speakers_are_counted_as_entities_old_files_by_speaker() {
        let dir = std::env::temp_dir().join(format!("framelens-entities-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let row = |id: &str, speaker: &str| {
            format!("{id},o,sentence,t,official_claim,0.9,{speaker},a dit,government\n")
        };
        // Written before speaker_entity existed: read by speaker.
        let old = dir.join("old.csv");
        let head = "article_id,outlet,kind,text,label,confidence,speaker,cue,source_type\n";
        let body = row("a1", "M. Dumarsan") + &row("a1", "Castel") + &row("a2", "castel");
        std::fs::write(&old, format!("{head}{body}")).unwrap();
        let new = dir.join("new.csv");
        let head = "article_id,outlet,kind,text,label,confidence,speaker,speaker_entity,cue\n";
        let body = "a3,o,sentence,t,official_claim,0.9,le ministre,Pierre Dumarsan,a dit\n\
                    a3,o,sentence,t,official_claim,0.9,Le ministre de l’Intérieur Pierre Dumarsan,Pierre Dumarsan,a dit\n";
        std::fs::write(&new, format!("{head}{body}")).unwrap();
        let opts = ReportOptions {
            inputs: vec![old, new],
            ..ReportOptions::default()
        };
        let c = read(&opts).unwrap();
        let counts = |a: &Article| -> Vec<(String, u32)> {
            a.speakers
                .iter()
                .map(|&(s, n)| (c.speakers[s].clone(), n))
                .collect()
        };
        // "M. Dumarsan" joins the one full name ending with it; "Castel" and
        // "castel" are one speaker, shown as the first spelling on ties.
        let want = |v: &[(&str, u32)]| -> Vec<(String, u32)> {
            v.iter().map(|&(s, n)| (s.to_string(), n)).collect()
        };
        assert_eq!(
            counts(&c.articles[0]),
            want(&[("Pierre Dumarsan", 1), ("Castel", 1)])
        );
        assert_eq!(counts(&c.articles[1]), want(&[("Castel", 1)]));
        assert_eq!(counts(&c.articles[2]), want(&[("Pierre Dumarsan", 2)]));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bump_counts() {
        let mut v = Vec::new();
        bump(&mut v, 3);
        bump(&mut v, 1);
        bump(&mut v, 3);
        assert_eq!(v, vec![(3, 2), (1, 1)]);
    }
}
