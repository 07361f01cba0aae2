//! Inputs → [`Article`]s: plain-text and HTML files and directory trees, CSV, JSONL.
//!
//! Reading is lazy: [`Corpus`] is an iterator that opens one input at a time
//! and yields one article at a time, so memory does not grow with the corpus.
//! CSV and JSONL are read record by record (a 100 MB file never sits in
//! memory, a 1 MB line costs about 1 MB); a `.txt` or `.html` file is one
//! article and is read whole.
//!
//! A bad record is yielded as an error that names its file and line; the
//! iterator then goes on with the next record, so one bad article never
//! costs the rest of the batch. Nothing is dropped silently:
//!
//! - a JSONL field that is not a string (an object, an array, a number, a
//!   boolean) is a bad record naming the field; `null` counts as absent (so a
//!   `null` text is a missing text). One exception: an integer `id` is read
//!   as its digits, as `pandas.DataFrame.to_json` writes integer ids;
//! - a CSV field that swallowed the rows after it (an unbalanced quote) is a
//!   bad record saying where it began and how many lines it covers
//!   (heuristic in `overrun`);
//! - control characters are replaced one for one, so offsets stay exact
//!   (`controls`).
//!
//! HTML pages are reduced to their article body (`html`: Readability, via
//! the `dom_smoothie` crate); the offsets of the output are into that text.

mod controls;
mod html;
mod overrun;
mod shard;

pub use shard::Shard;

use crate::output::schema::Header;
use overrun::RecordShape;
use serde::Deserialize;
use std::collections::VecDeque;
use std::fs;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One news article (or, with `--no-segment`, one pre-split sentence).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    /// Stable identifier: the CSV/JSONL `id`, or the file path relative to the given directory without extension.
    pub id: String,
    /// Outlet (or any grouping the researcher chose).
    pub outlet: String,
    /// Publication date as given (ISO `YYYY-MM-DD` recommended).
    pub date: String,
    /// Title, if known.
    pub title: String,
    /// ISO 639-1 language code if the input gave one.
    pub lang: Option<String>,
    /// Full text.
    pub text: String,
    /// Where the article was read from, for messages.
    pub origin: Origin,
}

/// File and line an article came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// Input file (`-` for standard input).
    pub file: PathBuf,
    /// 1-based line of the record, for CSV and JSONL.
    pub line: Option<u64>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.file.display(), line),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

/// Input formats; by default guessed from the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// One article per `.txt` / `.md` file (directories are walked).
    Text,
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// One article per `.html` / `.htm` page: its body, without navigation (directories are walked).
    Html,
}

impl InputFormat {
    /// The format implied by a file name, if any.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "txt" | "md" | "text" | "markdown" => Some(InputFormat::Text),
            "csv" => Some(InputFormat::Csv),
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            "html" | "htm" => Some(InputFormat::Html),
            _ => None,
        }
    }
}

/// Names of the fields in CSV and JSONL inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub id: String,
    pub text: String,
    pub outlet: String,
    pub date: String,
    pub title: String,
    pub lang: String,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            id: "id".into(),
            text: "text".into(),
            outlet: "outlet".into(),
            date: "date".into(),
            title: "title".into(),
            lang: "lang".into(),
        }
    }
}

/// How to read the inputs.
#[derive(Debug, Clone, Default)]
pub struct CorpusOptions {
    /// Force a format instead of guessing from extensions.
    pub format: Option<InputFormat>,
    /// Outlet for every article, overriding directories and columns.
    pub outlet: Option<String>,
    /// Field names.
    pub columns: Columns,
}

