#!/usr/bin/env python3
"""Briefs of a Parquet corpus with Spark: mapInPandas calls abridge on each Arrow batch.

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
    import pandas as pd

    import abridge

    for df in batches:
        yield pd.DataFrame(abridge.summarize_columns(df["article"].tolist(), df["id"].tolist()))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    master = sys.argv[3] if len(sys.argv) == 4 else "local[2]"
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    t0 = time.perf_counter()
    spark = (
        SparkSession.builder.master(master)
        .appName("abridge-briefs")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        # Arrow batches of 1,000 articles: big enough for abridge's parallelism, small in memory.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "1000")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    started = time.perf_counter()
    df = spark.read.parquet(src)
    out = df.mapInPandas(briefs, schema=OUTPUT_SCHEMA)
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
