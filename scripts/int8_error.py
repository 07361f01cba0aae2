"""How far int8 variants move the embeddings from the model's own f32 ones.

Usage: python scripts/int8_error.py [MODEL_DIR] [--sentences N]
(the project venv; MODEL_DIR defaults to $FRAMELENS_MODEL_DIR)

This is the measurement behind the int8 scheme of src/encode/forward.rs. It
simulates each variant in f32 with Hugging Face transformers (quantize, then
dequantize: the same numbers as an exact integer product, up to float rounding)
and prints, per variant, the mean and max of 1 - cosine(int8, f32) over
training-pool sentences only (models/train/project_sentences.csv and, when
`framelens data` has written it, target/data/train_factnews.csv), never the
evaluation splits. Quantization everywhere: weights per output row, activations
per token, symmetric, +-127. "smoothed": projections reading a layer norm
divide each input channel by s = a^0.5 / w^0.5 (a = |gain| + |bias| of that
layer norm, w = the channel's largest weight) and multiply the weights by it,
and its 8 largest-a channels get a separate per-token scale.
"""
import argparse
import csv
import os
import random

import torch
from transformers import AutoModel, AutoTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fake_quant(x, dim):
    s = x.abs().amax(dim, keepdim=True).clamp_min(1e-12) / 127
    return (x / s).round() * s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", nargs="?", default=os.environ.get("FRAMELENS_MODEL_DIR"))
    ap.add_argument("--sentences", type=int, default=300)
    args = ap.parse_args()
    torch.set_num_threads(max(1, (os.cpu_count() or 1)))
    tok = AutoTokenizer.from_pretrained(args.model)
    model = AutoModel.from_pretrained(args.model).eval()

    texts = []
    for rel in ["models/train/project_sentences.csv", "target/data/train_factnews.csv"]:
        path = os.path.join(ROOT, rel)
        if os.path.exists(path):
            with open(path, newline="", encoding="utf-8") as f:
                texts += [r["text"] for r in csv.DictReader(f)]
    random.Random(3).shuffle(texts)
    texts = ["query: " + t for t in texts[: args.sentences]]

    def embed():
        out = []
        with torch.no_grad():
            for t in texts:
                b = tok([t], return_tensors="pt", truncation=True, max_length=512)
                h = model(**b).last_hidden_state.mean(1)
                out.append(torch.nn.functional.normalize(h, dim=-1)[0])
        return torch.stack(out)

    reference = embed()
    linears = {n: m for n, m in model.named_modules()
               if isinstance(m, torch.nn.Linear) and ".layer." in n}
    original = {n: m.forward for n, m in linears.items()}
    layers = model.encoder.layer

    def input_norm(name):
        i = int(name.split(".layer.")[1].split(".")[0])
        if name.endswith(("query", "key", "value")):
            return model.embeddings.LayerNorm if i == 0 else layers[i - 1].output.LayerNorm
        if name.endswith("intermediate.dense"):
            return layers[i].attention.output.LayerNorm
        return None

    def configure(f32=lambda n: False, smooth=True):
        for n, m in linears.items():
            m.forward = original[n]
            if f32(n):
                continue
            w = m.weight.data
            norm = input_norm(n) if smooth else None
            s = torch.ones(w.shape[1])
            keep = torch.zeros(w.shape[1], dtype=torch.bool)
            if norm is not None:
                a = (norm.weight.abs() + norm.bias.abs()).clamp_min(1e-5)
                keep[a.topk(8).indices] = True
                s = a.sqrt() / w.abs().amax(0).clamp_min(1e-5).sqrt()
            w_main = w * s
            w_main[:, keep] = 0
            w_main = fake_quant(w_main, 1)
            w_keep = fake_quant(w[:, keep], 1) if keep.any() else None

            def forward(x, m=m, s=s, keep=keep, w_main=w_main, w_keep=w_keep):
                y = torch.nn.functional.linear(fake_quant((x / s).masked_fill(keep, 0), -1), w_main, m.bias)
                if w_keep is not None:
                    y = y + fake_quant(x[..., keep], -1) @ w_keep.t()
                return y

            m.forward = forward

    value = lambda n: n.endswith("value")
    variants = [
        ("every projection, plain", dict(smooth=False)),
        ("every projection, smoothed", dict()),
        ("smoothed, value in f32 (shipped)", dict(f32=value)),
        ("smoothed, q/k/v in f32", dict(f32=lambda n: n.endswith(("query", "key", "value")))),
        ("smoothed, value + feed-forward out in f32",
         dict(f32=lambda n: value(n) or (n.endswith("output.dense") and "attention" not in n))),
    ]
    print(f"{len(texts)} training-pool sentences; 1 - cosine(int8 variant, f32):")
    for name, kw in variants:
        configure(**kw)
        gap = 1 - (embed() * reference).sum(-1)
        print(f"  {name:<44} mean {gap.mean():.2e}  max {gap.max():.2e}", flush=True)


if __name__ == "__main__":
    main()
