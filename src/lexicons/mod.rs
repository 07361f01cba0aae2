//! Word lists as data: the files under `lexicons/` (see `lexicons/README.md`).
//!
//! The files are compiled in, so the binary needs nothing beside it. A
//! directory given with `--lexicon DIR` overrides them file by file: a file
//! missing there falls back to the built-in one, so a user edits only the list
//! they care about; a `.txt` file there that is not a known lexicon is an
//! error, so a misspelt name does not silently change nothing.
//!
//! Files are parsed once, into the tables the stages use ([`Lexicons`]), and
//! every error names the file and line. The lists that decide the attribution
//! features a classifier head is trained on are hashed ([`Lexicons::hash`]);
//! `head.json` records that hash and a head refuses other lists. Segmentation,
//! boilerplate, entity, report and article-level attribution lists
//! (continuation cues) do not change a sentence's features, so they stay out
//! of the hash: editing them needs no retraining.

use crate::hash::stable_hash_bytes;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A lexicon file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// A lexicon file or directory could not be read.
    #[error("cannot read lexicon {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A `.txt` file in a `--lexicon` directory that no stage reads.
    #[error("{path} is not a known lexicon file (known files are listed in lexicons/README.md)")]
    UnknownFile { path: PathBuf },
    /// A line of a lexicon file is malformed.
    #[error("{file}:{line}: {reason}")]
    Syntax {
        file: String,
        line: usize,
        reason: String,
    },
    /// A section the built-in file has is missing.
    #[error("{file}: section [{section}] is missing")]
    MissingSection { file: String, section: String },
    /// `--lexicon` came after the lexicons were already in use.
    #[error("lexicons are already in use; --lexicon must be given before anything is annotated")]
    AlreadyInstalled,
}

/// Which stage reads a file: only [`Stage::Features`] files go into the hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Read by the attribute stage, whose output is the head's input features.
    Features,
    /// Read by segmentation or boilerplate detection.
    Segment,
    /// Read by the article-level attribution pass (quotations continued
    /// across sentences), which never changes one sentence's features.
    Article,
    /// Read by the entities stage (`speaker_entity`, the report's speaker fold).
    Entities,
}

macro_rules! builtin {
    ($($stage:ident $name:literal,)*) => {
        &[$((Stage::$stage, $name, include_str!(concat!("../../lexicons/", $name))),)*]
    };
}

/// Every lexicon file, in the fixed order of the hash.
const BUILTIN: &[(Stage, &str, &str)] = builtin![
    Features "fr/verbs.txt",
    Features "fr/verbs-irregular.txt",
    Features "fr/homographs.txt",
    Features "fr/act-nouns.txt",
    Features "fr/sourcing.txt",
    Features "fr/statements.txt",
    Features "fr/endorsements.txt",
    Features "fr/infinitive-frames.txt",
    Features "fr/adverbials.txt",
    Features "fr/function-words.txt",
    Features "fr/elided-gender.txt",
    Features "fr/adjective-endings.txt",
    Features "fr/adjectives-after-noun.txt",
    Features "fr/adjectives-before-noun.txt",
    Features "en/verbs.txt",
    Features "en/verbs-irregular.txt",
    Features "en/clause-verbs.txt",
    Features "en/homographs.txt",
    Features "en/act-nouns.txt",
    Features "en/sourcing.txt",
    Features "en/statements.txt",
    Features "en/endorsements.txt",
    Features "en/infinitive-frames.txt",
    Features "en/adverbials.txt",
    Features "en/function-words.txt",
    Features "common/source-keywords.txt",
    Features "common/source-keywords-sahel.txt",
    Features "common/source-places.txt",
    Features "common/documents.txt",
    Features "common/titles.txt",
    Features "common/collective-subjects.txt",
    Features "common/for-x-excluded.txt",
    Features "common/not-sources.txt",
    Features "common/pre-head.txt",
    Features "common/surname-particles.txt",
    Features "common/given-titles.txt",
    Features "common/honorifics.txt",
    Features "common/roles-taking-at.txt",
    Features "common/participial-openers.txt",
    Features "common/emphatic-pronouns.txt",
    Segment "fr/abbreviations.txt",
    Segment "en/abbreviations.txt",
    Segment "en/speech-verbs.txt",
    Segment "common/sentence-openers.txt",
    Segment "common/boilerplate.txt",
    Article "fr/continuation-cues.txt",
    Article "en/continuation-cues.txt",
    Entities "fr/entities.txt",
    Entities "en/entities.txt",
];

