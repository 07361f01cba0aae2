//! The shipped context head on the real model: it reads each sentence in its
//! article, so a sentence inside a quotation opened by an attributed sentence
//! is the source's speech, while the same words alone are not attributed.

mod common;

use common::model_dir;
use framelens::encode::{Model, Precision, TokenHead};
use framelens::{AnnotateOptions, Annotator, Article, Head, Label, SegmentKind};

fn rows(text: &str) -> Vec<(String, Label, f32)> {
    let head = Head::embedded().unwrap();
    assert!(
        head.meta.context.is_some(),
        "the shipped head reads the article"
    );
    let mut encoder = Model::load(&model_dir(), Precision::Int8).unwrap();
    encoder.pool_also(head.meta.pool_layer.unwrap()).unwrap();
    let tagger = TokenHead::embedded().unwrap();
    let options = AnnotateOptions {
        lang: Some("fr".into()),
        ..AnnotateOptions::default()
    };
    let annotator = Annotator::new(&encoder, &head, None, options).with_tagger(&tagger);
    let article = Article {
        id: "a".into(),
        text: text.into(),
        ..Article::default()
    };
    annotator.annotate(&[article]).unwrap()[0]
        .iter()
        .filter(|r| r.kind == SegmentKind::Sentence)
        .map(|r| {
            let p = r.probs.unwrap();
            (
                r.text.clone(),
                r.label.unwrap(),
                p[Label::OfficialClaim.index()],
            )
        })
        .collect()
}

#[test]
fn a_sentence_inside_a_quotation_is_read_with_its_source() {
    let quoted = rows(
        "Le porte-parole de la junte, le colonel Abdoulaye Maïga, a déclaré jeudi à Bamako : « Nous ne céderons à aucune pression étrangère. Notre armée tiendra ses positions. »",
    );
    let alone = rows("Notre armée tiendra ses positions.");
    let inside = quoted
        .iter()
        .find(|(t, _, _)| t.starts_with("Notre armée"))
        .unwrap_or_else(|| panic!("segmented as {quoted:?}"));
    assert_eq!(inside.1, Label::OfficialClaim, "{quoted:?}");
    assert_eq!(quoted[0].1, Label::OfficialClaim, "{quoted:?}");
    assert!(
        inside.2 > alone[0].2 + 0.2,
        "in its article {inside:?}, alone {alone:?}"
    );
}

#[test]
fn a_neutral_event_report_stays_factual() {
    let r = rows(
        "La police a dispersé samedi un millier de manifestants près de la préfecture. Trois personnes ont été interpellées.",
    );
    assert!(
        r.iter().all(|(_, l, _)| *l == Label::FactualReport),
        "{r:?}"
    );
}
