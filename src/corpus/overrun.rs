//! CSV fields that swallowed the rows after them: an unbalanced quote.
//!
//! A row like `7,"Le maire a dit: ,x` opens a quoted field that the CSV
//! grammar closes only at the next `"` of the file, perhaps hundreds of rows
//! later: every row in between becomes part of one `text`, and the file
//! still parses. A quoted field may legitimately hold line breaks (an
//! article's paragraphs), so line breaks alone prove nothing. What proves an
//! overrun is a line inside the field that reads like a record of this file:
//!
//! - parsed on its own as CSV, it has exactly as many fields as the header;
//! - its id column holds a token (non-empty, at most 64 bytes, no spaces)
//!   whose *shape* is that of an id already seen in the file (digits → `9`,
//!   letters → `a`, runs merged, punctuation kept: `ok-12` and `ok-7` are
//!   both `a-9`); before the first good row, any such token.
//!
//! Prose lines rarely pass both tests: a paragraph with two commas has the
//! field count of a three-column file, but its first field has spaces. A
//! field with at least one record-like line is reported as a bad row (with
//! where it began and how many lines it covers), never read as an article.

use std::collections::HashSet;

/// Ids longer than this are not ids but text.
const MAX_ID_BYTES: usize = 64;
/// Distinct id shapes remembered; files use one or two.
const MAX_SHAPES: usize = 32;

/// What the records of one CSV file look like.
pub struct RecordShape {
    fields: usize,
    id_index: usize,
    id_shapes: HashSet<String>,
}

/// A field that holds record-like lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overrun {
    /// Lines the field covers.
    pub lines: u64,
    /// How many of them (after the first) read like a record.
    pub record_like: u64,
    /// 0-based line within the field of the first record-like line.
    pub first: u64,
}

impl RecordShape {
    /// Records of `fields` fields whose id is field `id_index`.
    pub fn new(fields: usize, id_index: usize) -> RecordShape {
        RecordShape {
            fields,
            id_index,
            id_shapes: HashSet::new(),
        }
    }

    /// Remembers the shape of the id of a good record.
    pub fn learn(&mut self, id: &[u8]) {
        if self.id_shapes.len() < MAX_SHAPES && is_token(id) {
            self.id_shapes.insert(shape(id));
        }
    }

    /// The overrun `field` shows, if any.
    pub fn overrun(&self, field: &[u8]) -> Option<Overrun> {
        if !field.contains(&b'\n') {
            return None;
        }
        let mut lines = 0;
        let mut record_like = 0;
        let mut first = 0;
        for (i, line) in field.split(|&b| b == b'\n').enumerate() {
            lines += 1;
            if i > 0 && self.is_record_like(line) {
                if record_like == 0 {
                    first = i as u64;
                }
                record_like += 1;
            }
        }
        (record_like > 0).then_some(Overrun {
            lines,
            record_like,
            first,
        })
    }

    fn is_record_like(&self, line: &[u8]) -> bool {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if self.fields < 2 || line.is_empty() {
            return false;
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(line);
        let mut rec = csv::ByteRecord::new();
        if !matches!(rdr.read_byte_record(&mut rec), Ok(true)) || rec.len() != self.fields {
            return false;
        }
        let id = rec.get(self.id_index).unwrap_or_default();
        is_token(id) && (self.id_shapes.is_empty() || self.id_shapes.contains(&shape(id)))
    }
}

fn is_token(id: &[u8]) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_BYTES && !id.iter().any(u8::is_ascii_whitespace)
}

/// Digits → `9`, letters → `a`, a run mixing both → `x`, other bytes kept.
fn shape(id: &[u8]) -> String {
    let text = String::from_utf8_lossy(id);
    let mut out = String::new();
    let mut run: Option<char> = None;
    let flush = |out: &mut String, run: &mut Option<char>| {
        if let Some(c) = run.take() {
            out.push(c);
        }
    };
    for c in text.chars() {
        let class = if c.is_ascii_digit() {
            '9'
        } else if c.is_alphabetic() {
            'a'
        } else {
            flush(&mut out, &mut run);
            out.push(c);
            continue;
        };
        run = Some(match run {
            None => class,
            Some(r) if r == class => r,
            Some(_) => 'x',
        });
    }
    flush(&mut out, &mut run);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_shapes() {
        assert_eq!(shape(b"ok-12"), "a-9");
        assert_eq!(shape(b"wire-000031"), "a-9");
        assert_eq!(shape(b"2019"), "9");
        assert_eq!(shape(b"3f2a-b7"), "x-x");
    }

    #[test]
    fn paragraphs_with_commas_are_not_records() {
        let mut s = RecordShape::new(3, 0);
        s.learn(b"ok-1");
        let prose =
            b"Premier paragraphe, avec virgules, trois.\nDeuxieme, paragraphe, ici.\n\nFin.";
        assert_eq!(s.overrun(prose), None);
    }

    #[test]
    fn swallowed_rows_are_counted() {
        let mut s = RecordShape::new(3, 0);
        s.learn(b"ok-1");
        let field = b"Le maire a dit: ,x\nok-3,\"Autre texte.\",y\nok-4,Encore,z\nok-5,Fin";
        assert_eq!(
            s.overrun(field),
            Some(Overrun {
                lines: 4,
                record_like: 2,
                first: 1
            })
        );
        // An id of another shape is text, not a record.
        let mut numeric = RecordShape::new(3, 0);
        numeric.learn(b"17");
        assert_eq!(numeric.overrun(b"a\nok-3,b,c"), None);
    }
}
