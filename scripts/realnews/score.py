#!/usr/bin/env python3
# Scores a framelens annotated CSV on the French real-news yardstick (tests/realnews/{train,dev}.csv: units of real
# French news labelled by the codebook, ../shared/CODEBOOK.md; see tests/realnews/README.md).
# Usage: python3 scripts/realnews/score.py tests/realnews/dev.csv ANNOTATED.csv [--errors out.tsv] [--json]
#        python3 scripts/realnews/score.py tests/realnews/dev.csv [ANNOTATED.csv] --run [--bin target/release/framelens]
# --run copies the split's articles (only those) into a temporary folder laid out like
# ../shared/data/frnews-gj/articles (OUTLET/SLUG.txt, same bytes), runs `framelens annotate --quiet --lang fr` on it
# (extra options with --annotate-args="--no-frames ..."; FRAMELENS_ENCODER etc. pass through the environment) and
# scores its output (kept at ANNOTATED.csv when given). Exit 0 after scoring, 2 on bad input or a failed run.
# Definitions:
# - UNITS = the split's rows with unit_kind == sentence (only these carry a label; not_one_sentence, heading and
#   boilerplate units are ignored). Article text is read as scripts/realnews/sample.py's read() does; offsets are
#   Unicode characters, and every unit's text must equal the article at its offsets.
# - ROWS = the framelens rows of kind sentence (headings and boilerplate are ignored). Article ids: a framelens id is
#   the input file's path relative to the folder given without ".txt", so annotating ../shared/data/frnews-gj/articles
#   gives the yardstick's own ids ("journaldemontreal/france-...-1ab18b"), annotating one outlet's folder gives the
#   bare slug with an empty outlet. An id is mapped (1) as is, else (2) as OUTLET/ID with the row's outlet column,
#   else (3) by its last path component when exactly one article of the split has it. Unmapped rows are dropped.
# - MATCH: a unit's row is the row of its article that overlaps it in the most characters (the first on ties). The
#   unit is MATCHED when that overlap is >= 50% of the unit's characters and >= 50% of the row's; otherwise it is
#   MISSEGMENTED (no row, or framelens glued or split it): it has no predicted label and is scored as a wrong label.
# - accuracy = units whose matched row's label equals the gold label / all units (missegmented ones are wrong);
#   "accuracy on matched" divides by the matched units only.
# - per label L (factual_report, official_claim, framing_opinion): P = matched units predicted L and gold L /
#   matched units predicted L; R = the same / all units gold L (a missegmented unit is a miss of its gold label and a
#   false positive of no label); F1 = 2PR/(P+R), 0 when P+R = 0. macro-F1 = mean of the three F1.
#   official_claim F1 is that label's F1. Confusion: gold rows, predicted columns, plus a "missegmented" column.
# - ECE (when the output has the columns p_factual_report, p_official_claim, p_framing_opinion): over matched units
#   whose row has them, confidence = the largest of the three, right = the row's label equals the gold label;
#   10 equal-width bins [0,.1), ..., [.9,1] (by confidence); ECE = sum over bins of |bin|/n * |accuracy - mean
#   confidence|. Missegmented units are left out (no prediction).
# - speaker: over matched units gold official_claim AND predicted official_claim whose gold `speaker` is non-empty.
#   exact = fold(predicted) equals fold(speaker) or fold(speaker_resolved); fold = lower case, spaces (also
#   no-break) collapsed, ’ ‘ ʼ -> ', guillemets and double quotes removed, punctuation stripped at both ends.
#   overlap = word F1 >= 0.5 against speaker or speaker_resolved (words = runs of letters/digits joined by hyphens,
#   after fold, with elisions dropped: "l'Intérieur" -> intérieur, "d'après" -> après). An empty predicted speaker is
#   wrong.
#   Also printed: the same over units whose speaker is empty but speaker_resolved is not (a quotation continued
#   from an earlier sentence), against speaker_resolved.
# - entity: over matched units gold official_claim AND predicted official_claim whose gold `speaker_resolved` is
#   non-empty (continued quotations included): the row's `speaker_entity` against `speaker_resolved` only, exact and
#   overlap as for the speaker. Printed beside it: the row's `speaker` scored the same way (what the column adds).
#   Absent (null) when the output has no speaker_entity column (files written before it existed).
# - cue: over matched units gold official_claim AND predicted official_claim whose gold `cue` is non-empty; exact
#   and overlap as for the speaker, against `cue` only. A cue made only of punctuation (the codebook's quote cue:
#   «, « … », ":") folds to one QUOTE token, so such a gold cue is exact (and overlapping) exactly when the predicted
#   cue is punctuation only too.
# - per outlet (the part of article_id before "/"): units, matched, right, accuracy.
# --errors FILE writes one TSV line per problem: missegmented, wrong_label, and, among the units scored for speaker or
# cue, wrong_speaker / wrong_cue (no overlap match), and wrong_entity (a non-empty speaker_entity that is not exact). Tabs and newlines inside fields become spaces.
import argparse, collections, csv, json, os, re, shlex, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sample  # noqa: E402  (read(article_id), DATA)

