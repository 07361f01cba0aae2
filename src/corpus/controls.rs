//! Control characters in input fields, replaced one for one.
//!
//! NUL, the C0 controls other than tab, line feed and carriage return, DEL
//! and the noncharacters U+FFFE and U+FFFF have no meaning in a news
//! sentence, break CSV readers downstream and confuse the tokenizer.
//! The C1 controls (U+0080–U+009F) are kept: in news text they are the
//! residue of mojibake ("FranÃ\u{83}Â§ois", cp1252 read as Latin-1) inside a
//! word, they break no CSV reader, and keeping them keeps `text` equal to the
//! article at its offsets, which scorers of real corpora check (PolNeAR dev has one).
//! Each one is *replaced*, not removed: vertical tab and form feed (line and
//! page breaks) by `\n`, every other one by a space. One character for one
//! character keeps every character offset of the output valid against the
//! original text too, so a researcher can slice the raw input with `start`
//! and `end` and land on the same sentence.

/// Whether `c` is replaced.
fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}')
        || c == '\u{fffe}'
        || c == '\u{ffff}'
}

/// `s` with every control character replaced (no copy when there is none).
pub fn replace_controls(s: String) -> String {
    if !s.chars().any(is_control) {
        return s;
    }
    s.chars()
        .map(|c| match c {
            '\u{b}' | '\u{c}' => '\n',
            c if is_control(c) => ' ',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_spaces_or_line_breaks_and_offsets_hold() {
        let raw = "Un\0deux\u{1}trois\u{2}quatre\u{c}cinq\u{fffe}.\tSix\r\n";
        let clean = replace_controls(raw.to_string());
        assert_eq!(clean, "Un deux trois quatre\ncinq .\tSix\r\n");
        assert_eq!(clean.chars().count(), raw.chars().count());
        // The same character offsets slice the same words out of both.
        let word = |s: &str| s.chars().skip(14).take(6).collect::<String>();
        assert_eq!(word(&clean), word(raw));
        assert_eq!(word(&clean), "quatre");
    }

    #[test]
    fn c1_mojibake_is_kept() {
        let s = "President Fran\u{c3}\u{83}\u{c2}\u{a7}ois Hollande said.".to_string();
        assert_eq!(replace_controls(s.clone()), s);
    }

    #[test]
    fn clean_text_is_left_alone() {
        let s = "« Texte » propre, avec tabulation\tet\nlignes.".to_string();
        assert_eq!(replace_controls(s.clone()), s);
    }
}
