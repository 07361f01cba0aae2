"""The throughput benchmark's peers: other engines embedding the same sentences (scripts/bench.py).

Two commands:

  python scripts/bench_peer.py convert --model DIR --out CACHE [--calibration SENTENCES.csv]
      Converts the model directory once, with the peer venv (scripts/setup-bench.sh):
      model.onnx (torch.onnx.export of the f32 model), ort-int8.onnx (ONNX Runtime
      quantize_dynamic, per-channel int8 weights), ov-f32.xml (OpenVINO, f32 weights),
      ov-int8-<hash>.xml (NNCF static int8, calibrated on SENTENCES.csv), ct2-f32/ and
      ct2-int8/ (CTranslate2). What exists is kept; prints {engine: path or error} as JSON.

  python scripts/bench_peer.py run --engine E --model DIR --peers CACHE --input SENTENCES.csv
                                   --output OUT.npy [--threads T] [--ov-int8 MODEL.xml]
      One whole-process run of engine E: imports, loading, tokenizing, the loop, writing
      OUT.npy (float32 [n, dim], input order). Prints one JSON line: the engine, what
      precision it really ran at, the sentence count.

Every engine gets the same work: the model directory's tokenizer.json through the
`tokenizers` library, "query: " + sentence, truncation at 512 tokens, batches of 32
sentences sorted by token count (longest first) and padded to the longest, T threads,
and the same pooling: the attention-masked mean of the last hidden layer, L2-normalised.
Only the forward pass differs. `transformers` (the reference, f32) runs in the project
venv; the others need neither torch nor transformers at run time.
"""
import argparse
import csv
import hashlib
import json
import os
import sys

BATCH = 32
MAX_TOKENS = 512
ENGINES = ["transformers-f32", "ov-f32", "ov-bf16", "ov-int8", "ov-int8bf16", "ct2-int8", "ct2-f32", "ort-int8", "ort-f32"]


