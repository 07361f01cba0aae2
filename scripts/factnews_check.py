#!/usr/bin/env python3
"""Checks `framelens report` against FactNews, a corpus with gold sentence labels.

Usage (with the project venv's python, which has pandas):

    $VENV/bin/python scripts/factnews_check.py [--shared DIR] [--bin PATH] [--out DIR]

    --shared  the shared data folder holding factnews-pt/ (default: ../shared/data
              next to the repository; the folder `shared` itself is accepted too)
    --bin     the framelens binary (default: target/release/framelens)
    --out     where everything is written (default: target/factnews-check)
    --skip-predicted  only the gold part (no model needed)

FactNews (Vargas et al., RANLP 2023) covers the same 100 stories in three
Brazilian outlets (Folha, Estadão, O Globo), every sentence labelled
0 factual / -1 quote / 1 biased. Mapped onto the codebook as
factual_report / official_claim / framing_opinion, it says directly which
outlet writes the most biased sentences, so it can check the report.

1. Gold. Writes the gold labels as an annotated CSV (the exact column set of
   `framelens annotate`; one article per `id_article`, outlet from the `file`
   column, date `<year>-01-01`, confidence 1), runs `framelens report` on it
   and checks that outlets.csv ranks the outlets by `share_framing_opinion`
   exactly as pandas does from the dataset itself (and gives the same shares).
   Exits 1 if not.

2. Predicted. Only the test stories (story number divisible by 5): the
   shipped classifier head was trained on the other stories. Their sentences
   go through `framelens annotate --no-segment` (one record per sentence, the
   real model); the predicted rows are then put back into their articles
   (article_id, segment, title), so that the report's bootstrap resamples
   articles on both sides. Prints, per outlet and label, the gold share [95 %
   CI], the predicted share [CI] and their difference, whether the outlet
   rankings agree, and the 3-class agreement of predicted with gold labels.
   This part reports; it does not fail on a disagreement.

Accuracy is given against the raw gold mapping and against the mapping
framelens trained on (src/train/datasets.rs): FactNews marks only direct
quotes as quotes, so its "factual" sentences with a reporting cue (disse,
segundo...) are moved to official_claim. framing_opinion is the same in both.

Outputs (all under --out): gold-annotated.csv, gold-report/, test-sentences.csv,
predicted-raw.csv (as annotate wrote it), predicted-annotated.csv,
predicted-report/, gold-test-annotated.csv, gold-test-report/,
gold-test-codebook-annotated.csv, gold-test-codebook-report/, summary.txt.
"""

import argparse
import csv
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent

# The annotated CSV of `framelens annotate`, in its column order (src/output/).
COLUMNS = [
    "article_id", "outlet", "date", "title", "segment", "kind", "lang", "text",
    "start", "end", "label", "confidence", "p_factual_report", "p_official_claim",
    "p_framing_opinion", "speaker", "cue", "source_type", "frames", "model",
]
LABELS = ["factual_report", "official_claim", "framing_opinion"]
CLASS_TO_LABEL = {0: "factual_report", -1: "official_claim", 1: "framing_opinion"}
# Outlet spellings of the `file` column (`C64_Oglobo_...`, `C79-Estadao_...`).
OUTLETS = {"folha": "Folha", "estadao": "Estadao", "oglobo": "OGlobo"}
# Reporting cues framelens' training used to move FactNews' indirect-speech
# "factual" sentences to official_claim (src/train/datasets.rs, CUES["pt"]).
PT_CUES = [
    " disse", " afirmou", " declarou", "segundo ", "de acordo com", " informou",
    " ressaltou", " explicou", " acrescentou", " disseram", " afirmaram",
    " destacou", " afirma ", " diz ", " contou", " avaliou", '"', "\u201c",
]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    p.add_argument("--bin", type=Path, default=REPO / "target" / "release" / "framelens")
    p.add_argument("--out", type=Path, default=REPO / "target" / "factnews-check")
    p.add_argument("--skip-predicted", action="store_true")
    return p.parse_args()


