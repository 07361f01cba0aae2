#!/usr/bin/env python3
"""Self-test of score.py on a synthetic two-article example (python3 scripts/realnews/test_score.py).

Article alpha/art1: four sentences, framelens cuts them like the gold, gets one label wrong.
Article beta/art2: framelens glues the first two sentences, so the first unit is missegmented
(the glued row covers it whole but is more than twice as long) while the second still matches
(it makes up more than half of the row); one label wrong. The expected figures are worked out
by hand in the comments below."""
import csv, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import score  # noqa: E402

A1 = "Titre à la une\nLe ministre a annoncé la fin. Il pleut. Quelle honte ! Selon l’AFP, dix morts.\n"
A2 = "Les prix montent. « C’est fini », a dit Marie Dupont. La grève continue. Le gouvernement ment."

# (article, sentence text, gold unit_kind, gold label, speaker, speaker_resolved, cue)
GOLD = [
    ("alpha/art1", "Titre à la une", "heading", "", "", "", ""),
    ("alpha/art1", "Le ministre a annoncé la fin.", "sentence", "official_claim", "Le ministre", "Jean Castex", "a annoncé"),
    ("alpha/art1", "Il pleut.", "sentence", "factual_report", "", "", ""),
    ("alpha/art1", "Quelle honte !", "sentence", "framing_opinion", "", "", ""),
    ("alpha/art1", "Selon l’AFP, dix morts.", "sentence", "official_claim", "l’AFP", "Agence France-Presse", "Selon"),
    ("beta/art2", "Les prix montent.", "sentence", "factual_report", "", "", ""),
    ("beta/art2", "« C’est fini », a dit Marie Dupont.", "sentence", "official_claim", "Marie Dupont", "Marie Dupont", "a dit"),
    ("beta/art2", "La grève continue.", "sentence", "factual_report", "", "", ""),
    ("beta/art2", "Le gouvernement ment.", "sentence", "framing_opinion", "", "", ""),
]
# framelens rows: (article id as framelens writes it, outlet, first sentence, last sentence, kind, label, max prob,
# speaker, cue)
ROWS = [
    ("alpha/art1", "alpha", "Titre à la une", None, "heading", "", None, "", ""),
    # speaker matches speaker_resolved exactly once guillemets and the final period are folded; cue only overlaps
    ("alpha/art1", "alpha", "Le ministre a annoncé la fin.", None, "sentence", "official_claim", 0.95,
     "« Jean Castex ».", "annoncé"),
    ("alpha/art1", "alpha", "Il pleut.", None, "sentence", "factual_report", 0.85, "", ""),
    ("alpha/art1", "alpha", "Quelle honte !", None, "sentence", "factual_report", 0.55, "", ""),  # wrong
    # ’ -> ' and case: exact speaker; "selon" = "Selon": exact cue
    ("alpha/art1", "alpha", "Selon l’AFP, dix morts.", None, "sentence", "official_claim", 0.95, "L'AFP", "selon"),
    # glued: the first unit is missegmented, the second matches (speaker overlap only, cue exact after folding)
    ("art2", "beta", "Les prix montent.", "« C’est fini », a dit Marie Dupont.", "sentence", "official_claim", 0.65,
     "Dupont", "a dit »"),
    ("art2", "beta", "La grève continue.", None, "sentence", "factual_report", 0.85, "", ""),
    ("art2", "beta", "Le gouvernement ment.", None, "sentence", "official_claim", 0.55, "", ""),  # wrong
    ("gamma/zzz", "gamma", None, None, "sentence", "factual_report", 0.9, "", ""),  # not in the split
]
TEXTS = {"alpha/art1": A1, "beta/art2": A2}
# speaker_entity per row index (the speaker otherwise)
ENTITIES = {1: "Jean Castex", 5: "Marie Dupont"}


def span(aid, first, last=None):
    t = TEXTS[aid]
    s = t.index(first)
    e = t.index(last) + len(last) if last else s + len(first)
    return s, e


