"""Feasibility probe: a token tagger (Source / Cue / Content, BIO) on frozen multilingual-e5-small token states.

Usage: python scripts/tagger_probe.py [--train-articles 150] [--epochs 6] [--layer 12|6,12] [--head linear|mlp|both]
       [--model DIR] [--data /work/shared/data/polnear] [--cache /tmp/tagger_probe]

Reads PolNeAR train (a seeded subset of articles) and dev (all 84) brat standoff files (first .ann per article in
sorted order, as /work/shared/tools/polnear_score.py), splits articles into sentences (regex), keeps sentences of
<= 128 tokens, tags each token BIO by the role of the gold span covering its first non-space character (nested
spans: Cue over Source over Content), encodes with the model ("query: " prefix, f32, no grad, 2 threads, batches
of 32 sorted by length), caches the hidden states of layers 6 and 12 in --cache (f16), trains a linear softmax or
a 256-unit MLP tagger with Adam (seeded), and reports on dev: token F1 per role (B+I merged), span exact-match F1
per role (greedy BIO decoding, an I without a B starts a span), and sentence-level attribution detection (predicted
when the sentence has a predicted Cue span; gold when a gold cue starts in it and that attribution's content
overlaps it). Nothing is written in the repository.
"""
import argparse
import glob
import os
import random
import re
import time

import numpy as np
import torch

ROLES = ["Source", "Cue", "Content"]
TAGS = ["O"] + [p + "-" + r for r in ROLES for p in "BI"]  # O, B-Source, I-Source, B-Cue, I-Cue, B-Content, I-Content
PREFIX = "query: "
SENT_RE = re.compile(r"[.!?][\"”’]?\s+(?=[A-Z\"“‘])")


def read_split(root, names=None):
    """-> {article: (text, attributions, spans)}; attributions: list of {role: [(s, e)]}."""
    texts = {os.path.basename(p)[:-4]: p for p in sorted(glob.glob(os.path.join(root, "text", "*.txt")))}
    out = {}
    for path in sorted(glob.glob(os.path.join(root, "attributions", "*.ann"))):
        art = os.path.basename(path)[:-4].rsplit("_", 1)[0]
        if art in out or (names is not None and art not in names):
            continue
        text = open(texts[art], encoding="utf-8", newline="").read()
        spans, events = {}, []
        for line in open(path, encoding="utf-8"):
            p = line.rstrip("\n").split("\t")
            if len(p) < 2 or not re.fullmatch(r"[TE]\d+", p[0]):  # continuation of a span text with a newline
                continue
            if p[0].startswith("T"):
                kind, offs = p[1].split(" ", 1)
                spans[p[0]] = (kind, [tuple(map(int, o.split())) for o in offs.split(";")])
            elif p[0].startswith("E"):
                events.append(dict(x.split(":") for x in p[1].split()))
        atts = []
        for e in events:
            a = {"Source": [], "Cue": [], "Content": []}
            for k, tid in e.items():
                role = "Content" if k.startswith("Content") else k
                if role in a:
                    a[role] += spans[tid][1]
            atts.append(a)
        out[art] = (text, atts)
    return out


