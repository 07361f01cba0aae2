//! The attribution span tagger shipped in models/tagger, on the real model:
//! it runs in the encoder's own forward pass without changing the embeddings,
//! and its spans become speakers and cues in `annotate`'s rows. The sentences
//! are invented; how well it does on real news is measured on PolNeAR dev and
//! the French yardstick (README, "On real news: the yardsticks").

mod common;

use common::{framelens, model_dir, tempdir};
use framelens::attribute::tagger;
use framelens::encode::{BertEncoder, Encoder, Precision, Readout, TokenHead};

const SENTENCES: [&str; 4] = [
    "\"The deficit will keep growing next year,\" Jane Roe, chief economist at a bank, said in an e-mail.",
    "The senator has praised the plan and criticized the mayor and the governor.",
    "The bridge was closed on Tuesday after the storm.",
    "Le ministre de l'Intérieur a affirmé que la manifestation était interdite.",
];

#[test]
fn tagger_reads_the_same_forward_pass_and_finds_sources() {
    let head = TokenHead::embedded().expect("models/tagger is compiled in");
    let mut encoder = BertEncoder::load(&model_dir(), Precision::Int8).unwrap();
    encoder.pool_also(6).unwrap();
    encoder.set_threads(2);
    let read = encoder
        .embed_read(&SENTENCES, &Readout::Head(&head))
        .unwrap();
    // The embeddings are embed()'s, bit for bit.
    let plain = encoder.embed(&SENTENCES).unwrap();
    for ((emb, _), p) in read.iter().zip(&plain) {
        assert!(emb == p, "embed_read changed an embedding");
    }
    let main: Vec<_> = read
        .iter()
        .zip(SENTENCES)
        .map(|((_, states), text)| {
            assert_eq!(states.width, head.meta.tags.len());
            tagger::read(text, states).main().map(|m| {
                let source = m.source.map(|(a, b)| &text[a..b]);
                (source, &text[m.cue.0..m.cue.1])
            })
        })
        .collect();
    // PolNeAR's spans: the source with its apposition, the cue with its channel.
    assert_eq!(
        main[0],
        Some((
            Some("Jane Roe, chief economist at a bank"),
            "said in an e-mail"
        )),
        "{main:?}"
    );
    let praised = main[1].expect("'has praised' is an attribution in PolNeAR's sense");
    assert_eq!(praised.0, Some("The senator"), "{main:?}");
    assert_eq!(main[2], None, "{main:?}");
    assert!(main[3].is_some(), "French: {main:?}");
}

#[test]
fn annotate_takes_the_taggers_speaker_and_non_verb_cues() {
    let dir = tempdir("tagger");
    let input = dir.join("a.csv");
    let texts = [
        SENTENCES[1],
        "Recent polls show that most voters oppose the plan.",
    ];
    let mut csv_text = String::from("id,text\n");
    for (i, t) in texts.iter().enumerate() {
        csv_text.push_str(&format!("{i},{t}\n"));
    }
    std::fs::write(&input, csv_text).unwrap();
    let out = dir.join("out.csv");
    let rows = |mode: &str| {
        let status = framelens()
            .args([
                "annotate",
                "--lang",
                "en",
                "--no-frames",
                "-q",
                "--attribution",
                mode,
            ])
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success());
        let mut rdr = csv::Reader::from_path(&out).unwrap();
        let h = rdr.headers().unwrap().clone();
        let col = |n: &str| h.iter().position(|c| c == n).unwrap();
        let (label, speaker, cue) = (col("label"), col("speaker"), col("cue"));
        rdr.records()
            .map(|r| {
                let r = r.unwrap();
                [&r[label], &r[speaker], &r[cue]].map(str::to_string)
            })
            .collect::<Vec<_>>()
    };
    // The two patterns, where the rules (as of 405da6d) take the object
    // as the speaker and miss a cue that is not a reporting verb.
    let combined = rows("combined");
    assert_eq!(
        combined[0],
        ["official_claim", "The senator", "has praised"]
    );
    assert_eq!(combined[1], ["official_claim", "Recent polls", "show"]);
}