LABELS = ["factual_report", "official_claim", "framing_opinion"]
PROB_COLUMNS = ["p_" + l for l in LABELS]
MISSEG = "missegmented"
QUOTE = "\u00ab\u00bb"  # what a punctuation-only cue folds to
QUOTES = "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2039\u203a\""
END_PUNCT = "!#$%&()*+,./:;<=>?@[\\]^_{|}~-\u2026\u2013\u2014'" + QUOTES


def fold(s):
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'").replace("`", "'")
    s = "".join(c for c in s if c not in QUOTES)
    s = " ".join(s.lower().split())
    return s.strip(END_PUNCT + " ").strip()


def fold_cue(s):
    f = fold(s)
    return QUOTE if not f and s.strip() else f


ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'")


def words(s):
    return re.findall(r"\w+(?:-\w+)*", ELISION.sub(" ", fold(s)))


def word_f1(a, b):
    wa, wb = words(a), words(b)
    common = sum((collections.Counter(wa) & collections.Counter(wb)).values())
    return 2 * common / (len(wa) + len(wb)) if wa and wb else 0.0


def text_match(pred, golds, folder=fold):
    """(exact, overlap) of a predicted speaker/cue against any of the non-empty gold strings."""
    golds = [g for g in golds if g.strip()]
    if not pred.strip() or not golds:
        return False, False
    fp = folder(pred)
    exact = any(fp == folder(g) for g in golds)
    over = exact or any(word_f1(pred, g) >= 0.5 for g in golds)
    return exact, over


def div(a, b):
    return a / b if b else 0.0


def f1(p, r):
    return div(2 * p * r, p + r)


def read_units(path):
    units = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
    need = {"unit_id", "article_id", "start", "end", "text", "unit_kind", "label", "speaker", "speaker_resolved", "cue"}
    if units and not need <= set(units[0]):
        raise SystemExit("%s: missing columns %s" % (path, sorted(need - set(units[0]))))
    return units


def map_ids(rows, articles):
    """Maps each row's article_id onto a yardstick article id; returns (mapped rows, counts by rule)."""
    by_slug = collections.defaultdict(list)
    for a in articles:
        by_slug[a.rsplit("/", 1)[-1]].append(a)
    how, out, cache = collections.Counter(), [], {}
    for x in rows:
        key = (x["article_id"], x.get("outlet", ""))
        if key not in cache:
            aid, outlet = key
            if aid in articles:
                cache[key] = (aid, "as_is")
            elif outlet and "%s/%s" % (outlet, aid) in articles:
                cache[key] = ("%s/%s" % (outlet, aid), "outlet_slash_id")
            elif len(by_slug.get(aid.rsplit("/", 1)[-1], [])) == 1:
                cache[key] = (by_slug[aid.rsplit("/", 1)[-1]][0], "by_slug")
            else:
                cache[key] = (None, "unmapped")
        aid, rule = cache[key]
        how[rule] += 1
        if aid is not None:
            y = dict(x)
            y["article_id"] = aid
            out.append(y)
    ids = collections.Counter(rule for _, rule in cache.values())  # per distinct framelens article
    return out, how, ids


def match(u, rows):
    """The row of `rows` (one article's sentence rows) that overlaps unit `u` most (the first on ties), the overlap
    in characters, and whether it MATCHES (>= 50% of the unit and of the row)."""
    s, e = int(u["start"]), int(u["end"])
    best, best_ov = None, 0
    for x in rows:
        ov = min(e, int(x["end"])) - max(s, int(x["start"]))
        if ov > best_ov:
            best, best_ov = x, ov
    rlen = int(best["end"]) - int(best["start"]) if best else 0
    return best, best_ov, best is not None and 2 * best_ov >= e - s and 2 * best_ov >= rlen