/// One entry: its text and the `|`-separated fields after it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub text: &'static str,
    pub fields: Vec<&'static str>,
    pub line: usize,
}

/// A `[name]` section of a file; entries before any header are in section "".
#[derive(Debug)]
pub(crate) struct Section {
    pub name: &'static str,
    /// Line of the header, 0 for section "".
    pub line: usize,
    pub entries: Vec<Entry>,
}

/// One parsed lexicon file.
#[derive(Debug)]
pub(crate) struct File {
    /// Where it came from, for messages: the path, or `lexicons/NAME (built in)`.
    pub origin: String,
    pub sections: Vec<Section>,
}

impl File {
    /// The entries of a file without sections.
    pub fn words(&self) -> Vec<&'static str> {
        self.section("").iter().map(|e| e.text).collect()
    }

    /// The entries of section `name` (empty if absent: sections are checked at load).
    pub fn section(&self, name: &str) -> &[Entry] {
        self.sections
            .iter()
            .find(|s| s.name == name)
            .map_or(&[], |s| &s.entries)
    }

    /// A syntax error at `line` of this file.
    pub fn error(&self, line: usize, reason: impl Into<String>) -> LexiconError {
        LexiconError::Syntax {
            file: self.origin.clone(),
            line,
            reason: reason.into(),
        }
    }
}

/// The parsed files, by name (`fr/verbs.txt`).
#[derive(Debug)]
pub(crate) struct Files {
    by_name: HashMap<&'static str, File>,
}

impl Files {
    /// The file `name`, one of [`BUILTIN`].
    pub fn get(&self, name: &str) -> &File {
        self.by_name
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in lexicons::BUILTIN"))
    }
}

/// Parses `text`: one entry per line, `#` comments, `[section]` headers,
/// fields after ` | `.
fn parse(origin: String, text: &'static str) -> Result<File, LexiconError> {
    let mut sections = vec![Section {
        name: "",
        line: 0,
        entries: Vec::new(),
    }];
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[') {
            let Some(name) = name.strip_suffix(']') else {
                return Err(LexiconError::Syntax {
                    file: origin,
                    line: i + 1,
                    reason: format!("unclosed section header {line:?}"),
                });
            };
            sections.push(Section {
                name: name.trim(),
                line: i + 1,
                entries: Vec::new(),
            });
            continue;
        }
        let mut parts = line.split('|').map(str::trim);
        let text = parts.next().unwrap_or_default();
        let fields: Vec<&str> = parts.collect();
        if text.is_empty() || fields.iter().any(|f| f.is_empty()) {
            return Err(LexiconError::Syntax {
                file: origin,
                line: i + 1,
                reason: format!("empty entry or field in {line:?}"),
            });
        }
        let section = sections.last_mut().expect("starts with one section");
        section.entries.push(Entry {
            text,
            fields,
            line: i + 1,
        });
    }
    Ok(File { origin, sections })
}

/// Checks that `file` has the sections of the built-in `builtin`, and fields
/// only where the built-in one has them.
fn check_shape(file: &File, builtin: &File) -> Result<(), LexiconError> {
    let sectioned = builtin.sections.len() > 1;
    if let Some(e) = file.sections[0].entries.first().filter(|_| sectioned) {
        return Err(file.error(e.line, format!("{:?} is before any [section]", e.text)));
    }
    for s in &file.sections {
        let Some(b) = builtin.sections.iter().find(|b| b.name == s.name) else {
            return Err(file.error(s.line, format!("unknown section [{}]", s.name)));
        };
        let takes_fields = b.entries.iter().any(|e| !e.fields.is_empty());
        if let Some(e) = s
            .entries
            .iter()
            .find(|e| !takes_fields && !e.fields.is_empty())
        {
            return Err(file.error(e.line, format!("{:?} takes no fields", e.text)));
        }
    }
    for b in &builtin.sections {
        if !b.name.is_empty() && !file.sections.iter().any(|s| s.name == b.name) {
            return Err(LexiconError::MissingSection {
                file: file.origin.clone(),
                section: b.name.into(),
            });
        }
    }
    Ok(())
}

/// Every lexicon, parsed, and the tables built from them.
pub struct Lexicons {
    pub(crate) attribute: crate::attribute::Lexicon,
    pub(crate) segment: crate::segment::SegmentLexicon,
    pub(crate) entities: crate::entities::EntityLexicon,
    hash: String,
}

