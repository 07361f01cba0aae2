#!/usr/bin/env python3
# K-fold cross-fitting of a context head on the French real-news yardstick's `train` half: held-out figures on
# French news for a head whose training data includes that half, and held-out logits to fit the head's class offsets
# on (`framelens calibrate --logits`). The `dev` half is never read.
#
# Usage: python3 scripts/realnews/crossfit.py --name NAME --data "A.csv[:W],B.csv[:W],..." \
#            [--french target/data/ctx_frnews.csv] [--french-weight 5] [--folds 5] [--train-args="--neighbours"] \
#            [--bin target/release/framelens] [--work target/crossfit]
# For each fold k (the yardstick-train articles, shuffled with seed 20261203, dealt round-robin into K folds):
#   1. writes WORK/NAME/fold{k}/french.csv = the --french file without the rows of fold k's articles (the span-file
#      articles are never in a fold, so every head trains on them);
#   2. trains `framelens train-context --data DATA,french.csv:W TRAIN_ARGS -o WORK/NAME/fold{k}/head` (kept when
#      its head.json exists: rerunning resumes);
#   3. annotates fold k's articles with that head (scripts/realnews/score.py --run's way: `annotate --lang fr
#      --no-frames --head ...`).
# Then it scores the pooled held-out rows against the yardstick units of all folds (score.py's definitions: every
# train article is scored once, by a head that did not train on it), and writes WORK/NAME/heldout.csv: one row per
# matched unit, `id,text,label,lang,logit_factual_report,logit_official_claim,logit_framing_opinion` where the logits
# are T_k * log(p) of fold k's head (its raw logits up to a constant per row; probabilities are read at the 4
# decimals of annotate's CSV, clamped at 5e-5) for `framelens calibrate --gold WORK/NAME/heldout.csv --logits`.
# It also reports what class offsets fitted on the other folds' held-out logits do to each fold (nested:
# the offsets applied to fold k never saw fold k): WORK/NAME/summary.json holds every figure.
import argparse, collections, csv, json, math, os, random, shlex, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sample  # noqa: E402
import score  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LABELS = score.LABELS
SEED = 20261203


def folds_of(units, k):
    articles = sorted({u["article_id"] for u in units})
    random.Random(SEED).shuffle(articles)
    return [sorted(articles[i::k]) for i in range(k)]