def read_sentences(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [row["text"] for row in csv.DictReader(f)]


def prefix_of(model_dir):
    try:
        with open(os.path.join(model_dir, "framelens.json"), encoding="utf-8") as f:
            return json.load(f).get("prefix", "query: ")
    except FileNotFoundError:
        return "query: "


def tokenize(model_dir, texts):
    """Token ids of "query: " + text, truncated, with the tokenizer of the model directory."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    prefix = prefix_of(model_dir)
    ids = [e.ids for e in tok.encode_batch([prefix + t for t in texts])]
    pad = tok.token_to_id("<pad>")
    return ids, (1 if pad is None else pad)


def batches(ids, pad):
    """(indices, input_ids [b, L] int64, attention_mask [b, L] int64): 32 at a time, longest first."""
    import numpy as np

    order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
    for k in range(0, len(order), BATCH):
        idx = order[k:k + BATCH]
        width = len(ids[idx[0]])
        input_ids = np.full((len(idx), width), pad, dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        for r, i in enumerate(idx):
            input_ids[r, :len(ids[i])] = ids[i]
            mask[r, :len(ids[i])] = 1
        yield idx, input_ids, mask


def pool(hidden, mask):
    import numpy as np

    m = mask[:, :, None].astype(np.float32)
    mean = (hidden[:, :mask.shape[1]] * m).sum(1) / np.maximum(m.sum(1), 1.0)
    return mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)


# ---------------------------------------------------------------- engines (run)
# Each returns (forward(input_ids, mask) -> last hidden state [b, L, d] numpy, precision it runs at).

def engine_transformers(model_dir, peers, threads, precision, **_):
    import torch
    from transformers import AutoModel

    torch.set_num_threads(threads)
    model = AutoModel.from_pretrained(model_dir).eval()

    def forward(input_ids, mask):
        with torch.inference_mode():
            return model(input_ids=torch.from_numpy(input_ids),
                         attention_mask=torch.from_numpy(mask)).last_hidden_state.numpy()
    return forward, "f32"


def engine_openvino(model_dir, peers, threads, precision, ov_int8=None):
    import openvino as ov

    core = ov.Core()
    int8 = precision.startswith("int8")
    xml = ov_int8 if int8 else os.path.join(peers, "ov-f32.xml")
    # What is not int8 runs at this precision. On a CPU with AMX or AVX512-BF16 OpenVINO's
    # default is bf16, so f32 is asked for explicitly; `int8bf16` is the int8 model at that
    # default (faster, but on real sentences its worst 1 - cos reaches 0.1).
    rest = {"f32": "f32", "bf16": "bf16", "int8": "f32", "int8bf16": "bf16"}[precision]
    config = {"INFERENCE_NUM_THREADS": threads, "NUM_STREAMS": 1, "PERFORMANCE_HINT": "LATENCY",
              "INFERENCE_PRECISION_HINT": rest}
    compiled = core.compile_model(xml, "CPU", config)
    hint = compiled.get_property("INFERENCE_PRECISION_HINT")
    ran = hint.get_type_name() if hasattr(hint, "get_type_name") else str(hint)
    request = compiled.create_infer_request()

    def forward(input_ids, mask):
        request.infer({"input_ids": input_ids, "attention_mask": mask})
        return request.get_output_tensor(0).data.copy()
    return forward, f"int8, rest {ran}" if int8 else ran


def engine_ctranslate2(model_dir, peers, threads, precision, **_):
    import numpy as np

    # CTranslate2 picks AVX2 kernels on some AVX-512 CPUs; ask for AVX-512 where the CPU has it.
    if "avx512f" in open("/proc/cpuinfo").read():
        os.environ.setdefault("CT2_FORCE_CPU_ISA", "AVX512")
    import ctranslate2

    compute = {"int8": "int8", "f32": "float32"}[precision]
    enc = ctranslate2.Encoder(os.path.join(peers, f"ct2-{precision}"), device="cpu", compute_type=compute,
                              intra_threads=threads, inter_threads=1)

    def forward(input_ids, mask):
        lengths = mask.sum(1)
        ids = [row[:n].tolist() for row, n in zip(input_ids, lengths)]
        out = enc.forward_batch(ids)
        return np.asarray(out.last_hidden_state)
    return forward, f"{precision} ({os.environ.get('CT2_FORCE_CPU_ISA', 'default ISA')})"


def engine_onnxruntime(model_dir, peers, threads, precision, **_):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    path = os.path.join(peers, "model.onnx" if precision == "f32" else "ort-int8.onnx")
    session = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])

    def forward(input_ids, mask):
        return session.run(["last_hidden_state"], {"input_ids": input_ids, "attention_mask": mask})[0]
    return forward, precision


RUNNERS = {"transformers": engine_transformers, "ov": engine_openvino, "ct2": engine_ctranslate2,
           "ort": engine_onnxruntime}


def run(args):
    import numpy as np

    family, precision = args.engine.rsplit("-", 1)
    if family == "ov" and precision.startswith("int8") and not args.ov_int8:
        sys.exit("the ov-int8 engines need --ov-int8 MODEL.xml (what `convert` printed)")
    forward, ran = RUNNERS[family](args.model, args.peers, args.threads, precision, ov_int8=args.ov_int8)
    texts = read_sentences(args.input)
    ids, pad = tokenize(args.model, texts)
    out = None
    for idx, input_ids, mask in batches(ids, pad):
        emb = pool(np.asarray(forward(input_ids, mask), dtype=np.float32), mask)
        if out is None:
            out = np.zeros((len(texts), emb.shape[1]), dtype=np.float32)
        out[idx] = emb
    np.save(args.output, out)
    print(json.dumps({"engine": args.engine, "precision": ran, "sentences": len(texts)}))


# ---------------------------------------------------------------- conversion

def export_onnx(model_dir, path):
    import torch
    from transformers import AutoModel

    # The eager attention exports as plain MatMul/Softmax, which every peer's optimizer knows.
    model = AutoModel.from_pretrained(model_dir, attn_implementation="eager").eval()

    class LastHidden(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask):
            return self.m(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    ids = torch.ones((2, 16), dtype=torch.int64)
    tmp = path + ".tmp"
    torch.onnx.export(LastHidden(model), (ids, torch.ones_like(ids)), tmp, opset_version=17,
                      input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                    "last_hidden_state": {0: "batch", 1: "seq"}})
    os.replace(tmp, path)


def quantize_ort(src, dst):
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(src, dst + ".tmp.onnx", per_channel=True, weight_type=QuantType.QInt8)
    os.replace(dst + ".tmp.onnx", dst)


def convert_ov(src, dst):
    import openvino as ov

    model = ov.convert_model(src)
    # save_model compresses weights to f16 by default: keep the f32 weights.
    ov.save_model(model, dst, compress_to_fp16=False)


def quantize_ov(model_dir, src, dst, calibration):
    import nncf
    import openvino as ov

    texts = read_sentences(calibration)
    ids, _ = tokenize(model_dir, texts)
    import numpy as np
    items = [{"input_ids": np.array([i], dtype=np.int64), "attention_mask": np.ones((1, len(i)), dtype=np.int64)}
             for i in ids]
    model = ov.Core().read_model(src)
    q = nncf.quantize(model, nncf.Dataset(items), model_type=nncf.ModelType.TRANSFORMER,
                      subset_size=len(items))
    ov.save_model(q, dst, compress_to_fp16=False)


def convert_ct2(model_dir, dst, quantization):
    import ctranslate2

    ctranslate2.converters.TransformersConverter(model_dir).convert(
        dst + ".tmp", quantization=quantization, force=True)
    os.replace(dst + ".tmp", dst)


def convert(args):
    os.makedirs(args.out, exist_ok=True)
    done = {}

    def step(name, path, fn):
        if os.path.exists(path):
            done[name] = path
            return
        try:
            fn()
            done[name] = path
        except Exception as e:  # a peer that does not convert is reported, not fatal
            done[name] = f"error: {type(e).__name__}: {e}"[:400]
            print(f"bench_peer: {name}: {done[name]}", file=sys.stderr)

    onnx = os.path.join(args.out, "model.onnx")
    step("onnx", onnx, lambda: export_onnx(args.model, onnx))
    step("ort-int8", os.path.join(args.out, "ort-int8.onnx"),
         lambda: quantize_ort(onnx, os.path.join(args.out, "ort-int8.onnx")))
    ov_xml = os.path.join(args.out, "ov-f32.xml")
    step("ov-f32", ov_xml, lambda: convert_ov(onnx, ov_xml))
    if args.calibration:
        h = hashlib.sha256(open(args.calibration, "rb").read()).hexdigest()[:12]
        name = f"ov-int8-{h}.xml"
        step("ov-int8", os.path.join(args.out, name),
             lambda: quantize_ov(args.model, ov_xml, os.path.join(args.out, name), args.calibration))
    for q, name in [("int8", "ct2-int8"), (None, "ct2-f32")]:
        path = os.path.join(args.out, name)
        step(name, path, lambda q=q, path=path: convert_ct2(args.model, path, q))
    print(json.dumps(done))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("convert")
    c.add_argument("--model", required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--calibration")
    r = sub.add_parser("run")
    r.add_argument("--engine", required=True, choices=ENGINES)
    r.add_argument("--model", required=True)
    r.add_argument("--peers", required=True)
    r.add_argument("--input", required=True)
    r.add_argument("--output", required=True)
    r.add_argument("--threads", type=int, default=2)
    r.add_argument("--ov-int8", help="the NNCF int8 model for ov-int8* (one per calibration set)")
    args = ap.parse_args()
    (convert if args.command == "convert" else run)(args)


if __name__ == "__main__":
    main()