def score(units, rows, texts):
    """units: the split's rows (all kinds); rows: framelens rows (any kinds); texts: article_id -> text.
    Returns (figures dict, error lines)."""
    for u in units:
        t = texts[u["article_id"]][int(u["start"]):int(u["end"])]
        if t != u["text"]:
            raise SystemExit("unit %s: text differs from the article at its offsets: %r vs %r" % (
                u["unit_id"], u["text"][:60], t[:60]))
    articles = set(texts)
    mapped, how, ids = map_ids(rows, articles)
    has_probs = bool(rows) and all(c in rows[0] for c in PROB_COLUMNS)
    has_entity = bool(rows) and "speaker_entity" in rows[0]
    misaligned = sum(1 for x in mapped if texts[x["article_id"]][int(x["start"]):int(x["end"])] != x["text"])
    sents = collections.defaultdict(list)
    for x in mapped:
        if x["kind"] == "sentence":
            sents[x["article_id"]].append(x)
    gold = [u for u in units if u["unit_kind"] == "sentence"]
    for u in gold:
        if u["label"] not in LABELS:
            raise SystemExit("unit %s: unknown label %r" % (u["unit_id"], u["label"]))

    conf = {g: collections.Counter() for g in LABELS}
    outlets = collections.defaultdict(collections.Counter)
    n = collections.Counter()
    bins = [[0, 0.0, 0] for _ in range(10)]  # count, sum of confidence, right
    errors = []
    for u in gold:
        aid, s, e, g = u["article_id"], int(u["start"]), int(u["end"]), u["label"]
        best, best_ov, matched = match(u, sents.get(aid, []))
        rlen = int(best["end"]) - int(best["start"]) if best else 0
        pred = best["label"] if matched else MISSEG
        right = pred == g
        outlet = aid.split("/", 1)[0]
        n.update(units=1, matched=matched, right=right)
        outlets[outlet].update(units=1, matched=matched, right=right)
        conf[g][pred] += 1
        rowinfo = ("%d-%d covers %.2f of the unit, %.2f of the row" % (
            int(best["start"]), int(best["end"]), best_ov / (e - s), div(best_ov, rlen))) if best else "no overlapping row"
        line = lambda kind, gs="", ps="", note=rowinfo: [
            kind, u["unit_id"], aid, s, e, g, pred, gs, ps, note, u["text"], best["text"] if best else ""]
        if not matched:
            errors.append(line(MISSEG))
            continue
        if not right:
            errors.append(line("wrong_label"))
        if has_probs:
            try:
                c = max(float(best[p]) for p in PROB_COLUMNS)
            except ValueError:
                c = None
            if c is not None:
                b = bins[min(9, max(0, int(c * 10)))]
                b[0] += 1
                b[1] += c
                b[2] += right
        if g == "official_claim" and pred == "official_claim":
            sp, sr, cue = u["speaker"], u["speaker_resolved"], u["cue"]
            if sp.strip():
                ex, ov = text_match(best.get("speaker", ""), [sp, sr])
                n.update(speaker_n=1, speaker_exact=ex, speaker_overlap=ov)
                if not ov:
                    errors.append(line("wrong_speaker", "%s | resolved: %s" % (sp, sr), best.get("speaker", "")))
            elif sr.strip():
                ex, ov = text_match(best.get("speaker", ""), [sr])
                n.update(continued_n=1, continued_exact=ex, continued_overlap=ov)
            if sr.strip() and has_entity:
                ex, ov = text_match(best.get("speaker_entity", ""), [sr])
                n.update(entity_n=1, entity_exact=ex, entity_overlap=ov)
                sex, sov = text_match(best.get("speaker", ""), [sr])
                n.update(entity_speaker_exact=sex, entity_speaker_overlap=sov)
                if not ex and best.get("speaker_entity", "").strip():
                    errors.append(line("wrong_entity", sr, best.get("speaker_entity", ""),
                                       "speaker: %s" % best.get("speaker", "")))
            if cue.strip():
                ex, ov = text_match(best.get("cue", ""), [cue], fold_cue)
                n.update(cue_n=1, cue_exact=ex, cue_overlap=ov)
                if not ov:
                    errors.append(line("wrong_cue", cue, best.get("cue", "")))

    per_label = {}
    for l in LABELS:
        tp = conf[l][l]
        predicted = sum(conf[g][l] for g in LABELS)
        support = sum(conf[l].values())
        P, R = div(tp, predicted), div(tp, support)
        per_label[l] = {"precision": P, "recall": R, "f1": f1(P, R), "support": support, "predicted": predicted}
    ece_n = sum(b[0] for b in bins)
    figures = {
        "units": n["units"], "matched": n["matched"], "missegmented": n["units"] - n["matched"],
        "articles": len({u["article_id"] for u in gold}),
        "articles_without_rows": sorted({u["article_id"] for u in gold} - set(sents)),
        "rows": len(rows), "rows_mapped": len(mapped), "row_id_rules": dict(how), "article_id_rules": dict(ids),
        "rows_misaligned": misaligned,
        "accuracy": div(n["right"], n["units"]), "accuracy_on_matched": div(n["right"], n["matched"]),
        "macro_f1": sum(per_label[l]["f1"] for l in LABELS) / len(LABELS),
        "official_claim_f1": per_label["official_claim"]["f1"],
        "per_label": per_label,
        "confusion": {g: {p: conf[g][p] for p in LABELS + [MISSEG]} for g in LABELS},
        "ece": (sum(abs(b[2] - b[1]) for b in bins) / ece_n if ece_n else None) if has_probs else None,
        "ece_units": ece_n if has_probs else 0,
        "ece_bins": [{"lo": i / 10, "hi": (i + 1) / 10, "n": b[0], "confidence": div(b[1], b[0]),
                      "accuracy": div(b[2], b[0])} for i, b in enumerate(bins)] if has_probs else [],
        "speaker": {"n": n["speaker_n"], "exact": div(n["speaker_exact"], n["speaker_n"]),
                    "overlap": div(n["speaker_overlap"], n["speaker_n"])},
        "speaker_continued": {"n": n["continued_n"], "exact": div(n["continued_exact"], n["continued_n"]),
                              "overlap": div(n["continued_overlap"], n["continued_n"])},
        "entity": {"n": n["entity_n"], "exact": div(n["entity_exact"], n["entity_n"]),
                   "overlap": div(n["entity_overlap"], n["entity_n"]),
                   "speaker_exact": div(n["entity_speaker_exact"], n["entity_n"]),
                   "speaker_overlap": div(n["entity_speaker_overlap"], n["entity_n"])} if has_entity else None,
        "cue": {"n": n["cue_n"], "exact": div(n["cue_exact"], n["cue_n"]),
                "overlap": div(n["cue_overlap"], n["cue_n"])},
        "per_outlet": {o: {"units": c["units"], "matched": c["matched"], "right": c["right"],
                           "accuracy": div(c["right"], c["units"])} for o, c in sorted(outlets.items())},
    }
    return figures, errors