def dataset_path(shared: Path) -> Path:
    for cand in (shared / "factnews-pt", shared / "data" / "factnews-pt"):
        if (cand / "factnews_dataset.csv").is_file():
            return cand / "factnews_dataset.csv"
    sys.exit(f"factnews_check: no factnews-pt/factnews_dataset.csv under {shared}")


def outlet_of(file: str) -> str:
    """`C1_Estadao_04-08-2006_05h54` → `Estadao`; `C79-Folha_...` → `Folha`."""
    m = re.match(r"C\d+[_-]([A-Za-z]+)_", file)
    if not m or m.group(1).lower() not in OUTLETS:
        raise ValueError(f"no outlet in file name {file!r}")
    return OUTLETS[m.group(1).lower()]


def load(path: Path) -> pd.DataFrame:
    d = pd.read_csv(path, dtype={"file": str, "id_article": str, "sentences": str},
                    keep_default_na=False)
    d["row"] = range(len(d))
    d["outlet"] = d["file"].map(outlet_of)
    d["story"] = d["id_article"].str.replace(r"\D", "", regex=True).astype(int)
    d["text"] = d["sentences"].str.strip()
    d["label"] = d["classe"].astype(int).map(CLASS_TO_LABEL)
    assert d["label"].notna().all(), "classe outside {-1, 0, 1}"
    d["date"] = d["year"].astype(int).astype(str) + "-01-01"
    # Sentence order within an article: the running sentence id.
    d = d.sort_values(["id_article", "id_sente", "row"], kind="stable")
    d["segment"] = d.groupby("id_article").cumcount()
    # Title: the article's headline row (files ending in `_titulo`), if any.
    titles = d[d["file"].str.endswith("_titulo")].groupby("id_article")["text"].first()
    d["title"] = d["id_article"].map(titles).fillna("")
    return d.sort_values("row").reset_index(drop=True)


def offsets(d: pd.DataFrame):
    """Character offsets as if each article were its sentences joined by a space."""
    start, end, pos = [], [], {}
    for art, seg, text in sorted(zip(d["id_article"], d["segment"], d["text"])):
        s = pos.get(art, 0)
        start.append(((art, seg), s))
        end.append(((art, seg), s + len(text)))
        pos[art] = s + len(text) + 1
    s_map, e_map = dict(start), dict(end)
    keys = list(zip(d["id_article"], d["segment"]))
    return [s_map[k] for k in keys], [e_map[k] for k in keys]


def codebook_labels(d: pd.DataFrame) -> pd.Series:
    """Gold labels as framelens trained on them: a "factual" sentence with a
    reporting cue is indirect speech, hence official_claim."""
    cue = d["text"].map(lambda t: any(c in " " + t.lower() for c in PT_CUES))
    return d["label"].where(~((d["label"] == "factual_report") & cue), "official_claim")


def annotated_gold(d: pd.DataFrame) -> pd.DataFrame:
    """Gold labels as an annotated CSV: probabilities one-hot, confidence 1."""
    start, end = offsets(d)
    out = pd.DataFrame({
        "article_id": d["id_article"], "outlet": d["outlet"], "date": d["date"],
        "title": d["title"], "segment": d["segment"], "kind": "sentence", "lang": "pt",
        "text": d["text"], "start": start, "end": end, "label": d["label"],
        "confidence": 1.0,
    })
    for l in LABELS:
        out[f"p_{l}"] = (d["label"] == l).astype(float)
    for c in ["speaker", "cue", "source_type", "frames"]:
        out[c] = ""
    out["model"] = "factnews-gold"
    return out.sort_values(["article_id", "segment"])[COLUMNS]


def write_csv(df: pd.DataFrame, path: Path):
    df.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")


def run(cmd):
    r = subprocess.run([str(c) for c in cmd], cwd=REPO, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"factnews_check: {' '.join(map(str, cmd))} failed ({r.returncode}):\n{r.stderr}")
    return r


def report(bin_: Path, annotated: Path, out: Path) -> pd.DataFrame:
    run([bin_, "report", annotated, "-o", out, "--period", "year"])
    return pd.read_csv(out / "outlets.csv", keep_default_na=False, na_values=[""]).set_index("outlet")


def ranking(shares: pd.Series) -> list:
    """Outlets from the highest share to the lowest (ties by name)."""
    return [o for o, _ in sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))]