def write(tmp, rows):
    for aid, text in TEXTS.items():
        p = os.path.join(tmp, "articles", aid + ".txt")
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    split = os.path.join(tmp, "split.csv")
    with open(split, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow("unit_id article_id split start end text unit_kind label attributed speaker speaker_resolved cue "
                   "source_type adjudicated note".split())
        for i, (aid, sent, kind, label, sp, sr, cue) in enumerate(GOLD):
            s, e = span(aid, sent)
            w.writerow(["u%d" % i, aid, "dev", s, e, sent, kind, label, int(label == "official_claim"), sp, sr, cue,
                        "", "", ""])
    ann = os.path.join(tmp, "annotated.csv")
    with open(ann, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["article_id", "outlet", "segment", "kind", "lang", "text", "start", "end", "label", "confidence"]
                   + score.PROB_COLUMNS + ["speaker", "speaker_entity", "cue", "source_type", "frames", "model"])
        for i, (fid, outlet, first, last, kind, label, p, sp, cue) in enumerate(rows):
            if first is None:
                s, e, text = 0, 5, "Autre"
            else:
                aid = [a for a in TEXTS if a.rsplit("/", 1)[-1] == fid.rsplit("/", 1)[-1]][0]
                s, e = span(aid, first, last)
                text = TEXTS[aid][s:e]
            probs = [""] * 3
            if p is not None:
                rest = (1 - p) / 2
                probs = ["%.4f" % (p if l == label else rest) for l in score.LABELS]
            w.writerow([fid, outlet, i, kind, "fr", text, s, e, label, "" if p is None else p] + probs
                       + [sp, ENTITIES.get(i, sp), cue, "", "", "test"])
    return split, ann


def run(tmp, split, ann, *extra):
    r = subprocess.run([sys.executable, os.path.join(HERE, "score.py"), split, ann, "--articles",
                        os.path.join(tmp, "articles")] + list(extra), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def close(a, b):
    return abs(a - b) < 1e-9


def main():
    # folding
    assert score.fold("  « Le  Ministre\u00a0de l’Intérieur ». ") == "le ministre de l'intérieur"
    assert score.text_match("« Jean Castex ».", ["Le ministre", "Jean Castex"]) == (True, True)
    assert score.text_match("Dupont", ["Marie Dupont"]) == (False, True)  # word F1 2*1/3
    assert score.text_match("le ministre de l’Intérieur Christophe Castaner", ["Christophe Castaner"]) == (
        False, True)  # 2*2/(6+2) = 0.5 with l' dropped
    assert score.text_match("la préfecture", ["le ministre"]) == (False, False)
    assert score.fold_cue("« … »") == score.fold_cue(":") == score.QUOTE != score.fold_cue("a dit")
    assert score.text_match("", ["X"]) == (False, False)

    with tempfile.TemporaryDirectory() as tmp:
        split, ann = write(tmp, ROWS)
        F = json.loads(run(tmp, split, ann, "--json", "--errors", os.path.join(tmp, "errors.tsv")))
        # 8 sentence units (the heading is ignored), 7 matched; right: u1 u2 u4 u6 u7 -> 5
        assert (F["units"], F["matched"], F["missegmented"]) == (8, 7, 1), F
        assert close(F["accuracy"], 5 / 8) and close(F["accuracy_on_matched"], 5 / 7)
        assert F["confusion"] == {
            "factual_report": {"factual_report": 2, "official_claim": 0, "framing_opinion": 0, "missegmented": 1},
            "official_claim": {"factual_report": 0, "official_claim": 3, "framing_opinion": 0, "missegmented": 0},
            "framing_opinion": {"factual_report": 1, "official_claim": 1, "framing_opinion": 0, "missegmented": 0}}
        # factual_report P 2/3 R 2/3 F1 2/3; official_claim P 3/4 R 1 F1 6/7; framing_opinion F1 0
        pl = F["per_label"]
        assert close(pl["factual_report"]["f1"], 2 / 3) and close(pl["official_claim"]["precision"], 3 / 4)
        assert close(F["official_claim_f1"], 6 / 7) and pl["framing_opinion"]["f1"] == 0
        assert close(F["macro_f1"], (2 / 3 + 6 / 7) / 3)  # 32/63
        # speaker over u1 (exact via speaker_resolved), u4 (exact after ’ and case), u6 (overlap only)
        assert F["speaker"]["n"] == 3 and close(F["speaker"]["exact"], 2 / 3) and F["speaker"]["overlap"] == 1
        # entity, against speaker_resolved: u1 exact, u4 ("L'AFP" / "Agence France-Presse") wrong, u6 exact; the
        # speaker column: u1 exact, u4 wrong, u6 ("Dupont") overlap only
        e = F["entity"]
        assert e["n"] == 3 and close(e["exact"], 2 / 3) and close(e["overlap"], 2 / 3), e
        assert close(e["speaker_exact"], 1 / 3) and close(e["speaker_overlap"], 2 / 3), e
        # cue: u1 overlap only ("annoncé" / "a annoncé"), u4 and u6 exact
        assert F["cue"]["n"] == 3 and close(F["cue"]["exact"], 2 / 3) and F["cue"]["overlap"] == 1
        # ECE: bins .9 (2 units, conf .95, acc 1), .8 (2, .85, 1), .6 (1, .65, 1), .5 (2, .55, 0)
        assert F["ece_units"] == 7 and close(F["ece"], (2 * .05 + 2 * .15 + .35 + 2 * .55) / 7), F["ece"]
        assert F["per_outlet"] == {"alpha": {"units": 4, "matched": 4, "right": 3, "accuracy": 0.75},
                                   "beta": {"units": 4, "matched": 3, "right": 2, "accuracy": 0.5}}
        assert F["article_id_rules"] == {"as_is": 1, "outlet_slash_id": 1, "unmapped": 1}, F["article_id_rules"]
        errs = [l.split("\t") for l in open(os.path.join(tmp, "errors.tsv"), encoding="utf-8")][1:]
        assert sorted((e[0], e[1]) for e in errs) == [("missegmented", "u5"), ("wrong_entity", "u4"),
                                                      ("wrong_label", "u3"), ("wrong_label", "u8")], errs
        # the same output with bare slugs and no outlet (framelens run on one outlet's folder): same figures
        split, ann = write(tmp, [(r[0].rsplit("/", 1)[-1], "") + r[2:] if r[0] != "gamma/zzz" else r for r in ROWS])
        G = json.loads(run(tmp, split, ann, "--json"))
        assert G["article_id_rules"] == {"by_slug": 2, "unmapped": 1}, G["article_id_rules"]
        for k in ("accuracy", "macro_f1", "speaker", "entity", "cue", "ece", "confusion", "per_outlet"):
            assert G[k] == F[k], k
        text = run(tmp, split, ann)  # the text report runs too
        assert "accuracy 0.625" in text and "missegmented" in text, text
    print("score.py self-test: ok")


if __name__ == "__main__":
    main()