/// Why an input or a record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The file could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: io::Error },
    /// The bytes are not UTF-8.
    #[error("{origin}: not valid UTF-8 (convert the file to UTF-8)")]
    NotUtf8 { origin: Origin },
    /// The article has no text.
    #[error("{origin}: empty article{}", id_note(.id))]
    EmptyArticle { origin: Origin, id: String },
    /// A CSV input lacks a required column.
    #[error("{file}: no column named {column:?} (columns: {found}); choose another with --{flag}")]
    MissingColumn {
        file: PathBuf,
        column: String,
        found: String,
        flag: &'static str,
    },
    /// A record lacks a required field.
    #[error("{origin}: missing field {field:?}")]
    MissingField { origin: Origin, field: String },
    /// A JSONL field holds something other than a string.
    #[error("{origin}: field {field:?} is {found}, not a string")]
    NotAString {
        origin: Origin,
        field: String,
        /// What it is instead ("an object", "a number", …).
        found: &'static str,
    },
    /// A quoted CSV field holds lines that read like the file's records.
    #[error(
        "{origin}: the quoted field {field:?} runs over {lines} lines and contains \
         {record_like} record-like line(s) (the first at line {first_line}): probably an \
         unbalanced quote; lines {}-{last_line} were skipped, fix the quote and run again",
        origin.line.unwrap_or(0)
    )]
    UnbalancedQuote {
        /// File and the line where the field began.
        origin: Origin,
        field: String,
        lines: u64,
        record_like: u64,
        first_line: u64,
        last_line: u64,
    },
    /// An HTML page has no article text (only links, or nothing).
    #[error("{0}: no article text in this HTML page (only navigation or links, or empty)")]
    NoArticleText(PathBuf),
    /// A record could not be parsed.
    #[error("{origin}: {reason}")]
    BadRecord { origin: Origin, reason: String },
    /// The format of an input could not be guessed.
    #[error("{0}: unknown input format (use .txt/.md, .html, .csv or .jsonl, or pass --format)")]
    UnknownFormat(PathBuf),
}

fn id_note(id: &str) -> String {
    if id.is_empty() {
        String::new()
    } else {
        format!(" (id {id:?})")
    }
}

/// A lazy iterator over the articles of several inputs, in order.
pub struct Corpus {
    pending: VecDeque<PathBuf>,
    options: CorpusOptions,
    current: Option<Box<dyn Iterator<Item = Result<Article, CorpusError>>>>,
}

impl Corpus {
    /// Articles of `inputs` (files, directories, or `-` for standard input), in order.
    pub fn new(inputs: &[PathBuf], options: CorpusOptions) -> Corpus {
        Corpus {
            pending: inputs.iter().cloned().collect(),
            options,
            current: None,
        }
    }

    fn open(&self, path: &Path) -> Box<dyn Iterator<Item = Result<Article, CorpusError>>> {
        let stdin = path == Path::new("-");
        if !stdin && path.is_dir() {
            return Box::new(TextTree::new(path, self.options.clone()));
        }
        let format = self
            .options
            .format
            .or_else(|| InputFormat::from_path(path))
            .or(if stdin { Some(InputFormat::Text) } else { None });
        let Some(format) = format else {
            return Box::new(std::iter::once(Err(CorpusError::UnknownFormat(
                path.to_path_buf(),
            ))));
        };
        let reader: Box<dyn Read> = if stdin {
            Box::new(io::stdin())
        } else {
            match fs::File::open(path) {
                Ok(f) => Box::new(f),
                Err(source) => {
                    return Box::new(std::iter::once(Err(CorpusError::Io {
                        path: path.to_path_buf(),
                        source,
                    })))
                }
            }
        };
        match format {
            InputFormat::Text | InputFormat::Html => {
                let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
                Box::new(std::iter::once(read_file_article(
                    reader,
                    path,
                    &base,
                    format,
                    &self.options,
                )))
            }
            InputFormat::Csv => csv_articles(reader, path, &self.options),
            InputFormat::Jsonl => Box::new(JsonlArticles {
                lines: BufReader::new(reader),
                file: path.to_path_buf(),
                line: 0,
                options: self.options.clone(),
                done: false,
            }),
        }
    }
}