def pct_ci(row, label) -> str:
    m = f"share_{label}"
    return f"{100 * row[m]:5.1f}% [{100 * row[m + '_lo']:4.1f}, {100 * row[m + '_hi']:4.1f}]"


class Log:
    """Prints and keeps every line for summary.txt."""

    def __init__(self):
        self.lines = []

    def __call__(self, s=""):
        print(s)
        self.lines.append(s)


def gold_check(d: pd.DataFrame, args, log: Log) -> bool:
    gold_csv = args.out / "gold-annotated.csv"
    write_csv(annotated_gold(d), gold_csv)
    outlets = report(args.bin, gold_csv, args.out / "gold-report")

    direct = (d["label"] == "framing_opinion").groupby(d["outlet"]).mean()
    rep = outlets["share_framing_opinion"]
    rank_direct, rank_report = ranking(direct), ranking(rep)
    log("== 1. Gold labels: outlet ranking by share of biased (framing_opinion) sentences ==")
    log(f"{len(d)} sentences, {d['id_article'].nunique()} articles, {d['story'].nunique()} stories")
    log(f"{'outlet':<9} {'pandas, from the dataset':>25} {'framelens report [95% CI]':>30}")
    for o in rank_direct:
        r = outlets.loc[o]
        log(f"{o:<9} {100 * direct[o]:24.2f}% {pct_ci(r, 'framing_opinion'):>30}")
    log(f"ranking, pandas:  {' > '.join(rank_direct)}")
    log(f"ranking, report:  {' > '.join(rank_report)}")
    same_values = set(direct.index) == set(rep.index) and all(
        abs(direct[o] - rep[o]) < 1e-6 for o in direct.index)
    same_counts = (
        (d.groupby("outlet").size() == outlets["n_sentences"]).all()
        and (d.groupby("outlet")["id_article"].nunique() == outlets["n_articles"]).all())
    ok = rank_direct == rank_report and same_values and same_counts
    log(f"rankings {'MATCH' if rank_direct == rank_report else 'DIFFER'}; shares equal to 1e-6: "
        f"{same_values}; sentence and article counts equal: {same_counts}")
    return ok


