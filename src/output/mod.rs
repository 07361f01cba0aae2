//! The annotated CSV: one row per segment, its column order defined once here.
//!
//! [`checkpoint`] writes it batch by batch so that `--resume` is exactly once;
//! [`merge`] joins the outputs of `--shard` runs back into single-run order,
//! after checking the [`manifest`] each finished shard leaves next to its output.
//! [`embeddings`] writes what `framelens embed` gives: vectors as `.npy` with an ids
//! sidecar, or one CSV.

pub mod checkpoint;
pub mod embeddings;
pub mod manifest;
pub mod merge;
pub mod schema;

pub use schema::{Header, Row, Voice, COLUMNS, INDEX_COLUMN};

use std::io::Write;

/// Writes rows as RFC 4180 CSV with the header first.
pub struct RowWriter<W: Write> {
    csv: csv::Writer<W>,
    frame_columns: usize,
    indexed: bool,
}

fn prob(p: f32) -> String {
    format!("{p:.4}")
}

impl<W: Write> RowWriter<W> {
    /// Writes the header to `out`; `frame_scores` names the extra `f_<frame>` columns.
    pub fn new(out: W, frame_scores: &[String]) -> csv::Result<RowWriter<W>> {
        RowWriter::start(out, frame_scores, false, true)
    }

    /// Like [`RowWriter::new`], with the [`INDEX_COLUMN`] first (`--shard` outputs).
    pub fn new_indexed(out: W, frame_scores: &[String]) -> csv::Result<RowWriter<W>> {
        RowWriter::start(out, frame_scores, true, true)
    }

    /// A writer that continues a file whose header is already written.
    pub fn continuing(out: W, frame_scores: &[String], indexed: bool) -> RowWriter<W> {
        RowWriter::start(out, frame_scores, indexed, false).expect("no header, nothing written")
    }

    fn start(
        out: W,
        frame_scores: &[String],
        indexed: bool,
        header: bool,
    ) -> csv::Result<RowWriter<W>> {
        let mut csv = csv::Writer::from_writer(out);
        if header {
            let mut names: Vec<String> = Vec::new();
            if indexed {
                names.push(INDEX_COLUMN.to_string());
            }
            names.extend(COLUMNS.iter().map(|c| c.to_string()));
            names.extend(frame_scores.iter().map(|f| format!("f_{f}")));
            csv.write_record(&names)?;
        }
        Ok(RowWriter {
            csv,
            frame_columns: frame_scores.len(),
            indexed,
        })
    }

    /// Appends one row.
    pub fn write(&mut self, row: &Row) -> csv::Result<()> {
        self.write_at(0, row)
    }

    /// Appends one row of the article at input position `index` (written
    /// only by [`RowWriter::new_indexed`] writers).
    pub fn write_at(&mut self, index: u64, row: &Row) -> csv::Result<()> {
        let (conf, p) = match row.probs {
            Some(p) => {
                let max = p.iter().cloned().fold(0.0f32, f32::max);
                (prob(max), [prob(p[0]), prob(p[1]), prob(p[2])])
            }
            None => (String::new(), Default::default()),
        };
        let segment = row.segment.to_string();
        let (start, end) = (row.start.to_string(), row.end.to_string());
        let index = index.to_string();
        let mut record: Vec<&str> = Vec::with_capacity(COLUMNS.len() + 1 + self.frame_columns);
        if self.indexed {
            record.push(&index);
        }
        record.extend([
            row.article_id.as_str(),
            &row.outlet,
            &row.date,
            &row.title,
            &segment,
            row.kind.as_str(),
            &row.lang,
            &row.text,
            &start,
            &end,
            row.label.map_or("", |l| l.as_str()),
            row.voice.map_or("", |v| v.as_str()),
            &conf,
            &p[0],
            &p[1],
            &p[2],
            &row.speaker,
            &row.speaker_entity,
            &row.cue,
            row.source_type.map_or("", |s| s.as_str()),
            &row.frames,
            &row.model,
        ]);
        let scores: Vec<String> = (0..self.frame_columns)
            .map(|i| match row.frame_scores.get(i) {
                Some(s) => format!("{s:.4}"),
                None => String::new(),
            })
            .collect();
        record.extend(scores.iter().map(String::as_str));
        self.csv.write_record(&record)
    }

    /// Flushes buffered rows to the underlying writer.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.csv.flush()
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}

#[cfg(test)]
mod tests {
    use super::schema::{Label, SegmentKind};
    use super::*;

    #[test]
    fn header_and_quoting_follow_rfc4180() {
        let mut w = RowWriter::new(Vec::new(), &["economy".to_string()]).unwrap();
        w.write(&Row {
            article_id: "a/1".into(),
            text: "Il a dit : « non, \"jamais\" ».".into(),
            kind: SegmentKind::Sentence,
            label: Some(Label::OfficialClaim),
            voice: Some(Voice::Attributed),
            probs: Some([0.1, 0.8, 0.1]),
            frame_scores: vec![0.25],
            ..Row::default()
        })
        .unwrap();
        let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let mut lines = out.lines();
        assert_eq!(lines.next().unwrap(), COLUMNS.join(",") + ",f_economy");
        let row = lines.next().unwrap();
        assert!(
            row.contains("\"Il a dit : « non, \"\"jamais\"\" ».\""),
            "{row}"
        );
        assert!(
            row.contains(",official_claim,attributed,0.8000,0.1000,0.8000,0.1000,"),
            "{row}"
        );
        assert!(row.ends_with(",0.2500"), "{row}");
    }
}