impl Iterator for Corpus {
    type Item = Result<Article, CorpusError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(it) = self.current.as_mut() {
                if let Some(item) = it.next() {
                    return Some(item);
                }
                self.current = None;
            }
            let path = self.pending.pop_front()?;
            self.current = Some(self.open(&path));
        }
    }
}

/// Decodes UTF-8, naming the line of the first bad byte.
fn decode(bytes: Vec<u8>, file: &Path, first_line: Option<u64>) -> Result<String, CorpusError> {
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..bad].iter().filter(|&&b| b == b'\n').count() as u64;
        CorpusError::NotUtf8 {
            origin: Origin {
                file: file.to_path_buf(),
                line: Some(first_line.unwrap_or(1) + line),
            },
        }
    })
}

/// One text or HTML file = one article; id and outlet come from its place under `base`.
fn read_file_article(
    mut reader: Box<dyn Read>,
    path: &Path,
    base: &Path,
    format: InputFormat,
    options: &CorpusOptions,
) -> Result<Article, CorpusError> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|source| CorpusError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    let text = decode(bytes, path, None)?;
    let rel = path.strip_prefix(base).unwrap_or(path);
    let id = rel.with_extension("").to_string_lossy().replace('\\', "/");
    let outlet = options.outlet.clone().unwrap_or_else(|| {
        let mut parts = rel.components();
        match (parts.next(), parts.next()) {
            (Some(first), Some(_)) => first.as_os_str().to_string_lossy().into_owned(),
            _ => String::new(),
        }
    });
    let origin = Origin {
        file: path.to_path_buf(),
        line: None,
    };
    if text.trim().is_empty() {
        return Err(CorpusError::EmptyArticle { origin, id });
    }
    let (title, text) = if format == InputFormat::Html {
        let page = html::extract(&text).ok_or_else(|| CorpusError::NoArticleText(path.into()))?;
        (page.title, page.text)
    } else {
        (String::new(), text)
    };
    Ok(Article {
        id: controls::replace_controls(id),
        outlet: controls::replace_controls(outlet),
        title: controls::replace_controls(title),
        text: controls::replace_controls(text),
        origin,
        ..Article::default()
    })
}

/// Walks a directory for `.txt`/`.md` and `.html`/`.htm` files, in sorted order, lazily.
struct TextTree {
    base: PathBuf,
    stack: Vec<PathBuf>,
    options: CorpusOptions,
}

impl TextTree {
    fn new(base: &Path, options: CorpusOptions) -> TextTree {
        TextTree {
            base: base.to_path_buf(),
            stack: vec![base.to_path_buf()],
            options,
        }
    }
}

impl Iterator for TextTree {
    type Item = Result<Article, CorpusError>;

    fn next(&mut self) -> Option<Self::Item> {
        while let Some(path) = self.stack.pop() {
            if path.is_dir() {
                let entries = match fs::read_dir(&path) {
                    Ok(rd) => rd,
                    Err(source) => return Some(Err(CorpusError::Io { path, source })),
                };
                let mut children: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        !p.file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                    })
                    .collect();
                // Reverse-sorted onto a stack = visited in sorted order.
                children.sort();
                children.reverse();
                self.stack.extend(children);
                continue;
            }
            let format = match InputFormat::from_path(&path) {
                Some(f @ (InputFormat::Text | InputFormat::Html)) => f,
                _ => continue,
            };
            if path.file_name().is_some_and(|n| n == "README.md") {
                continue;
            }
            let reader: Box<dyn Read> = match fs::File::open(&path) {
                Ok(f) => Box::new(f),
                Err(source) => return Some(Err(CorpusError::Io { path, source })),
            };
            return Some(read_file_article(
                reader,
                &path,
                &self.base,
                format,
                &self.options,
            ));
        }
        None
    }
}