NAMES = {"as_is": "equal to the yardstick's", "outlet_slash_id": "mapped as OUTLET/ID",
         "by_slug": "mapped by their last component", "unmapped": "not in the split"}


def report(F, name):
    out = []
    p = out.append
    rules = F["article_id_rules"]
    p("%s: %d sentence units in %d articles; %d matched, %d missegmented" % (
        name, F["units"], F["articles"], F["matched"], F["missegmented"]))
    p("framelens output: %d rows, %d of them in the split's articles (%d misaligned with the article text); its "
      "article ids: %s" % (F["rows"], F["rows_mapped"], F["rows_misaligned"], ", ".join(
          "%d %s" % (rules[k], NAMES[k]) for k in ["as_is", "outlet_slash_id", "by_slug", "unmapped"]
          if rules.get(k)) or "none"))
    if F["articles_without_rows"]:
        p("articles with units but no framelens sentence: %d (%s)" % (
            len(F["articles_without_rows"]), ", ".join(F["articles_without_rows"][:5])))
    p("accuracy %.3f (%.3f on matched units); macro-F1 %.3f; official_claim F1 %.3f" % (
        F["accuracy"], F["accuracy_on_matched"], F["macro_f1"], F["official_claim_f1"]))
    p("%-16s %6s %6s %6s %7s %9s" % ("label", "P", "R", "F1", "gold", "predicted"))
    for l in LABELS:
        x = F["per_label"][l]
        p("%-16s %6.3f %6.3f %6.3f %7d %9d" % (l, x["precision"], x["recall"], x["f1"], x["support"], x["predicted"]))
    cols = LABELS + [MISSEG]
    p("confusion (gold rows, predicted columns):")
    p("%-16s " % "" + " ".join("%15s" % c for c in cols))
    for g in LABELS:
        p("%-16s " % g + " ".join("%15d" % F["confusion"][g][c] for c in cols))
    if F["ece"] is not None:
        p("ECE (10 bins over the max probability, %d matched units) %.3f; bins n/conf/acc: %s" % (
            F["ece_units"], F["ece"], " ".join("%d/%.2f/%.2f" % (b["n"], b["confidence"], b["accuracy"])
                                               for b in F["ece_bins"] if b["n"])))
    else:
        p("ECE: no probability columns (%s) in the output" % ", ".join(PROB_COLUMNS))
    s, c, k = F["speaker"], F["cue"], F["speaker_continued"]
    p("speaker (gold and predicted official_claim, gold speaker non-empty: %d) exact %.3f overlap %.3f" % (
        s["n"], s["exact"], s["overlap"]))
    p("speaker of continued quotations (gold speaker empty, speaker_resolved not: %d) exact %.3f overlap %.3f" % (
        k["n"], k["exact"], k["overlap"]))
    e = F["entity"]
    if e is None:
        p("entity: no speaker_entity column in the output")
    else:
        p("entity (gold and predicted official_claim, speaker_resolved non-empty: %d) speaker_entity exact %.3f "
          "overlap %.3f; the speaker column against speaker_resolved: exact %.3f overlap %.3f" % (
              e["n"], e["exact"], e["overlap"], e["speaker_exact"], e["speaker_overlap"]))
    p("cue (gold and predicted official_claim, gold cue non-empty: %d) exact %.3f overlap %.3f" % (
        c["n"], c["exact"], c["overlap"]))
    p("per outlet (units, matched, right, accuracy):")
    for o, x in F["per_outlet"].items():
        p("  %-18s %4d %4d %4d %6.3f" % (o, x["units"], x["matched"], x["right"], x["accuracy"]))
    return "\n".join(out)


