#!/usr/bin/env python3
"""Briefs of a Parquet corpus with Spark: mapInArrow hands each Arrow batch to abridge.

Usage: spark_briefs.py INPUT.parquet OUTPUT_DIR [MASTER]     (MASTER defaults to local[2])

INPUT has columns id (string) and article (string). OUTPUT_DIR gets Parquet part files with the
columns of `abridge batch`'s Parquet output: id, summary, error, record (the record as JSON).
On a cluster, install the abridge wheel on every executor (or ship it with --py-files is not
enough: it has a native module; use a cluster-wide pip install or a conda/venv archive) and pass
the cluster's master URL.
"""

import os
import sys
import time

from pyspark.sql import SparkSession

OUTPUT_SCHEMA = "id string, summary string, error string, record string"


def briefs(batches):
    """Arrow record batches of (id, article) in, batches of brief columns out (no pandas)."""
    import abridge

    for batch in batches:
        yield from abridge.summarize_arrow(batch.column("article"), batch.column("id")).to_batches()


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    master = sys.argv[3] if len(sys.argv) == 4 else "local[2]"
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # Spark already runs one task per core, so each task's abridge uses one thread: more would only
    # contend with the other tasks and the JVM. (executorEnv reaches workers on a cluster; local
    # mode's Python workers inherit this process's environment.)
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    t0 = time.perf_counter()
    spark = (
        SparkSession.builder.master(master)
        .appName("abridge-briefs")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        # Arrow batches of 1,000 articles: enough work per call to amortise the hand-off, small in memory.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "1000")
        .config("spark.executorEnv.RAYON_NUM_THREADS", os.environ["RAYON_NUM_THREADS"])
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    started = time.perf_counter()
    df = spark.read.parquet(src)
    out = df.mapInArrow(briefs, schema=OUTPUT_SCHEMA)
    out.write.mode("overwrite").parquet(dst)
    done = time.perf_counter()
    n = spark.read.parquet(dst).count()
    print(
        f"records={n} seconds={done - started:.3f} per_second={n / (done - started):.1f} "
        f"session_start_seconds={started - t0:.1f} master={master}"
    )
    spark.stop()


if __name__ == "__main__":
    main()