/// Builds an article from named fields, checking the required ones; `get`
/// fails on a field of the wrong type.
fn article_from_fields(
    get: impl Fn(&str) -> Result<Option<String>, CorpusError>,
    origin: Origin,
    options: &CorpusOptions,
) -> Result<Article, CorpusError> {
    let c = &options.columns;
    let get = |name: &str| get(name).map(|v| v.map(controls::replace_controls));
    let id = get(&c.id)?.unwrap_or_default();
    if id.trim().is_empty() {
        return Err(CorpusError::MissingField {
            origin,
            field: c.id.clone(),
        });
    }
    let text = match get(&c.text)? {
        Some(t) => t,
        None => {
            return Err(CorpusError::MissingField {
                origin,
                field: c.text.clone(),
            })
        }
    };
    if text.trim().is_empty() {
        return Err(CorpusError::EmptyArticle { origin, id });
    }
    let outlet = match &options.outlet {
        Some(o) => o.clone(),
        None => get(&c.outlet)?.unwrap_or_default(),
    };
    let lang = get(&c.lang)?.filter(|l| !l.trim().is_empty());
    Ok(Article {
        id,
        outlet,
        date: get(&c.date)?.unwrap_or_default(),
        title: get(&c.title)?.unwrap_or_default(),
        lang,
        text,
        origin,
    })
}

fn csv_articles(
    reader: Box<dyn Read>,
    path: &Path,
    options: &CorpusOptions,
) -> Box<dyn Iterator<Item = Result<Article, CorpusError>>> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let file = path.to_path_buf();
    let headers = match rdr.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Box::new(std::iter::once(Err(CorpusError::BadRecord {
                origin: Origin {
                    file,
                    line: Some(1),
                },
                reason: e.to_string(),
            })))
        }
    };
    let names: Vec<String> = headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let names = Header::new(names.iter().map(String::as_str));
    for (column, flag) in [
        (&options.columns.id, "id-column"),
        (&options.columns.text, "text-column"),
    ] {
        if names.find(column).is_none() {
            return Box::new(std::iter::once(Err(CorpusError::MissingColumn {
                file,
                column: column.clone(),
                found: names.names().join(","),
                flag,
            })));
        }
    }
    let id_index = names.find(&options.columns.id).unwrap_or(0);
    let mut shape = RecordShape::new(headers.len(), id_index);
    let options = options.clone();
    Box::new(rdr.into_byte_records().map(move |rec| {
        let rec = rec.map_err(|e| CorpusError::BadRecord {
            origin: Origin {
                file: file.clone(),
                line: e.position().map(|p| p.line()),
            },
            reason: e.to_string(),
        })?;
        let origin = Origin {
            file: file.clone(),
            line: rec.position().map(|p| p.line()),
        };
        let mut field_line = origin.line.unwrap_or(1);
        for (i, value) in rec.iter().enumerate() {
            if let Some(o) = shape.overrun(value) {
                return Err(CorpusError::UnbalancedQuote {
                    origin: Origin {
                        file: file.clone(),
                        line: Some(field_line),
                    },
                    field: names
                        .names()
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| format!("column {}", i + 1)),
                    lines: o.lines,
                    record_like: o.record_like,
                    first_line: field_line + o.first,
                    last_line: field_line + o.lines - 1,
                });
            }
            field_line += value.iter().filter(|&&b| b == b'\n').count() as u64;
        }
        if let Some(id) = rec.get(id_index) {
            shape.learn(id);
        }
        let mut fields = Vec::with_capacity(rec.len());
        for value in rec.iter() {
            fields.push(decode(value.to_vec(), &file, origin.line)?);
        }
        let get = |name: &str| Ok(names.find(name).and_then(|i| fields.get(i).cloned()));
        article_from_fields(get, origin, &options)
    }))
}

struct JsonlArticles {
    lines: BufReader<Box<dyn Read>>,
    file: PathBuf,
    line: u64,
    options: CorpusOptions,
    done: bool,
}

#[derive(Deserialize)]
#[serde(transparent)]
struct JsonObject(serde_json::Map<String, serde_json::Value>);

