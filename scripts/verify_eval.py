#!/usr/bin/env python3
"""Check `abridge eval` against Python rouge-score, document by document.

Runs `abridge eval --data DATA --predictions PRED [--system S ...] --references as-given --json OUT`
and recomputes every document's scores with Google's rouge-score 0.1.2
(`RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True).score_multi`, and
`.score` against each reference for the mean-over-references convention). Every precision, recall
and F1 must agree to 1e-9; the script prints the largest difference seen and exits 1 on any
mismatch.

`--references as-given` is used because rouge-score itself does not sentence-split: with it, both
sides score exactly the same strings. (R1, R2 and RL ignore newlines anyway; only Lsum depends on
the split.)

Usage:
    pip install -r scripts/requirements-rouge.txt
    python scripts/verify_eval.py --abridge target/release/abridge \
        --data ../shared/data/cnndm-summeval.jsonl \
        --predictions ../shared/data/cnndm-summeval-systems.jsonl --system M0 --system M22
"""

import argparse
import json
import subprocess
import sys
import tempfile

from rouge_score import rouge_scorer

TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--abridge", required=True, help="path to the abridge binary")
    ap.add_argument("--data", required=True)
    ap.add_argument("--predictions", required=True)
    ap.add_argument("--system", action="append", default=[])
    args = ap.parse_args()

    with tempfile.NamedTemporaryFile(suffix=".jsonl") as out:
        cmd = [args.abridge, "eval", "--data", args.data, "--predictions", args.predictions,
               "--references", "as-given", "--json", out.name]
        for s in args.system:
            cmd += ["--system", s]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        ours = load_jsonl(out.name)

    docs = {str(d["id"]): d for d in load_jsonl(args.data)}
    preds = {}
    for p in load_jsonl(args.predictions):
        if args.system and p.get("system") not in args.system:
            continue
        name = p.get("system") if args.system else None
        preds[(name, str(p["id"]))] = p["summary"]

    scorer = rouge_scorer.RougeScorer(TYPES, use_stemmer=True)
    worst = 0.0
    bad = 0
    for row in ours:
        system = row["system"] if args.system else None
        summary = preds[(system, row["id"])]
        refs = docs[row["id"]]["references"]
        best = scorer.score_multi(refs, summary)
        each = [scorer.score(r, summary) for r in refs]
        for t in TYPES:
            want_max = best[t]
            want_mean = [sum(getattr(e[t], f) for e in each) / len(each)
                         for f in ("precision", "recall", "fmeasure")]
            got_max = row["max"][t]
            got_mean = row["mean"][t]
            for i, f in enumerate(("precision", "recall", "fmeasure")):
                for got, want in ((got_max[f], getattr(want_max, f)), (got_mean[f], want_mean[i])):
                    diff = abs(got - want)
                    worst = max(worst, diff)
                    if diff > 1e-9:
                        bad += 1
                        print(f"MISMATCH {row['system']} {row['id']} {t}.{f}: {got} vs {want}")
    print(f"{len(ours)} documents x 4 variants x P/R/F x (max, mean) compared; "
          f"largest difference {worst:.3e}; mismatches over 1e-9: {bad}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