def write_french(src, dst, exclude):
    with open(src, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        rows = [x for x in r if x["article"].removeprefix("frnews/") not in exclude]
        fields = r.fieldnames
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    return len(rows)


def fit_offsets(z, y, steps=500):
    """Maximum-likelihood (a, b) of softmax(a * z + b), b[0] = 0: the fit of framelens' calibration.rs, by gradient
    descent with backtracking (the problem is convex in (a, b))."""
    def nll(theta):
        a, b1, b2 = theta
        total, g = 0.0, [0.0, 0.0, 0.0]
        for zi, yi in zip(z, y):
            s = [a * zi[0], a * zi[1] + b1, a * zi[2] + b2]
            m = max(s)
            e = [math.exp(v - m) for v in s]
            tot = sum(e)
            p = [v / tot for v in e]
            total -= math.log(max(p[yi], 1e-300))
            for c in range(3):
                d = p[c] - (1.0 if c == yi else 0.0)
                g[0] += d * zi[c]
                if c:
                    g[c] += d
        n = max(len(z), 1)
        return total / n, [v / n for v in g]

    theta = [1.0, 0.0, 0.0]
    f, g = nll(theta)
    step = 1.0
    for _ in range(steps):
        while step > 1e-10:
            cand = [t - step * gi for t, gi in zip(theta, g)]
            fc, gc = nll(cand)
            if fc < f - 1e-4 * step * sum(gi * gi for gi in g):
                theta, f, g = cand, fc, gc
                step *= 2
                break
            step /= 2
        if sum(gi * gi for gi in g) < 1e-12 or step <= 1e-10:
            break
    return theta, f


def adjust(row, temp, theta):
    """The row with probabilities softmax(a * T log p + b) and the label they give."""
    a, b1, b2 = theta
    z = [temp * math.log(max(float(row["p_" + l]), 5e-5)) for l in LABELS]
    s = [a * z[0], a * z[1] + b1, a * z[2] + b2]
    m = max(s)
    e = [math.exp(v - m) for v in s]
    p = [v / sum(e) for v in e]
    out = dict(row)
    for l, v in zip(LABELS, p):
        out["p_" + l] = "%.4f" % v
    out["label"] = LABELS[max(range(3), key=lambda c: p[c])]
    return out


def brief(F):
    pl = F["per_label"]
    return {"accuracy": round(F["accuracy"], 4), "macro_f1": round(F["macro_f1"], 4),
            "official_claim_f1": round(pl["official_claim"]["f1"], 4),
            "framing_opinion_f1": round(pl["framing_opinion"]["f1"], 4),
            "framing_predicted": pl["framing_opinion"]["predicted"], "framing_gold": pl["framing_opinion"]["support"],
            "ece": None if F["ece"] is None else round(F["ece"], 4), "units": F["units"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--name", required=True)
    ap.add_argument("--data", required=True, help="the other train-context data, comma-separated PATH[:WEIGHT]")
    ap.add_argument("--french", default="target/data/ctx_frnews.csv")
    ap.add_argument("--french-weight", type=float, default=5.0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--train-args", default="--neighbours")
    ap.add_argument("--bin", default="target/release/framelens")
    ap.add_argument("--work", default="target/crossfit")
    ap.add_argument("--split", default=os.path.join(ROOT, "tests/realnews/train.csv"))
    args = ap.parse_args()
    units = [u for u in score.read_units(args.split) if u.get("split", "train") == "train"]
    if any(u.get("split") == "dev" for u in score.read_units(args.split)):
        sys.exit("crossfit.py reads the train half only")
    folds = folds_of(units, args.folds)
    texts = {a: sample.read(a) for a in sorted({u["article_id"] for u in units})}
    work = os.path.join(args.work, args.name)
    rows_by_fold, temps = [], []
    for k, fold in enumerate(folds):
        d = os.path.join(work, "fold%d" % k)
        head = os.path.join(d, "head")
        n = write_french(args.french, os.path.join(d, "french.csv"), set(fold))
        if not os.path.exists(os.path.join(head, "head.json")):
            cmd = [args.bin, "train-context", "--quiet", "--data",
                   "%s,%s:%g" % (args.data, os.path.join(d, "french.csv"), args.french_weight)] + \
                shlex.split(args.train_args) + ["-o", head]
            print("fold %d (%d articles held out, %d French rows kept): %s" % (
                k, len(fold), n, " ".join(map(shlex.quote, cmd))), file=sys.stderr)
            p = subprocess.run(cmd, capture_output=True, text=True)
            print(p.stdout.strip(), file=sys.stderr)
            if p.returncode not in (0, 1):
                sys.exit("train-context failed (rc %d): %s" % (p.returncode, p.stderr[-800:]))
        out = os.path.join(d, "annotated.csv")
        score.run_framelens(args.bin, {a: texts[a] for a in fold}, out, ["--no-frames", "--head", head])
        rows_by_fold.append(list(csv.DictReader(open(out, newline="", encoding="utf-8-sig"))))
        temps.append(json.load(open(os.path.join(head, "head.json")))["temperature"])

    all_rows = [x for rows in rows_by_fold for x in rows]
    before, _ = score.score(units, all_rows, texts)
    # Held-out logits of the matched units, per fold.
    fold_of = {a: k for k, fold in enumerate(folds) for a in fold}
    held = [[] for _ in folds]  # (z, gold index, unit)
    for k, rows in enumerate(rows_by_fold):
        mapped, _, _ = score.map_ids(rows, set(texts))
        sents = collections.defaultdict(list)
        for x in mapped:
            if x["kind"] == "sentence":
                sents[x["article_id"]].append(x)
        for u in units:
            if u["unit_kind"] != "sentence" or fold_of[u["article_id"]] != k:
                continue
            best, _, matched = score.match(u, sents.get(u["article_id"], []))
            if matched:
                z = [temps[k] * math.log(max(float(best["p_" + l]), 5e-5)) for l in LABELS]
                held[k].append((z, LABELS.index(u["label"]), u))
    # Nested: fold k's rows adjusted by offsets fitted on the other folds.
    nested_rows, nested_fits = [], []
    for k, rows in enumerate(rows_by_fold):
        z = [h[0] for j in range(len(folds)) if j != k for h in held[j]]
        y = [h[1] for j in range(len(folds)) if j != k for h in held[j]]
        theta, _ = fit_offsets(z, y)
        nested_fits.append(theta)
        nested_rows.extend(adjust(x, temps[k], theta) if x["kind"] == "sentence" else x for x in rows)
    nested, _ = score.score(units, nested_rows, texts)
    theta, nll = fit_offsets([h[0] for f in held for h in f], [h[1] for f in held for h in f])
    path = os.path.join(work, "heldout.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "label", "lang", "group"] + ["logit_" + l for l in LABELS])
        for h in (h for fold in held for h in fold):
            u = h[2]
            w.writerow([u["unit_id"], u["text"], u["label"], "fr", u["article_id"]] + ["%.5f" % v for v in h[0]])
    summary = {"name": args.name, "data": args.data, "french": args.french, "french_weight": args.french_weight,
               "train_args": args.train_args, "folds": folds, "temperatures": temps,
               "heldout": brief(before), "heldout_offsets_nested": brief(nested),
               "nested_fits": nested_fits, "fit_all_folds": {"a": theta[0], "bias": [0.0, theta[1], theta[2]],
                                                             "nll": nll, "n": sum(map(len, held))},
               "confusion": before["confusion"], "confusion_offsets_nested": nested["confusion"]}
    json.dump(summary, open(os.path.join(work, "summary.json"), "w"), indent=1)
    print(json.dumps({k: summary[k] for k in ["name", "heldout", "heldout_offsets_nested", "fit_all_folds"]},
                     indent=1))
    print("held-out logits for `framelens calibrate --logits`: %s" % path, file=sys.stderr)


if __name__ == "__main__":
    main()
