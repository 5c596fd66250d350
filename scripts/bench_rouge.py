#!/usr/bin/env python3
"""Speed comparison: Google's rouge-score (Python) vs abridge's Rust ROUGE.

Usage (venv outside the repo, see scripts/requirements-rouge.txt):

    /work/venv-rouge/bin/python scripts/bench_rouge.py --data /work/shared/data \
        [--abridge-bench target/release/<bench-binary>] [--threads 1 2]

Pairs: every system summary of cnndm-summeval-systems.jsonl (1600 summaries x
11 references = 17600 pairs) and cnndm-realsumm-systems.jsonl (2400 x 1), each
against ALL references of its document, in file order (summeval first; for
each summary its references in stored order): 20000 pairs in all. They are
written to a temporary JSONL file, one {"target": ref, "prediction": summary}
object per line (keep it with --pairs-out PATH).

Python side: RougeScorer(["rouge1","rouge2","rougeL","rougeLsum"],
use_stemmer=True).score(target, prediction) for every pair, one thread, timed
with time.perf_counter (tokenizing included; building the scorer and reading
files excluded).

Rust side (optional): `PATH <pairs.jsonl> --threads N` for each N; it must
print exactly one JSON line on stdout:
    {"pairs": int, "seconds": float, "threads": int, "checksum": float}
checksum = sum over all pairs of the four F1 values (rouge1, rouge2, rougeL,
rougeLsum). The Python side computes the same checksum (math.fsum over the
pairs in file order); the script exits 1 if they differ by more than 1e-6, or
if the Rust program fails or prints something else.

Note: none of these summaries/references contains "\\n", so rougeLsum here
reduces to summary-level LCS with one sentence each side.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUGE_TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
CHECKSUM_TOL = 1e-6
PAIR_FILES = ["cnndm-summeval", "cnndm-realsumm"]


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def build_pairs(data: Path) -> list[tuple[str, str]]:
    """(target, prediction) pairs in a fixed, documented order."""
    pairs: list[tuple[str, str]] = []
    for name in PAIR_FILES:
        docs = {d["id"]: d for d in load_jsonl(data / f"{name}.jsonl")}
        for row in load_jsonl(data / f"{name}-systems.jsonl"):
            doc = docs.get(row["id"])
            if doc is None:
                raise SystemExit(f"error: {name}-systems.jsonl id {row['id']!r} "
                                 f"not found in {name}.jsonl")
            for ref in doc["references"]:
                pairs.append((ref, row["summary"]))
    return pairs


def write_pairs(pairs, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for target, prediction in pairs:
            fh.write(json.dumps({"target": target, "prediction": prediction},
                                ensure_ascii=False) + "\n")


def machine_info() -> dict:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover (non-Linux)
        nproc = os.cpu_count() or 0
    return {"nproc": nproc, "cpu": cpu}


def time_python(pairs):
    """Return (seconds, checksum, version) or None if rouge-score is missing."""
    try:
        from importlib.metadata import version
        from rouge_score import rouge_scorer
    except ImportError as e:
        print(f"NOTICE: rouge-score is not importable ({e}); timing only the "
              "Rust side, and the checksum cannot be cross-checked.",
              file=sys.stderr)
        return None
    scorer = rouge_scorer.RougeScorer(ROUGE_TYPES, use_stemmer=True)
    score = scorer.score
    f1s = []
    append = f1s.append
    t0 = time.perf_counter()
    for target, prediction in pairs:
        s = score(target, prediction)
        append(s["rouge1"].fmeasure)
        append(s["rouge2"].fmeasure)
        append(s["rougeL"].fmeasure)
        append(s["rougeLsum"].fmeasure)
    seconds = time.perf_counter() - t0
    return seconds, math.fsum(f1s), version("rouge-score")


class BenchError(Exception):
    pass


def run_rust(binary: str, pairs_path: Path, threads: int, timeout: float) -> dict:
    exe = shutil.which(binary) if os.sep not in binary else binary
    if exe is None or not os.path.isfile(exe):
        raise BenchError(f"abridge bench binary not found: {binary!r} "
                         "(build it first, e.g. cargo build --release)")
    if not os.access(exe, os.X_OK):
        raise BenchError(f"abridge bench binary is not executable: {exe}")
    cmd = [exe, str(pairs_path), "--threads", str(threads)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{' '.join(cmd)} did not finish in {timeout:.0f} s")
    except OSError as e:
        raise BenchError(f"cannot run {' '.join(cmd)}: {e}")
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-20:])
        raise BenchError(f"{' '.join(cmd)} exited with {proc.returncode}; "
                         f"stderr tail:\n{tail}")
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if len(lines) != 1:
        raise BenchError(f"{' '.join(cmd)} must print exactly one JSON line on "
                         f"stdout, got {len(lines)} non-empty lines:\n"
                         f"{proc.stdout[:2000]}")
    try:
        out = json.loads(lines[0])
    except json.JSONDecodeError as e:
        raise BenchError(f"{' '.join(cmd)} printed invalid JSON ({e}): "
                         f"{lines[0][:500]!r}")
    if not isinstance(out, dict):
        raise BenchError(f"expected a JSON object, got: {lines[0][:500]!r}")
    spec = {"pairs": int, "seconds": (int, float), "threads": int,
            "checksum": (int, float)}
    for key, typ in spec.items():
        val = out.get(key)
        if isinstance(val, bool) or not isinstance(val, typ):
            raise BenchError(f"{' '.join(cmd)} output lacks a valid {key!r} "
                             f"({typ}): {lines[0][:500]!r}")
    if not math.isfinite(out["checksum"]) or not math.isfinite(out["seconds"]):
        raise BenchError(f"non-finite seconds/checksum: {lines[0][:500]!r}")
    if out["seconds"] <= 0:
        raise BenchError(f"non-positive seconds: {lines[0][:500]!r}")
    return out


def parse_threads(values: list[str]) -> list[int]:
    out = []
    for v in values:
        for part in str(v).split(","):
            if part.strip():
                n = int(part)
                if n < 1:
                    raise argparse.ArgumentTypeError("thread counts must be >= 1")
                out.append(n)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="ROUGE speed comparison: "
                                 "rouge-score vs abridge")
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--abridge-bench", metavar="PATH",
                    help="Rust bench program: PATH <pairs.jsonl> --threads N")
    ap.add_argument("--threads", nargs="+", default=["1", "2"],
                    help="thread counts for the Rust side (e.g. --threads 1 2 "
                         "or --threads 1,2); default 1 2. Python is always "
                         "single-threaded")
    ap.add_argument("--pairs-out", type=Path,
                    help="keep the pair JSONL here instead of a temp file")
    ap.add_argument("--limit", type=int,
                    help="use only the first N pairs (quick checks)")
    ap.add_argument("--timeout", type=float, default=900.0,
                    help="seconds allowed for each Rust run (default 900)")
    args = ap.parse_args(argv)
    try:
        threads = parse_threads(args.threads)
    except (ValueError, argparse.ArgumentTypeError) as e:
        ap.error(f"--threads: {e}")

    pairs = build_pairs(args.data)
    if args.limit is not None:
        pairs = pairs[: args.limit]
    n = len(pairs)

    tmpdir = None
    if args.pairs_out:
        pairs_path = args.pairs_out
        pairs_path.parent.mkdir(parents=True, exist_ok=True)
    else:
        tmpdir = tempfile.TemporaryDirectory(prefix="bench-rouge-")
        pairs_path = Path(tmpdir.name) / "pairs.jsonl"
    write_pairs(pairs, pairs_path)
    print(f"{n} pairs written to {pairs_path}", file=sys.stderr)

    try:
        py = time_python(pairs)
        if py is None and not args.abridge_bench:
            print("error: rouge-score missing and no --abridge-bench given: "
                  "nothing to time", file=sys.stderr)
            return 1
        if py is not None:
            print(f"rouge-score: {n} pairs in {py[0]:.3f} s "
                  f"({n / py[0]:.1f} pairs/s), checksum {py[1]!r}",
                  file=sys.stderr)

        rows = []  # (impl, threads, pairs, seconds)
        if py is not None:
            rows.append((f"rouge-score {py[2]} (Python)", 1, n, py[0]))
        failed = False
        if args.abridge_bench:
            for t in threads:
                try:
                    out = run_rust(args.abridge_bench, pairs_path, t,
                                   args.timeout)
                except BenchError as e:
                    print(f"error: {e}", file=sys.stderr)
                    return 1
                print(f"abridge --threads {t}: {out}", file=sys.stderr)
                if out["pairs"] != n:
                    print(f"error: abridge scored {out['pairs']} pairs, "
                          f"expected {n}", file=sys.stderr)
                    failed = True
                if out["threads"] != t:
                    print(f"error: abridge reports threads={out['threads']}, "
                          f"asked for {t}", file=sys.stderr)
                    failed = True
                if py is not None:
                    diff = abs(out["checksum"] - py[1])
                    if not diff <= CHECKSUM_TOL:
                        print(f"error: checksum mismatch at --threads {t}: "
                              f"abridge {out['checksum']!r} vs rouge-score "
                              f"{py[1]!r} (|diff| = {diff:.3g} > "
                              f"{CHECKSUM_TOL})", file=sys.stderr)
                        failed = True
                rows.append(("abridge (Rust)", out["threads"], out["pairs"],
                             float(out["seconds"])))
    finally:
        if tmpdir is not None:
            tmpdir.cleanup()

    base = rows[0][3] / rows[0][2] if py is not None else None  # s per pair
    info = machine_info()
    print()
    print("| implementation | threads | pairs | seconds | pairs/s | "
          "ratio vs rouge-score |")
    print("|---|---:|---:|---:|---:|---:|")
    for impl, t, p, s in rows:
        rate = p / s
        ratio = f"{base * rate:.2f}x" if base is not None else "n/a"
        print(f"| {impl} | {t} | {p} | {s:.3f} | {rate:.1f} | {ratio} |")
    print()
    print(f"- machine: {info['nproc']} CPUs available, {info['cpu']}")
    print(f"- date: {_dt.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"- python {platform.python_version()}, rouge-score "
          f"{py[2] if py is not None else 'not installed'}")
    print("- ratio = pairs/s divided by rouge-score's pairs/s (higher is "
          "faster); Rust seconds are as reported by the bench program")
    if py is not None and args.abridge_bench:
        verdict = ("MISMATCH or other failure, see stderr" if failed
                   else f"abridge matches within {CHECKSUM_TOL}")
        print(f"- checksum (sum of 4 F1 over all pairs): {py[1]!r}; {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