impl Iterator for JsonlArticles {
    type Item = Result<Article, CorpusError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let mut buf = Vec::new();
            match self.lines.read_until(b'\n', &mut buf) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => self.line += 1,
                Err(source) => {
                    self.done = true;
                    return Some(Err(CorpusError::Io {
                        path: self.file.clone(),
                        source,
                    }));
                }
            }
            let origin = Origin {
                file: self.file.clone(),
                line: Some(self.line),
            };
            let text = match decode(buf, &self.file, Some(self.line)) {
                Ok(t) => t,
                Err(e) => return Some(Err(e)),
            };
            if text.trim().is_empty() {
                continue;
            }
            let obj: JsonObject = match serde_json::from_str(&text) {
                Ok(o) => o,
                Err(e) => {
                    return Some(Err(CorpusError::BadRecord {
                        origin,
                        reason: format!("invalid JSON: {e}"),
                    }))
                }
            };
            let id_field = self.options.columns.id.as_str();
            let at = origin.clone();
            let get = |name: &str| {
                use serde_json::Value;
                match obj.0.get(name) {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::String(s)) => Ok(Some(s.clone())),
                    Some(Value::Number(n)) if name == id_field && (n.is_u64() || n.is_i64()) => {
                        Ok(Some(n.to_string()))
                    }
                    Some(other) => Err(CorpusError::NotAString {
                        origin: at.clone(),
                        field: name.to_string(),
                        found: json_kind(other),
                    }),
                }
            };
            return Some(article_from_fields(get, origin, &self.options));
        }
    }
}

