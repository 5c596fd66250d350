#!/usr/bin/env python3
"""Briefs of a Parquet corpus with Ray Data: map_batches calls abridge on each batch.

Usage: ray_briefs.py INPUT.parquet OUTPUT_DIR [NUM_CPUS]     (NUM_CPUS defaults to 2)

INPUT has columns id and article; OUTPUT_DIR gets Parquet files with id, summary, error, record.
On a cluster, call ray.init(address="auto") instead and install the abridge wheel in the
runtime environment of every node.
"""

import os
import sys
import time

import ray


class Briefs:
    def __call__(self, batch):
        import pandas as pd

        import abridge

        return pd.DataFrame(abridge.summarize_columns(batch["article"].tolist(), batch["id"].tolist()))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    cpus = int(sys.argv[3]) if len(sys.argv) == 4 else 2
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
    started = time.perf_counter()
    ds = ray.data.read_parquet(src)
    ds.map_batches(Briefs, batch_format="pandas", batch_size=1000, concurrency=cpus).write_parquet(dst)
    done = time.perf_counter()
    n = ray.data.read_parquet(dst).count()
    print(f"records={n} seconds={done - started:.3f} per_second={n / (done - started):.1f} num_cpus={cpus}")
    ray.shutdown()


if __name__ == "__main__":
    main()