impl std::fmt::Debug for Lexicons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Lexicons({})", self.hash)
    }
}

impl Lexicons {
    /// The lexicons compiled in.
    pub fn builtin() -> Lexicons {
        Lexicons::load(None).expect("the built-in lexicons are valid (tested)")
    }

    /// The lexicons of `dir` (file by file, the built-in ones for files it
    /// lacks), or the built-in ones.
    pub fn load(dir: Option<&Path>) -> Result<Lexicons, LexiconError> {
        if let Some(dir) = dir {
            check_names(dir)?;
        }
        let mut by_name = HashMap::new();
        let mut hashed = Vec::new();
        for &(stage, name, builtin_text) in BUILTIN {
            let builtin = parse(format!("lexicons/{name} (built in)"), builtin_text)?;
            let path = dir.map(|d| d.join(name));
            let file = match path.filter(|p| p.exists()) {
                Some(path) => {
                    let text =
                        std::fs::read_to_string(&path).map_err(|source| LexiconError::Read {
                            path: path.clone(),
                            source,
                        })?;
                    // Parsed once per process; entries borrow the text for good.
                    let text: &'static str = Box::leak(text.into_boxed_str());
                    let file = parse(path.display().to_string(), text)?;
                    check_shape(&file, &builtin)?;
                    hashed_part(stage, name, text, &mut hashed);
                    file
                }
                None => {
                    hashed_part(stage, name, builtin_text, &mut hashed);
                    builtin
                }
            };
            by_name.insert(name, file);
        }
        let files = Files { by_name };
        Ok(Lexicons {
            attribute: crate::attribute::Lexicon::build(&files)?,
            segment: crate::segment::SegmentLexicon::build(&files)?,
            entities: crate::entities::EntityLexicon::build(&files)?,
            hash: format!("{:016x}", stable_hash_bytes(&hashed)),
        })
    }

    /// FNV-1a of the names and contents of the files the attribution features
    /// depend on, in a fixed order: what `head.json` records as `lexicons`.
    pub fn hash(&self) -> &str {
        &self.hash
    }
}

fn hashed_part(stage: Stage, name: &str, text: &str, out: &mut Vec<u8>) {
    if stage == Stage::Features {
        out.extend_from_slice(name.as_bytes());
        out.push(0);
        out.extend_from_slice(text.as_bytes());
        out.push(0);
    }
}

/// Refuses `.txt` files in `dir` (two levels deep) that are not lexicons.
fn check_names(dir: &Path) -> Result<(), LexiconError> {
    let read = |d: &Path| {
        std::fs::read_dir(d).map_err(|source| LexiconError::Read {
            path: d.to_path_buf(),
            source,
        })
    };
    let mut paths = Vec::new();
    for entry in read(dir)? {
        let path = entry
            .map_err(|source| LexiconError::Read {
                path: dir.to_path_buf(),
                source,
            })?
            .path();
        if path.is_dir() {
            for sub in read(&path)? {
                let sub = sub.map_err(|source| LexiconError::Read {
                    path: path.clone(),
                    source,
                })?;
                paths.push(sub.path());
            }
        } else {
            paths.push(path);
        }
    }
    for path in paths {
        let rel = path.strip_prefix(dir).unwrap_or(&path);
        let rel = rel.to_string_lossy().replace('\\', "/");
        let known = BUILTIN.iter().any(|&(_, name, _)| name == rel);
        if path.extension().is_some_and(|e| e == "txt") && !known {
            return Err(LexiconError::UnknownFile { path });
        }
    }
    Ok(())
}

static ACTIVE: OnceLock<&'static Lexicons> = OnceLock::new();

/// The lexicons of this process: those installed by [`install`], else the
/// built-in ones (parsed on first use).
pub fn get() -> &'static Lexicons {
    ACTIVE.get_or_init(|| Box::leak(Box::new(Lexicons::builtin())))
}

