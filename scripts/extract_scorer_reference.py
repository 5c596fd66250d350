#!/usr/bin/env python3
"""Recomputes the tp/fp/fn of crates/abridge/tests/fixtures/extract-scorer-parity.jsonl with the
article-extraction benchmark's own tokenization (Python `re.findall(r"\\w+", text)`, 4-token
shingles as a multiset), so the Rust scorer in `eval::extract` can be checked against it.

Usage: python3 scripts/extract_scorer_reference.py FIXTURE [--check]
Without --check the file is rewritten in place; with it, the script exits 1 on any difference.
Standard library only; the committed file was made with Python 3.11.7.
"""
import json
import re
import sys
from collections import Counter


def shingles(text):
    tokens = re.findall(r"\w+", text)
    if not tokens:
        return Counter()
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + 4]) for i in range(len(tokens) - 3))


def counts(prediction, gold):
    p, g = shingles(prediction), shingles(gold)
    return sum((p & g).values()), sum((p - g).values()), sum((g - p).values())


def main():
    path = sys.argv[1]
    check = "--check" in sys.argv[2:]
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    bad = 0
    for row in rows:
        tp, fp, fn = counts(row["prediction"], row["gold"])
        if check and (row["tp"], row["fp"], row["fn"]) != (tp, fp, fn):
            print(f"{row['name']}: stored {row['tp']},{row['fp']},{row['fn']} != {tp},{fp},{fn}")
            bad += 1
        row.update(tp=tp, fp=fp, fn=fn)
    if check:
        sys.exit(1 if bad else 0)
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
