#!/usr/bin/env python3
"""Sums up the faithfulness reports of `abridge summarize -o json` output (JSONL, one brief per
line, as written for a JSONL batch): how many briefs, their mean score, how many are fully
supported, how many carry at least one Unsupported claim, the flags by kind, and for LLM briefs
the chunking and token counts from "generation". Prints a Markdown table.

Usage: faithfulness_summary.py BRIEFS.jsonl
"""

import collections
import json
import statistics
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    briefs = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if line.strip():
                briefs.append(json.loads(line))
    if not briefs:
        sys.exit(f"{sys.argv[1]}: no briefs")
    reports = [b["faithfulness"] for b in briefs if b.get("faithfulness")]
    if len(reports) != len(briefs):
        sys.exit(f"{len(briefs) - len(reports)} brief(s) have no faithfulness report")
    verdicts = collections.Counter()
    flags = collections.Counter()
    briefs_with_flag = collections.Counter()
    unsupported_briefs = 0
    fully = 0
    for r in reports:
        claims = r.get("claims", [])
        kinds = set()
        for c in claims:
            verdicts[c["verdict"]] += 1
            for fl in c.get("flags", []):
                flags[fl["kind"]] += 1
                kinds.add(fl["kind"])
        for k in kinds:
            briefs_with_flag[k] += 1
        if any(c["verdict"] == "unsupported" for c in claims):
            unsupported_briefs += 1
        if claims and all(c["verdict"] == "supported" for c in claims):
            fully += 1
    n = len(briefs)
    words = [len(b["summary"].split()) for b in briefs]
    print("| measure | value |")
    print("|---|---:|")
    print(f"| briefs | {n} |")
    print(f"| words per brief (mean) | {statistics.mean(words):.1f} |")
    print(f"| summary-level score (mean) | {statistics.mean(r['score'] for r in reports):.3f} |")
    print(f"| briefs fully Supported | {fully} ({100 * fully / n:.0f}%) |")
    print(f"| briefs with ≥ 1 Unsupported claim | {unsupported_briefs} ({100 * unsupported_briefs / n:.0f}%) |")
    total = sum(verdicts.values())
    for v in ("supported", "undetermined", "unsupported"):
        print(f"| claims {v} | {verdicts[v]} of {total} ({100 * verdicts[v] / max(total, 1):.0f}%) |")
    for k in sorted(flags):
        print(f"| `{k}` flags (briefs with one) | {flags[k]} ({briefs_with_flag[k]}) |")
    gens = [b["generation"] for b in briefs if b.get("generation")]
    if gens:
        chunked = sum(1 for g in gens if g.get("chunked"))
        truncated = sum(1 for g in gens if g.get("truncated"))
        print(f"| LLM briefs chunked (map-reduce) / truncated | {chunked} / {truncated} |")
        print(f"| prompt tokens, generated tokens (sums) | {sum(g.get('prompt_tokens', 0) for g in gens):,}, "
              f"{sum(g.get('completion_tokens', 0) for g in gens):,} |")


if __name__ == "__main__":
    main()