/// Makes the lexicons of `dir` those of this process (see [`get`]); `None`
/// keeps the built-in ones. Must come before the first [`get`].
pub fn install(dir: Option<&Path>) -> Result<&'static Lexicons, LexiconError> {
    let Some(dir) = dir else {
        return Ok(get());
    };
    let lexicons: &'static Lexicons = Box::leak(Box::new(Lexicons::load(Some(dir))?));
    ACTIVE
        .set(lexicons)
        .map_err(|_| LexiconError::AlreadyInstalled)?;
    Ok(lexicons)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory holding `files`.
    fn dir_with(files: &[(&str, &str)]) -> PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("framelens-lex-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn builtin_files_are_valid_and_sorted_within_sections() {
        let lex = Lexicons::load(None).unwrap();
        assert_eq!(lex.hash().len(), 16);
        for &(_, name, text) in BUILTIN {
            let file = parse(name.into(), text).unwrap();
            for s in &file.sections {
                let texts: Vec<&str> = s.entries.iter().map(|e| e.text).collect();
                let mut sorted = texts.clone();
                sorted.sort();
                assert_eq!(texts, sorted, "{name} [{}] is not sorted", s.name);
            }
        }
    }

    #[test]
    fn the_shipped_head_records_the_builtin_lexicons() {
        // Fails when a feature lexicon changes without retraining the head
        // (or without updating `lexicons` in models/head/head.json on purpose).
        let head = crate::classify::Head::embedded().unwrap();
        assert_eq!(
            head.meta.lexicons.as_deref(),
            Some(Lexicons::builtin().hash())
        );
    }

    #[test]
    fn a_new_reporting_verb_in_an_override_dir_becomes_a_cue() {
        let sentence = "Le ministre a zozoté que la situation était sous contrôle.";
        let builtin = crate::attribute::Attributor::new();
        assert_eq!(builtin.attribute(sentence, "fr"), None);
        let verbs = format!(
            "{}[speech]\nzozoter\n",
            include_str!("../../lexicons/fr/verbs.txt")
        );
        let dir = dir_with(&[("fr/verbs.txt", &verbs)]);
        let lexicons = Box::leak(Box::new(Lexicons::load(Some(&dir)).unwrap()));
        let found = crate::attribute::Attributor::with_lexicons(lexicons)
            .attribute(sentence, "fr")
            .unwrap();
        assert_eq!(found.cue, "a zozoté");
        assert_eq!(found.speaker.as_deref(), Some("Le ministre"));
    }

    #[test]
    fn an_empty_override_dir_is_the_builtin() {
        let dir = dir_with(&[]);
        let lex = Lexicons::load(Some(&dir)).unwrap();
        assert_eq!(lex.hash(), Lexicons::builtin().hash());
    }

    #[test]
    fn a_feature_list_changes_the_hash_a_segment_list_does_not() {
        let builtin = Lexicons::builtin();
        let dir = dir_with(&[("en/homographs.txt", "reports\n")]);
        let lex = Lexicons::load(Some(&dir)).unwrap();
        assert_ne!(lex.hash(), builtin.hash());
        let dir = dir_with(&[("en/speech-verbs.txt", "said\n")]);
        let lex = Lexicons::load(Some(&dir)).unwrap();
        assert_eq!(lex.hash(), builtin.hash());
    }

    #[test]
    fn bad_files_name_file_and_line() {
        let dir = dir_with(&[("en/verbs.txt", "# ok\n[speech]\nsay\n[shouting]\nyell\n")]);
        let err = Lexicons::load(Some(&dir)).unwrap_err().to_string();
        assert!(
            err.contains("en/verbs.txt:4: unknown section [shouting]"),
            "{err}"
        );
        let verbs = include_str!("../../lexicons/fr/verbs.txt");
        let bad = format!("{verbs}[speech]\naffirmer | loudly\n");
        let line = bad.lines().count();
        let dir = dir_with(&[("fr/verbs.txt", &bad)]);
        let err = Lexicons::load(Some(&dir)).unwrap_err().to_string();
        assert!(
            err.contains(&format!(
                "fr/verbs.txt:{line}: unknown verb flag \"loudly\""
            )),
            "{err}"
        );
        let dir = dir_with(&[("common/titles.txt", "m.\nmme | x\n")]);
        let err = Lexicons::load(Some(&dir)).unwrap_err().to_string();
        assert!(
            err.contains("common/titles.txt:2: \"mme\" takes no fields"),
            "{err}"
        );
        let dir = dir_with(&[("fr/function-words.txt", "[determiners]\nle\n")]);
        let err = Lexicons::load(Some(&dir)).unwrap_err().to_string();
        assert!(err.contains("section [prepositions] is missing"), "{err}");
        let dir = dir_with(&[("fr/verb.txt", "dire\n")]);
        let err = Lexicons::load(Some(&dir)).unwrap_err();
        assert!(matches!(err, LexiconError::UnknownFile { .. }), "{err}");
    }
}
