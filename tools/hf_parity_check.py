"""Checks that HF transformers reads r2r's model directories as r2r does.

Input: a fixture folder written by io.github.r2r.examples.ExportHfParityFixture (model directories
saved by r2r's own writer, and expected.json with r2r's tokenizations and outputs). For every model it
loads the directory with transformers (AutoModel for a bi-encoder, AutoModelForSequenceClassification
for a cross-encoder) and its tokenizer.json with PreTrainedTokenizerFast, then compares:
token ids of each text; each input's normalised pooled embedding or logit, computed one sequence at a
time and as one padded batch, in fp32 on the CPU and, when there is one, on the GPU (TF32 off).
Prints one JSON object with the largest differences; exits 1 if a tolerance is exceeded.

usage: python tools/hf_parity_check.py FIXTURE_DIR [--json OUT]
"""
import json
import sys

import torch
import transformers
from transformers import AutoModel, AutoModelForSequenceClassification, PreTrainedTokenizerFast

TOLERANCE = 1e-4


def pooled(hidden, mask, pooling):
    if pooling == "CLS":
        return hidden[:, 0]
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)


def outputs(model, cases, scoring, pooling, device, batched):
    groups = [cases] if batched else [[c] for c in cases]
    results = []
    for group in groups:
        width = max(len(c["input_ids"]) for c in group)
        ids = torch.zeros(len(group), width, dtype=torch.long)
        types = torch.zeros_like(ids)
        mask = torch.zeros_like(ids)
        for i, c in enumerate(group):
            n = len(c["input_ids"])
            ids[i, :n] = torch.tensor(c["input_ids"])
            types[i, :n] = torch.tensor(c["token_type_ids"])
            mask[i, :n] = 1
        with torch.no_grad():
            out = model(input_ids=ids.to(device), token_type_ids=types.to(device), attention_mask=mask.to(device))
        if scoring == "BI_ENCODER":
            e = pooled(out.last_hidden_state, mask.to(device), pooling)
            e = e / e.norm(dim=1, keepdim=True).clamp(min=1e-12)
            results.extend(e.float().cpu())
        else:
            results.extend(out.logits[:, 0].float().cpu())
    return results


def main():
    root = sys.argv[1]
    out_file = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    fixture = json.load(open(f"{root}/expected.json"))
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    report = {"torch": torch.__version__, "transformers": transformers.__version__, "devices": devices,
              "tolerance": TOLERANCE, "models": []}
    ok = True
    for m in fixture["models"]:
        d = f"{root}/{m['dir']}"
        entry = {"dir": m["dir"], "scoring": m["scoring"]}
        tok = PreTrainedTokenizerFast(tokenizer_file=f"{d}/tokenizer.json")
        mismatched = [t["text"] for t in m["tokenizations"]
                      if tok(t["text"], add_special_tokens=False)["input_ids"] != t["ids"]]
        entry["tokenization_mismatches"] = len(mismatched)
        ok &= not mismatched
        cls = AutoModel if m["scoring"] == "BI_ENCODER" else AutoModelForSequenceClassification
        model, info = cls.from_pretrained(d, output_loading_info=True, dtype=torch.float32)
        entry["hf_class"] = type(model).__name__
        # Lists in transformers 4, sets in 5: sorted lists either way.
        entry["missing_keys"] = sorted(info["missing_keys"])
        entry["unexpected_keys"] = sorted(info["unexpected_keys"])
        entry["mismatched_keys"] = sorted(str(k) for k in info["mismatched_keys"])
        # A bi-encoder has no pooler; BertModel builds one anyway and reports it missing. Unused here.
        entry["missing_keys_that_matter"] = [k for k in entry["missing_keys"] if not k.startswith("pooler.")]
        ok &= not entry["missing_keys_that_matter"] and not info["mismatched_keys"]
        model.eval()
        for device in devices:
            model.to(device)
            for batched in (False, True):
                got = outputs(model, m["cases"], m["scoring"], m["pooling"], device, batched)
                worst = 0.0
                for c, g in zip(m["cases"], got):
                    want = torch.tensor(c["embedding"] if m["scoring"] == "BI_ENCODER" else [c["logit"]])
                    worst = max(worst, (g.reshape(-1) - want.reshape(-1)).abs().max().item())
                key = f"max_abs_diff_{device}_{'batched' if batched else 'single'}"
                entry[key] = worst
                ok &= worst <= TOLERANCE
        report["models"].append(entry)
    report["ok"] = bool(ok)
    text = json.dumps(report, indent=2)
    print(text)
    if out_file:
        open(out_file, "w").write(text + "\n")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