def predicted_check(d: pd.DataFrame, args, log: Log):
    test = d[d["story"] % 5 == 0].copy()
    test["id"] = "s" + test["row"].astype(str)
    sentences = args.out / "test-sentences.csv"
    write_csv(test[["id", "text", "outlet", "date"]].assign(lang="pt"), sentences)
    raw = args.out / "predicted-raw.csv"
    run([args.bin, "annotate", "--no-segment", sentences, "-o", raw, "--quiet"])

    # Each record came back as its own one-sentence article (article_id = id):
    # put the sentences back into their FactNews articles.
    pred = pd.read_csv(raw, dtype=str, keep_default_na=False)
    assert len(pred) == len(test) and set(pred["article_id"]) == set(test["id"]), \
        "annotate did not return one row per input sentence"
    gold_test = annotated_gold(test).reset_index(drop=True)
    by_id = test.set_index("id")
    key = by_id.loc[pred["article_id"], ["id_article", "segment"]].reset_index(drop=True)
    pred = pred.reset_index(drop=True)
    pred["article_id"], pred["segment"] = key["id_article"], key["segment"]
    pred = pred.merge(gold_test[["article_id", "segment", "title", "start", "end"]],
                      on=["article_id", "segment"], suffixes=("_annotate", ""))
    pred = pred.sort_values(["article_id", "segment"])[COLUMNS]
    pred_csv, gold_csv = args.out / "predicted-annotated.csv", args.out / "gold-test-annotated.csv"
    write_csv(pred, pred_csv)
    write_csv(gold_test, gold_csv)
    test_cb = test.assign(label=codebook_labels(test))
    cb_csv = args.out / "gold-test-codebook-annotated.csv"
    write_csv(annotated_gold(test_cb), cb_csv)
    p_out = report(args.bin, pred_csv, args.out / "predicted-report")
    g_out = report(args.bin, gold_csv, args.out / "gold-test-report")
    c_out = report(args.bin, cb_csv, args.out / "gold-test-codebook-report")

    log()
    log("== 2. Test stories (story % 5 == 0): framelens' predicted labels vs gold ==")
    log(f"{len(test)} sentences, {test['id_article'].nunique()} articles, "
        f"{test['story'].nunique()} stories; label shares pooled per outlet, "
        "95% CI from the article bootstrap")
    log("gold = raw FactNews labels; codebook = the same with indirect speech moved to "
        "official_claim (framelens' training mapping; framing_opinion is unchanged)")
    for label in ["framing_opinion", "official_claim", "factual_report"]:
        g, p = g_out[f"share_{label}"], p_out[f"share_{label}"]
        rg, rp = ranking(g), ranking(p)
        log()
        log(f"-- {label} --")
        c = c_out[f"share_{label}"]
        log(f"{'outlet':<9} {'gold [95% CI]':>24} {'predicted [95% CI]':>24} {'pred-gold':>10} "
            f"{'in gold CI':>10}   {'codebook [95% CI]':>24} {'pred-codebook':>13}")
        for o in rg:
            inside = g_out.loc[o, f"share_{label}_lo"] - 1e-9 <= p[o] <= g_out.loc[o, f"share_{label}_hi"] + 1e-9
            log(f"{o:<9} {pct_ci(g_out.loc[o], label):>24} {pct_ci(p_out.loc[o], label):>24} "
                f"{100 * (p[o] - g[o]):+9.1f}pp {'yes' if inside else 'no':>10}   "
                f"{pct_ci(c_out.loc[o], label):>24} {100 * (p[o] - c[o]):+11.1f}pp")
        log(f"ranking gold: {' > '.join(rg)};  predicted: {' > '.join(rp)};  "
            f"{'AGREE' if rg == rp else 'DIFFER'}")

    # Sentence-level agreement.
    m = pred[["article_id", "segment", "label"]].merge(
        gold_test[["article_id", "segment", "label", "text"]], on=["article_id", "segment"],
        suffixes=("_pred", "_gold"))
    assert len(m) == len(test)
    m["label_codebook"] = codebook_labels(m.rename(columns={"label_gold": "label"}))
    log()
    log("-- sentence-level agreement (3 classes) --")
    for name, col in [("raw gold (0/-1/1)", "label_gold"),
                      ("gold, indirect speech -> official_claim", "label_codebook")]:
        acc = (m["label_pred"] == m[col]).mean()
        f1s = []
        for l in LABELS:
            tp = ((m["label_pred"] == l) & (m[col] == l)).sum()
            prec = tp / max((m["label_pred"] == l).sum(), 1)
            rec = tp / max((m[col] == l).sum(), 1)
            f1s.append(0 if tp == 0 else 2 * prec * rec / (prec + rec))
        log(f"{name:<42} accuracy {acc:.3f}  macro-F1 {sum(f1s) / 3:.3f}  "
            f"(F1 {', '.join(f'{l} {f:.2f}' for l, f in zip(LABELS, f1s))})")
    log()
    log("confusion (rows: raw gold, columns: predicted)")
    cm = pd.crosstab(m["label_gold"], m["label_pred"]).reindex(index=LABELS, columns=LABELS, fill_value=0)
    for line in cm.to_string().splitlines():
        log("  " + line)


def main():
    args = parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.bin.is_file():
        sys.exit(f"factnews_check: no binary at {args.bin} (run `make build`, or pass --bin)")
    d = load(dataset_path(args.shared))
    log = Log()
    suffix = d["id_article"].str[-1].map({"e": "Estadao", "f": "Folha", "o": "OGlobo"})
    odd = d[suffix != d["outlet"]]
    if len(odd):
        log(f"note: {len(odd)} sentences whose `file` outlet differs from their id_article suffix "
            f"(kept the `file` outlet): "
            + ", ".join(sorted(f"{a}->{o}" for a, o in set(zip(odd['id_article'], odd['outlet'])))))
    ok = gold_check(d, args, log)
    if not args.skip_predicted:
        predicted_check(d, args, log)
    (args.out / "summary.txt").write_text("\n".join(log.lines) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}/", file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
