"""Which encoder layers carry the codebook's distinctions: a linear probe per layer.

Usage: python scripts/layer_probe.py [--out DIR] [--threads N]
(the project venv; the model is $FRAMELENS_MODEL_DIR; `framelens data -o target/data` first)

Mean-pools every hidden layer of multilingual-e5-small ("query: " prefix, as
framelens encodes) for the shipped head's training pool (target/data/train_newssd.csv,
target/data/train_factnews.csv, models/train/project_sentences.csv) and for the
held-out splits, then fits a class-weighted multinomial logistic regression (torch,
full batch, L2) on each feature set and picks by macro-F1 on a validation split of
the training pool (15% of groups, by hash). Held-out figures are printed for every
feature set, chosen or not; nothing is tuned on them. Pooled features are cached in
--out (default target/probe).
"""
import argparse
import csv
import hashlib
import os

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LABELS = ["factual_report", "official_claim", "framing_opinion"]
TRAIN = ["target/data/train_newssd.csv", "target/data/train_factnews.csv",
         "models/train/project_sentences.csv"]
HELD_OUT = [("fr_gold", "tests/gold/fr_gold.csv", False),
            ("factnews", "target/data/eval_factnews.csv", False)] + [
    (f"checkthat_{l}", f"target/data/eval_checkthat_{l}.csv", True)
    for l in ["en", "it", "de", "ro", "pl", "ar"]]


def read(path):
    with open(os.path.join(ROOT, path), newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["label"] in LABELS and r["text"].strip()]
    return [r["text"] for r in rows], np.array([LABELS.index(r["label"]) for r in rows]), \
        [r.get("group") or r.get("id") or r["text"] for r in rows]


def pooled(name, texts, tok, model, out):
    path = os.path.join(out, name + ".npy")
    if os.path.exists(path):
        return np.load(path)
    layers = []
    with torch.inference_mode():
        for i in range(0, len(texts), 32):
            batch = tok(["query: " + t for t in texts[i:i + 32]], padding=True,
                        truncation=True, max_length=512, return_tensors="pt")
            hs = model(**batch, output_hidden_states=True).hidden_states
            m = batch["attention_mask"].unsqueeze(-1).float()
            layers.append(torch.stack([(h * m).sum(1) / m.sum(1) for h in hs], 1).numpy())
    x = np.concatenate(layers).astype(np.float32)  # [n, 13, 384]
    np.save(path, x)
    return x


def features(x, spec):
    parts = []
    for layer in spec:
        v = x[:, layer]
        parts.append(v / np.linalg.norm(v, axis=1, keepdims=True))
    return np.concatenate(parts, 1)


def fit(x, y, weight_decay=1e-3, epochs=300):
    torch.manual_seed(0)
    x = torch.tensor(x)
    y = torch.tensor(y)
    mu, sd = x.mean(0), x.std(0) + 1e-6
    lin = torch.nn.Linear(x.shape[1], 3)
    counts = torch.bincount(y, minlength=3).float()
    loss_fn = torch.nn.CrossEntropyLoss(weight=counts.sum() / (3 * counts))
    opt = torch.optim.LBFGS(lin.parameters(), max_iter=epochs, line_search_fn="strong_wolfe")
    xs = (x - mu) / sd

    def closure():
        opt.zero_grad()
        loss = loss_fn(lin(xs), y) + weight_decay * lin.weight.pow(2).sum()
        loss.backward()
        return loss
    opt.step(closure)
    return lambda z: lin((torch.tensor(z) - mu) / sd).argmax(1).numpy()


def macro_f1(g, p, k):
    f = []
    for c in range(k):
        tp = np.sum((g == c) & (p == c))
        prec = tp / max(1, np.sum(p == c))
        rec = tp / max(1, np.sum(g == c))
        f.append(0 if tp == 0 else 2 * prec * rec / (prec + rec))
    return float(np.mean(f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "target/probe"))
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    model_dir = os.environ["FRAMELENS_MODEL_DIR"]
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    xs, ys, gs = [], [], []
    for path in TRAIN:
        t, y, g = read(path)
        xs.append(pooled(os.path.basename(path)[:-4], t, tok, model, args.out))
        ys.append(y)
        gs += g
    x_all, y_all = np.concatenate(xs), np.concatenate(ys)
    val = np.array([int(hashlib.sha1(g.encode()).hexdigest(), 16) % 100 < 15 for g in gs])
    held = []
    for name, path, binary in HELD_OUT:
        t, y, _ = read(path)
        held.append((name, pooled("eval_" + name, t, tok, model, args.out), y, binary))
    specs = [("layer 12 (what framelens uses)", [12])] + [
        (f"layer {k}", [k]) for k in (4, 6, 8, 9, 10, 11)] + [
        (f"layers 12+{k}", [12, k]) for k in (6, 8, 9, 10)] + [
        ("layers 8..12", [8, 9, 10, 11, 12]), ("layers 6+9+12", [6, 9, 12])]
    print(f"{'features':<32}{'val':>7}" + "".join(f"{n[-6:]:>10}" for n, *_ in held))
    for label, spec in specs:
        predict = fit(features(x_all[~val], spec), y_all[~val])
        v = macro_f1(y_all[val], predict(features(x_all[val], spec)), 3)
        cells = []
        for name, x, y, binary in held:
            p = predict(features(x, spec))
            cells.append(macro_f1((y == 2).astype(int), (p == 2).astype(int), 2)
                         if binary else macro_f1(y, p, 3))
        print(f"{label:<32}{v:>7.3f}" + "".join(f"{c:>10.3f}" for c in cells), flush=True)


if __name__ == "__main__":
    main()
