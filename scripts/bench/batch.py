#!/usr/bin/env python3
"""Batch throughput: `abridge batch` on 1 and 2 threads (JSONL and Parquet in and out) with peak
RSS, the in-process library on the same records (examples/batch_throughput.rs), and the Python
package in Spark local[2] (crates/abridge-py/examples/spark_briefs.py). Prints a Markdown table.

Usage: batch.py CORPUS_DIR [N] [--skip-spark]
CORPUS_DIR holds corpus-N.jsonl and corpus-N.parquet (scripts/bench/make_corpus.py).
Build first: cargo build --release -p abridge-cli && cargo build --release -p abridge --example
batch_throughput; the abridge wheel must be installed in this Python for the Spark row.
Before each timed run it waits until no compiler runs on the machine (rustc, cc1plus, cmake).
"""

import os
import pathlib
import re
import shutil
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


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit(__doc__)
    corpus = pathlib.Path(args[0])
    n = int(args[1]) if len(args) > 1 else 100_000
    src = {"jsonl": corpus / f"corpus-{n}.jsonl", "parquet": corpus / f"corpus-{n}.parquet"}
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="abridge-bench-"))
    rows = []
    lib = {}
    try:
        for threads in (1, 2):
            out, secs, rss, load = timed([LIB, src["jsonl"]], {"RAYON_NUM_THREADS": str(threads)})
            rate = float(re.search(r"per_second=([\d.]+)", out).group(1))
            lib[threads] = rate
            rows.append((f"library in-process (JSONL records in memory)", threads, rate, None, load))
            for fmt in ("jsonl", "parquet"):
                dst = tmp / f"briefs.{fmt}"
                _, secs, rss, load = timed([CLI, "batch", src[fmt], "-o", dst, "--threads", threads,
                                            "--overwrite", "--progress", "none"])
                rows.append((f"`abridge batch` {fmt} → {fmt}", threads, n / secs, rss, load))
                dst.unlink()
        if "--skip-spark" not in sys.argv:
            out, secs, rss, load = timed([sys.executable, SPARK, src["parquet"], tmp / "spark-out", "local[2]"],
                                         {"PYSPARK_PYTHON": sys.executable})
            rate = float(re.search(r"per_second=([\d.]+)", out).group(1))
            rows.append(("Spark local[2], mapInPandas + abridge wheel, Parquet → Parquet "
                         "(job time, session start excluded)", 2, rate, rss, load))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"corpus: {n} articles; `abridge batch` default options (news, 3 sentences, no faithfulness report)\n")
    print("| run | threads | articles/s | peak RSS (MB) | load before |")
    print("|---|---:|---:|---:|---:|")
    for name, threads, rate, rss, load in rows:
        rss_text = "—" if rss is None else f"{rss:.0f}"
        print(f"| {name} | {threads} | {rate:,.0f} | {rss_text} | {load:.2f} |")
    cli = {(t, name): r for name, t, r, _, _ in rows}
    print()
    for t in (1, 2):
        for fmt in ("jsonl", "parquet"):
            r = cli.get((t, f"`abridge batch` {fmt} → {fmt}"))
            if r:
                print(f"- CLI {fmt} / library, {t} thread(s): {100 * r / lib[t]:.0f}%")
    spark = [r for name, t, r, _, _ in rows if name.startswith("Spark")]
    if spark:
        parquet2 = cli[(2, "`abridge batch` parquet → parquet")]
        print(f"- Spark local[2] / CLI parquet 2 threads: {100 * spark[0] / parquet2:.0f}%")
    for note in notes:
        print(f"- note: {note}")


if __name__ == "__main__":
    main()