/// "an object", "a number", … for messages.
fn json_kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("framelens-corpus-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn directory_tree_gives_ids_and_outlets() {
        let d = tmpdir("tree");
        fs::create_dir_all(d.join("outlet-a/2024")).unwrap();
        fs::write(d.join("outlet-a/2024/one.txt"), "Un. Deux.").unwrap();
        fs::write(d.join("outlet-a/two.md"), "Trois.").unwrap();
        fs::write(d.join("loose.txt"), "Quatre.").unwrap();
        fs::write(d.join("ignored.json"), "{}").unwrap();
        let arts: Vec<Article> = Corpus::new(std::slice::from_ref(&d), CorpusOptions::default())
            .map(Result::unwrap)
            .collect();
        let ids: Vec<(&str, &str)> = arts
            .iter()
            .map(|a| (a.id.as_str(), a.outlet.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("loose", ""),
                ("outlet-a/2024/one", "outlet-a"),
                ("outlet-a/two", "outlet-a")
            ]
        );
    }

    #[test]
    fn csv_bad_rows_name_their_line_and_the_rest_is_read() {
        let d = tmpdir("csv");
        let p = d.join("a.csv");
        fs::write(
            &p,
            "id,text,outlet\n1,Bonjour.,x\n2,,x\n3,\"Multi\nline.\",y\n,Sans id.,z\n",
        )
        .unwrap();
        let items: Vec<_> = Corpus::new(&[p], CorpusOptions::default()).collect();
        assert_eq!(items.len(), 4);
        assert_eq!(items[0].as_ref().unwrap().id, "1");
        let e = items[1].as_ref().unwrap_err().to_string();
        assert!(e.contains("a.csv:3") && e.contains("empty article"), "{e}");
        assert_eq!(items[2].as_ref().unwrap().text, "Multi\nline.");
        let e = items[3].as_ref().unwrap_err().to_string();
        assert!(e.contains("a.csv:6") && e.contains("\"id\""), "{e}");
    }

    #[test]
    fn csv_missing_text_column_is_named() {
        let d = tmpdir("csvcol");
        let p = d.join("b.csv");
        fs::write(&p, "id,body\n1,x\n").unwrap();
        let e = Corpus::new(&[p], CorpusOptions::default())
            .next()
            .unwrap()
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no column named \"text\"") && e.contains("--text-column"),
            "{e}"
        );
    }

    #[test]
    fn jsonl_invalid_utf8_and_bad_json_name_lines() {
        let d = tmpdir("jsonl");
        let p = d.join("c.jsonl");
        let mut bytes = b"{\"id\":\"a\",\"text\":\"Bien.\"}\n{\"id\":\"b\",\"text\":\"".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        bytes.extend_from_slice(
            b"\"}\nnot json\n{\"id\":\"d\",\"text\":\"Fin.\",\"lang\":\"fr\"}\n",
        );
        fs::write(&p, bytes).unwrap();
        let items: Vec<_> = Corpus::new(&[p], CorpusOptions::default()).collect();
        assert_eq!(items.len(), 4);
        assert!(items[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("c.jsonl:2"));
        assert!(items[2]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("c.jsonl:3"));
        assert_eq!(items[3].as_ref().unwrap().lang.as_deref(), Some("fr"));
    }

    fn read_all(path: &Path) -> Vec<Result<Article, CorpusError>> {
        Corpus::new(&[path.to_path_buf()], CorpusOptions::default()).collect()
    }

    #[test]
    fn jsonl_field_that_is_not_a_string_is_a_bad_row_naming_it() {
        let d = tmpdir("jsonltypes");
        let p = d.join("t.jsonl");
        fs::write(
            &p,
            concat!(
                "{\"id\":\"a\",\"text\":{\"body\":\"Objet.\"}}\n",
                "{\"id\":\"b\",\"text\":[\"Liste.\"]}\n",
                "{\"id\":\"c\",\"text\":\"Bien.\",\"title\":42}\n",
                "{\"id\":\"d\",\"text\":\"Bien.\",\"date\":true}\n",
                "{\"id\":\"e\",\"text\":null}\n",
                "{\"id\":7,\"text\":\"Identifiant entier.\",\"title\":null}\n",
                "{\"id\":1.5,\"text\":\"Identifiant réel.\"}\n",
            ),
        )
        .unwrap();
        let items = read_all(&p);
        assert_eq!(items.len(), 7);
        let err = |i: usize| items[i].as_ref().unwrap_err().to_string();
        assert!(
            err(0).contains("t.jsonl:1: field \"text\" is an object"),
            "{}",
            err(0)
        );
        assert!(
            err(1).contains("t.jsonl:2: field \"text\" is an array"),
            "{}",
            err(1)
        );
        assert!(
            err(2).contains("t.jsonl:3: field \"title\" is a number"),
            "{}",
            err(2)
        );
        assert!(
            err(3).contains("t.jsonl:4: field \"date\" is a boolean"),
            "{}",
            err(3)
        );
        assert!(
            err(4).contains("t.jsonl:5: missing field \"text\""),
            "{}",
            err(4)
        );
        let seven = items[5].as_ref().unwrap();
        assert_eq!((seven.id.as_str(), seven.title.as_str()), ("7", ""));
        assert!(
            err(6).contains("t.jsonl:7: field \"id\" is a number"),
            "{}",
            err(6)
        );
    }

    #[test]
    fn csv_unbalanced_quote_is_reported_with_the_lines_it_swallowed() {
        let d = tmpdir("csvquote");
        let p = d.join("q.csv");
        fs::write(
            &p,
            concat!(
                "id,text,outlet\n",
                "ok-1,\"Premier, deuxième, troisième.\nSuite du texte, sur deux lignes.\",x\n",
                "ok-2,\"Le maire a dit: ,x\n",
                "ok-3,Autre article.,y\n",
                "ok-4,Encore un.,z\n",
                "ok-5,\"Fin\",z\n",
                "ok-6,Dernier article.,w\n",
            ),
        )
        .unwrap();
        let items = read_all(&p);
        // The legitimate multi-line field is read; the broken one is reported.
        assert_eq!(items.len(), 3, "{items:?}");
        assert_eq!(items[0].as_ref().unwrap().id, "ok-1");
        let e = items[1].as_ref().unwrap_err().to_string();
        assert!(
            e.contains("q.csv:4: the quoted field \"text\" runs over 4 lines")
                && e.contains("2 record-like line(s) (the first at line 5)")
                && e.contains("unbalanced quote; lines 4-7 were skipped"),
            "{e}"
        );
        assert_eq!(items[2].as_ref().unwrap().id, "ok-6");
    }

    #[test]
    fn csv_quote_left_open_to_the_end_of_the_file_is_reported() {
        let d = tmpdir("csvquote-eof");
        let p = d.join("e.csv");
        fs::write(
            &p,
            "id,text\n1,Bon.\n2,\"Ouvert sans fin.\n3,Perdu.\n4,Perdu aussi.\n",
        )
        .unwrap();
        let items = read_all(&p);
        assert_eq!(items.len(), 2, "{items:?}");
        let e = items[1].as_ref().unwrap_err().to_string();
        assert!(e.contains("e.csv:3:") && e.contains("2 record-like"), "{e}");
    }

    #[test]
    fn control_characters_are_replaced_in_every_format() {
        let d = tmpdir("controls");
        fs::write(d.join("a.txt"), "Un\0deux.\u{1b}[0m Trois.").unwrap();
        fs::write(
            d.join("b.csv"),
            "id,text,title\nb\u{1},Un\u{7}deux.,T\u{1f}itre\n",
        )
        .unwrap();
        fs::write(
            d.join("c.jsonl"),
            "{\"id\":\"c\",\"text\":\"Un\\u0000deux.\"}\n",
        )
        .unwrap();
        let inputs = [d.join("a.txt"), d.join("b.csv"), d.join("c.jsonl")];
        let arts: Vec<Article> = Corpus::new(&inputs, CorpusOptions::default())
            .map(Result::unwrap)
            .collect();
        assert_eq!(arts[0].text, "Un deux. [0m Trois.");
        assert_eq!(
            (
                arts[1].id.as_str(),
                arts[1].text.as_str(),
                arts[1].title.as_str()
            ),
            ("b ", "Un deux.", "T itre")
        );
        assert_eq!(arts[2].text, "Un deux.");
    }

    #[test]
    fn html_pages_in_a_tree_give_body_title_id_and_outlet() {
        let d = tmpdir("html");
        fs::create_dir_all(d.join("gazette")).unwrap();
        let page =
            "<html><head><title>Le budget municipal est voté | La Gazette</title></head><body>\
            <nav><a href='/'>Accueil</a><a href='/sport'>Sport</a></nav><article>\
            <p>Le conseil municipal a voté le budget mardi soir après un long débat public.</p>\
            <p>La séance a duré plus de six heures, selon plusieurs élus présents ce soir-là.</p>\
            </article><footer>Tous droits réservés</footer></body></html>";
        fs::write(d.join("gazette/budget.html"), page).unwrap();
        fs::write(
            d.join("gazette/vide.htm"),
            "<html><body><a href='/'>x</a></body></html>",
        )
        .unwrap();
        let items: Vec<_> =
            Corpus::new(std::slice::from_ref(&d), CorpusOptions::default()).collect();
        assert_eq!(items.len(), 2);
        let a = items[0].as_ref().unwrap();
        assert_eq!(
            (a.id.as_str(), a.outlet.as_str()),
            ("gazette/budget", "gazette")
        );
        assert_eq!(a.title, "Le budget municipal est voté");
        assert!(a.text.starts_with("Le conseil") && a.text.contains("public.\n\nLa séance"));
        assert!(!a.text.contains("Accueil") && !a.text.contains("droits"));
        let e = items[1].as_ref().unwrap_err().to_string();
        assert!(e.contains("vide.htm: no article text"), "{e}");
    }

    /// Resident-set figure `key` (`VmRSS`, `VmHWM`) of this process, in kB.
    fn status_kb(key: &str) -> u64 {
        let status = fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with(key)).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    const BIG_MB: usize = 40;

    /// Writes a `BIG_MB` input of `kind` (csv, jsonl: ~1 kB rows and one
    /// 1 MB row; txt: one article) without holding it in memory.
    fn write_big(kind: &str, path: &Path) {
        use std::io::Write;
        let mut w = io::BufWriter::new(fs::File::create(path).unwrap());
        let sentence = "Le conseil municipal a adopté le budget après un long débat. ";
        let row_text = sentence.repeat(16);
        let long_text = sentence.repeat((1 << 20) / sentence.len() + 1);
        let rows = BIG_MB * 1000;
        match kind {
            "csv" => writeln!(w, "id,outlet,text").unwrap(),
            "jsonl" | "txt" => {}
            _ => unreachable!(),
        }
        for i in 0..rows {
            let text = if i == rows / 2 { &long_text } else { &row_text };
            match kind {
                "csv" => writeln!(w, "a-{i},x,\"{text}\"").unwrap(),
                "jsonl" => writeln!(w, "{{\"id\":\"a-{i}\",\"text\":\"{text}\"}}").unwrap(),
                _ => writeln!(w, "{text}").unwrap(),
            }
        }
        w.flush().unwrap();
    }

    /// Run by [`big_inputs_stream_in_bounded_memory`] in a process of its
    /// own (the peak resident size is per process): reads one big input and
    /// prints how much the peak grew.
    #[test]
    #[ignore = "run by big_inputs_stream_in_bounded_memory in a child process"]
    fn big_input_child() {
        let kind = std::env::var("FRAMELENS_BIG_INPUT").expect("run by the parent test");
        let d = tmpdir(&format!("big-{kind}"));
        let p = d.join(format!("big.{kind}"));
        write_big(&kind, &p);
        let before = status_kb("VmHWM");
        let (mut n, mut longest) = (0usize, 0usize);
        for a in Corpus::new(&[p], CorpusOptions::default()) {
            let a = a.unwrap();
            n += 1;
            longest = longest.max(a.text.len());
        }
        let grew = status_kb("VmHWM").saturating_sub(before);
        let _ = fs::remove_dir_all(&d);
        println!("BIG articles={n} longest={longest} grew_kb={grew}");
    }

    /// A 40 MB CSV or JSONL with a 1 MB line streams: the peak grows by a
    /// few MB, not by the file. A 40 MB .txt is one article: it costs about
    /// its size once (no doubled buffer, no copy when there is no control
    /// character). A 100 MB file behaves the same; 40 keeps `make test` fast.
    #[test]
    fn big_inputs_stream_in_bounded_memory() {
        let exe = std::env::current_exe().unwrap();
        for (kind, articles, limit_mb) in [
            ("csv", BIG_MB * 1000, 12),
            ("jsonl", BIG_MB * 1000, 12),
            ("txt", 1, BIG_MB * 3 / 2 + 8),
        ] {
            let o = std::process::Command::new(&exe)
                .args(["--exact", "corpus::tests::big_input_child", "--ignored"])
                .args(["--nocapture", "--test-threads=1"])
                .env("FRAMELENS_BIG_INPUT", kind)
                .output()
                .unwrap();
            let out = String::from_utf8_lossy(&o.stdout);
            assert!(
                o.status.success(),
                "{kind}: {out}{}",
                String::from_utf8_lossy(&o.stderr)
            );
            // libtest may print the test's name on the same line first.
            let line = out
                .lines()
                .find_map(|l| l.split_once("BIG ").map(|(_, rest)| rest))
                .unwrap_or_else(|| panic!("{kind}: no report in {out}"));
            let field = |name: &str| -> usize {
                let v = line.split(' ').find_map(|f| f.strip_prefix(name)).unwrap();
                v.parse().unwrap()
            };
            assert_eq!(field("articles="), articles, "{kind}: {line}");
            assert!(field("longest=") >= 1 << 20, "{kind}: {line}");
            let grew_mb = field("grew_kb=") / 1024;
            assert!(
                grew_mb <= limit_mb,
                "{kind}: peak grew by {grew_mb} MB (limit {limit_mb}): {line}"
            );
        }
    }
}