def sentences(text):
    """Character ranges of sentences: paragraphs split on newlines, then the regex."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s0 = m.start()
        para = m.group()
        cuts = [0] + [x.end() for x in SENT_RE.finditer(para)] + [len(para)]
        for a, b in zip(cuts, cuts[1:]):
            seg = para[a:b]
            lead = len(seg) - len(seg.lstrip())
            seg = seg.strip()
            if seg:
                out.append((s0 + a + lead, s0 + a + lead + len(seg)))
    return out


def build(split, tok, max_tokens):
    """-> list of sentence records {text, ids, labels (per token, -100 for prefix/specials), gold_attr}."""
    recs = []
    for art, (text, atts) in split.items():
        role = np.zeros(len(text), dtype=np.int8)   # 0 none, 1 Source, 2 Cue, 3 Content
        frag = np.full(len(text), -1, dtype=np.int32)
        fid = 0
        for r in ["Content", "Source", "Cue"]:  # nested inner spans override
            ri = ROLES.index(r) + 1
            for a in atts:
                for s, e in a[r]:
                    role[s:e] = ri
                    frag[s:e] = fid
                    fid += 1
        for s, e in sentences(text):
            st = text[s:e]
            enc = tok(PREFIX + st, return_offsets_mapping=True, add_special_tokens=True)
            ids = enc["input_ids"]
            if len(ids) > max_tokens:
                continue
            labels, prev_frag = [], -2
            for (a, b) in enc["offset_mapping"]:
                a -= len(PREFIX); b -= len(PREFIX)
                a = max(a, 0)  # the first word's piece may start on the prefix's trailing space
                if b <= a:
                    labels.append(-100); continue
                c = a
                while c < b - 1 and st[c].isspace():
                    c += 1
                r, f = role[s + c], frag[s + c]
                if r == 0:
                    labels.append(0); prev_frag = -2
                else:
                    labels.append(1 + 2 * (r - 1) + (0 if f != prev_frag else 1)); prev_frag = f
            gold_attr = any(any(s <= cs < e for cs, _ in a["Cue"]) and any(x < e and y > s for x, y in a["Content"])
                            for a in atts)
            recs.append({"text": st, "ids": ids, "labels": labels, "gold_attr": gold_attr})
    return recs


def encode(recs, model, layers, bs=32):
    order = sorted(range(len(recs)), key=lambda i: len(recs[i]["ids"]))
    feats = [None] * len(recs)
    t0 = time.time()
    with torch.no_grad():
        for k in range(0, len(order), bs):
            idx = order[k:k + bs]
            L = max(len(recs[i]["ids"]) for i in idx)
            ids = torch.zeros(len(idx), L, dtype=torch.long)  # pad id of XLM-R is 1, masked anyway
            ids.fill_(1)
            mask = torch.zeros(len(idx), L, dtype=torch.long)
            for j, i in enumerate(idx):
                n = len(recs[i]["ids"])
                ids[j, :n] = torch.tensor(recs[i]["ids"]); mask[j, :n] = 1
            hs = model(input_ids=ids, attention_mask=mask, output_hidden_states=True).hidden_states
            for j, i in enumerate(idx):
                n = len(recs[i]["ids"])
                feats[i] = {l: hs[l][j, :n].numpy().astype(np.float16) for l in layers}
    return feats, time.time() - t0


def load_or_encode(name, recs, args, model_box):
    path = os.path.join(args.cache, "%s.npz" % name)
    if os.path.exists(path):
        z = np.load(path)
        n = np.array([len(r["ids"]) for r in recs])
        if int(z["n"].sum()) == int(n.sum()) and len(z["n"]) == len(n):
            return z, float(z["secs"])
    model = model_box()
    feats, secs = encode(recs, model, [6, 12])
    np.savez(path, n=np.array([len(r["ids"]) for r in recs]), secs=secs,
             l6=np.concatenate([f[6] for f in feats]), l12=np.concatenate([f[12] for f in feats]))
    return np.load(path), secs


def matrix(z, recs, layers):
    X = np.concatenate([z["l%d" % l] for l in layers], axis=1).astype(np.float32)
    y = np.concatenate([np.array(r["labels"]) for r in recs])
    return X, y


def spans_of(tags):
    """Greedy BIO decoding over one sentence's tag list (-1 = ignored token, skipped) -> set of (role, start, end)."""
    out, cur = set(), None
    for i, t in enumerate(tags + [0]):
        if t < 0:
            continue
        if t == 0 or t % 2 == 1 or (cur is not None and (t + 1) // 2 != cur[0]):
            if cur is not None:
                out.add((cur[0], cur[1], cur[2])); cur = None
            if t != 0:
                cur = [(t + 1) // 2, i, i + 1]
        else:
            if cur is None:
                cur = [(t + 1) // 2, i, i + 1]
            else:
                cur[2] = i + 1
    return out


def f1(tp, np_, ng):
    p = tp / np_ if np_ else 0.0
    r = tp / ng if ng else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(pred, y, recs):
    res = {}
    m = y >= 0
    for ri, r in enumerate(ROLES, 1):
        g = m & ((y + 1) // 2 == ri) & (y > 0)
        p = m & ((pred + 1) // 2 == ri) & (pred > 0)
        res["tok_" + r] = f1(int((g & p).sum()), int(p.sum()), int(g.sum()))
    k = 0
    stp = {r: [0, 0, 0] for r in range(1, 4)}
    atp = [0, 0, 0]
    for rec in recs:
        n = len(rec["ids"])
        lab = rec["labels"]
        gs = spans_of([int(v) if v >= 0 else -1 for v in lab])
        ps = spans_of([int(pred[k + i]) if lab[i] >= 0 else -1 for i in range(n)])
        k += n
        for ri in range(1, 4):
            g = {s for s in gs if s[0] == ri}; p = {s for s in ps if s[0] == ri}
            stp[ri][0] += len(g & p); stp[ri][1] += len(p); stp[ri][2] += len(g)
        pa = any(s[0] == 2 for s in ps)
        ga = rec["gold_attr"]
        atp[0] += pa and ga; atp[1] += pa; atp[2] += ga
    for ri, r in enumerate(ROLES, 1):
        res["span_" + r] = f1(*stp[ri])
    res["attr"] = f1(*atp)
    return res


def train(X, y, Xd, head, epochs, seed, lr=1e-3, bs=512):
    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    mu, sd = X.mean(0), X.std(0) + 1e-5
    Xt = torch.tensor((X - mu) / sd); yt = torch.tensor(y)
    d = X.shape[1]
    if head == "linear":
        net = torch.nn.Linear(d, len(TAGS))
    else:
        net = torch.nn.Sequential(torch.nn.Dropout(0.1), torch.nn.Linear(d, 256), torch.nn.ReLU(),
                                  torch.nn.Dropout(0.1), torch.nn.Linear(256, len(TAGS)))
    opt = torch.optim.Adam(net.parameters(), lr=lr, weight_decay=0.0)
    for ep in range(epochs):
        net.train()
        perm = torch.tensor(rng.permutation(len(yt)))
        for k in range(0, len(perm), bs):
            b = perm[k:k + bs]
            loss = torch.nn.functional.cross_entropy(net(Xt[b]), yt[b])
            opt.zero_grad(); loss.backward(); opt.step()
    net.eval()
    with torch.no_grad():
        return net(torch.tensor((Xd - mu) / sd)).argmax(1).numpy()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train-articles", type=int, default=150)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--layer", default="12", help="12 (last), 6, or 6,12 (concatenated); several with '/': 12/6,12")
    ap.add_argument("--head", default="linear", choices=["linear", "mlp", "both"])
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--max-tokens", type=int, default=128)
    ap.add_argument("--model", default=os.path.expanduser("~/.cache/framelens/models/multilingual-e5-small-q4"))
    ap.add_argument("--data", default="/work/shared/data/polnear")
    ap.add_argument("--cache", default="/tmp/tagger_probe")
    args = ap.parse_args()
    torch.set_num_threads(2)
    os.makedirs(args.cache, exist_ok=True)
    from transformers import AutoModel, AutoTokenizer
    tok = AutoTokenizer.from_pretrained(args.model)
    box = {}

    def model_box():
        if "m" not in box:
            box["m"] = AutoModel.from_pretrained(args.model, torch_dtype=torch.float32).eval()
        return box["m"]

    tr_names = sorted({os.path.basename(p)[:-4] for p in glob.glob(os.path.join(args.data, "train", "text", "*.txt"))})
    random.Random(args.seed).shuffle(tr_names)
    tr_names = set(tr_names[:args.train_articles])
    tr = build(read_split(os.path.join(args.data, "train"), tr_names), tok, args.max_tokens)
    dv = build(read_split(os.path.join(args.data, "dev")), tok, args.max_tokens)
    ztr, s_tr = load_or_encode("train_%d_s%d" % (args.train_articles, args.seed), tr, args, model_box)
    zdv, s_dv = load_or_encode("dev", dv, args, model_box)
    ntok = sum(len(r["ids"]) for r in tr + dv)
    print("train: %d articles, %d sentences, %d tokens; dev: %d sentences (%d gold attributed), %d tokens"
          % (len(tr_names), len(tr), sum(len(r["ids"]) for r in tr), len(dv), sum(r["gold_attr"] for r in dv),
             sum(len(r["ids"]) for r in dv)))
    print("encode (layers 6+12 kept, batches of 32, 2 threads, load %.2f): %.1f ms/sentence, %.2f ms/token"
          % (os.getloadavg()[0], 1000 * (s_tr + s_dv) / len(tr + dv), 1000 * (s_tr + s_dv) / ntok))
    heads = ["linear", "mlp"] if args.head == "both" else [args.head]
    hdr = "%-6s %-6s | %-23s | %-23s | %s" % ("layer", "head", "token F1 Src/Cue/Cont", "span F1 Src/Cue/Cont",
                                              "sent attribution P/R/F1")
    rows = []
    for lay in args.layer.split("/"):
        layers = [int(x) for x in lay.split(",")]
        X, y = matrix(ztr, tr, layers)
        Xd, yd = matrix(zdv, dv, layers)
        keep = y >= 0
        for h in heads:
            t0 = time.time()
            pred = train(X[keep], y[keep], Xd, h, args.epochs, args.seed)
            res = evaluate(pred, yd, dv)
            rows.append("%-6s %-6s | %s | %s | %.2f %.2f %.2f   (%.0fs)" % (
                lay, h, " ".join("%.3f" % res["tok_" + r][2] for r in ROLES).ljust(23),
                " ".join("%.3f" % res["span_" + r][2] for r in ROLES).ljust(23), *res["attr"], time.time() - t0))
            print(rows[-1], flush=True)
    print()
    print("epochs %d, seed %d, %d train articles" % (args.epochs, args.seed, len(tr_names)))
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        print(r)
    print("%-6s %-6s | %-23s | %-23s | %.2f %.2f %.2f" % ("-", "rules", "-", "-", 0.98, 0.53, 0.69))


if __name__ == "__main__":
    main()