def run_framelens(binary, articles, out, extra):
    for _ in range(24):  # the binary may be being rebuilt: wait up to two minutes for it
        if os.path.exists(binary):
            break
        print("%s not found, waiting" % binary, file=sys.stderr)
        time.sleep(5)
    tmp = tempfile.mkdtemp(prefix="realnews-")
    try:
        skipped = []
        for aid in sorted(articles):
            if not sample.read(aid).strip():  # framelens refuses empty articles
                skipped.append(aid)
                continue
            dst = os.path.join(tmp, "articles", aid + ".txt")
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(os.path.join(sample.DATA, aid + ".txt"), dst)
        if skipped:
            print("skipped empty articles: %s" % ", ".join(skipped), file=sys.stderr)
        cmd = [binary, "annotate", "--quiet", "--lang", "fr"] + extra + [os.path.join(tmp, "articles"), "-o", out]
        print("running: %s" % " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
        t0 = time.time()
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(out):
            print("framelens annotate failed (rc %d): %s" % (r.returncode, (r.stderr or "").strip()[-800:]),
                  file=sys.stderr)
            sys.exit(2)
        print("annotated %d articles in %.0f s" % (len(articles) - len(skipped), time.time() - t0), file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Score a framelens annotated CSV on the French real-news yardstick.")
    ap.add_argument("split", help="tests/realnews/train.csv or dev.csv")
    ap.add_argument("annotated", nargs="?", help="framelens annotate output (with --run: where to keep it)")
    ap.add_argument("--errors", help="write the problems as TSV here")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON instead of text")
    ap.add_argument("--run", action="store_true", help="run framelens annotate on the split's articles first")
    ap.add_argument("--bin", default="target/release/framelens", help="the framelens binary (with --run)")
    ap.add_argument("--annotate-args", default="", help="extra options for framelens annotate (with --run), written --annotate-args=\"--no-frames\"")
    ap.add_argument("--articles", help="article folder instead of sample.py's (../shared/data/frnews-gj/articles)")
    args = ap.parse_args(argv)
    if args.articles:
        sample.DATA = args.articles
    if not args.run and not args.annotated:
        ap.error("give ANNOTATED.csv, or --run")
    units = read_units(args.split)
    texts = {a: sample.read(a) for a in sorted({u["article_id"] for u in units})}
    annotated, tmp_out = args.annotated, None
    if args.run:
        if not annotated:
            fd, tmp_out = tempfile.mkstemp(suffix=".csv", prefix="realnews-")
            os.close(fd)
            annotated = tmp_out
        run_framelens(args.bin, texts, annotated, shlex.split(args.annotate_args))
    try:
        rows = list(csv.DictReader(open(annotated, newline="", encoding="utf-8-sig")))
    finally:
        if tmp_out:
            os.unlink(tmp_out)
    need = {"article_id", "kind", "start", "end", "text", "label"}
    if rows and not need <= set(rows[0]):
        print("%s: missing columns %s" % (annotated, sorted(need - set(rows[0]))), file=sys.stderr)
        return 2
    F, errors = score(units, rows, texts)
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as f:
            for e in [["error", "unit_id", "article_id", "start", "end", "gold_label", "pred_label", "gold", "pred",
                       "note", "unit_text", "row_text"]] + errors:
                f.write("\t".join(" ".join(str(v).split()) for v in e) + "\n")
    if args.json:
        print(json.dumps(F, ensure_ascii=False, indent=1))
    else:
        print(report(F, os.path.basename(args.split)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
