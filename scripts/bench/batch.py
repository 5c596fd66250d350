#!/usr/bin/env python3
"""Batch throughput: `abridge batch` on 1 and 2 threads (JSONL and Parquet in and out) with peak
RSS, the in-process library on the same records (examples/batch_throughput.rs), and the Python
package in Spark local[2] (crates/abridge-py/examples/spark_briefs.py). Prints a Markdown table
of the median of ROUNDS interleaved rounds per row.

Usage: batch.py CORPUS_DIR [N] [ROUNDS] [--skip-spark]      (N 100000, ROUNDS 3)
CORPUS_DIR holds corpus-N.jsonl and corpus-N.parquet (scripts/bench/make_corpus.py).
Build first: cargo build --release -p abridge-cli && cargo build --release -p abridge --example
batch_throughput; the abridge wheel must be installed in this Python for the Spark row.
Before each timed run it waits until no compiler runs on the machine (rustc, cc1plus, cmake).
"""

import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = ROOT / "target" / "release" / "abridge"
LIB = ROOT / "target" / "release" / "examples" / "batch_throughput"
SPARK = ROOT / "crates" / "abridge-py" / "examples" / "spark_briefs.py"
notes = []


def quiet():
    """Waits (up to 45 s) until no compiler has run for two checks 5 s apart."""
    deadline = time.time() + 45
    while time.time() < deadline:
        busy = [int(subprocess.run(["pgrep", "-c", "rustc|cc1plus|cmake"], capture_output=True, text=True).stdout or 0)
                for _ in range(2) if time.sleep(2.5) is None]
        if not any(busy):
            return
        time.sleep(5)
    notes.append("a compiler was still running after 45 s of waiting: figures taken under load")


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time -v; returns (stdout, wall seconds, peak RSS in MB)."""
    quiet()
    load = os.getloadavg()[0]
    r = subprocess.run(["/usr/bin/time", "-v", *map(str, cmd)], capture_output=True, text=True,
                       env={**os.environ, **(env or {})})
    if r.returncode not in (0, 3):
        sys.exit(f"{cmd} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", r.stderr).group(1)
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1)) / 1024
    print(f"# {' '.join(map(str, cmd))}: {secs:.1f} s, {rss:.0f} MB, load {load:.2f}", file=sys.stderr, flush=True)
    return r.stdout, secs, rss, load


def rate_of(out):
    return float(re.search(r"per_second=([\d.]+)", out).group(1))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit(__doc__)
    corpus = pathlib.Path(args[0])
    n = int(args[1]) if len(args) > 1 else 100_000
    rounds = int(args[2]) if len(args) > 2 else 3
    src = {"jsonl": corpus / f"corpus-{n}.jsonl", "parquet": corpus / f"corpus-{n}.parquet"}
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="abridge-bench-"))

    def library(threads):
        out, _, _, load = timed([LIB, src["jsonl"]], {"RAYON_NUM_THREADS": str(threads)})
        return rate_of(out), None, load

    def cli(fmt, threads):
        dst = tmp / f"briefs.{fmt}"
        _, secs, rss, load = timed([CLI, "batch", src[fmt], "-o", dst, "--threads", threads,
                                    "--overwrite", "--progress", "none"])
        dst.unlink()
        return n / secs, rss, load

    def spark():
        out, _, rss, load = timed([sys.executable, SPARK, src["parquet"], tmp / "spark-out", "local[2]"],
                                  {"PYSPARK_PYTHON": sys.executable})
        return rate_of(out), rss, load

    runs = []  # (name, threads, function)
    for threads in (1, 2):
        runs.append(("library in-process (JSONL records in memory)", threads, lambda t=threads: library(t)))
        for fmt in ("jsonl", "parquet"):
            runs.append((f"`abridge batch` {fmt} → {fmt}", threads, lambda f=fmt, t=threads: cli(f, t)))
    if "--skip-spark" not in sys.argv:
        runs.append(("Spark local[2], mapInArrow + abridge wheel, Parquet → Parquet "
                     "(job time, session start excluded)", 2, spark))
    results = {(name, threads): [] for name, threads, _ in runs}
    try:
        # Rounds interleave the runs, so a change in background load hits every row alike.
        for _ in range(rounds):
            for name, threads, run in runs:
                results[(name, threads)].append(run())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"corpus: {n} articles; `abridge batch` default options (news, 3 sentences, no faithfulness "
          f"report); {rounds} interleaved round(s), median and range of each row\n")
    print("| run | threads | articles/s (median) | range | peak RSS (MB) | load before (max) |")
    print("|---|---:|---:|---:|---:|---:|")
    median = {}
    for (name, threads), rs in results.items():
        rates = sorted(r for r, _, _ in rs)
        median[(name, threads)] = statistics.median(rates)
        rss = [m for _, m, _ in rs if m is not None]
        rss_text = f"{max(rss):.0f}" if rss else "—"
        print(f"| {name} | {threads} | {median[(name, threads)]:,.0f} | {rates[0]:,.0f}–{rates[-1]:,.0f} "
              f"| {rss_text} | {max(l for _, _, l in rs):.2f} |")
    print()
    lib = {t: median[(name, t)] for name, t in median if name.startswith("library")}
    for t in (1, 2):
        for fmt in ("jsonl", "parquet"):
            r = median[(f"`abridge batch` {fmt} → {fmt}", t)]
            print(f"- CLI {fmt} / library, {t} thread(s): {100 * r / lib[t]:.0f}% (medians)")
    spark_rate = [r for (name, _), r in median.items() if name.startswith("Spark")]
    if spark_rate:
        parquet2 = median[("`abridge batch` parquet → parquet", 2)]
        print(f"- Spark local[2] / CLI parquet 2 threads: {100 * spark_rate[0] / parquet2:.0f}% (medians)")
    for note in notes:
        print(f"- note: {note}")


if __name__ == "__main__":
    main()
