#!/usr/bin/env python3
"""Builds a benchmark corpus: N articles as JSONL and Parquet, from the document files of a data
directory (every `*.jsonl` there except `*-systems.jsonl`), repeated in order under new ids.

Usage: make_corpus.py DATA_DIR OUT_DIR [N]     (N defaults to 100000)
Writes OUT_DIR/corpus-N.jsonl ({"id", "article"} per line) and OUT_DIR/corpus-N.parquet (columns
id, article; row groups of 10,000 rows; Snappy). Needs pyarrow for the Parquet file.
"""

import json
import pathlib
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    data = pathlib.Path(sys.argv[1])
    out = pathlib.Path(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) == 4 else 100_000
    articles = []
    for path in sorted(data.glob("*.jsonl")):
        if path.name.endswith("-systems.jsonl"):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                if isinstance(record.get("article"), str) and record["article"].strip():
                    articles.append(record["article"])
    if not articles:
        sys.exit(f"no articles in {data}/*.jsonl")
    out.mkdir(parents=True, exist_ok=True)
    ids = [f"a{i:07d}" for i in range(n)]
    jsonl = out / f"corpus-{n}.jsonl"
    with open(jsonl, "w", encoding="utf-8") as f:
        for i, doc_id in enumerate(ids):
            f.write(json.dumps({"id": doc_id, "article": articles[i % len(articles)]}, ensure_ascii=False))
            f.write("\n")
    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet = out / f"corpus-{n}.parquet"
    with pq.ParquetWriter(parquet, pa.schema([("id", pa.string()), ("article", pa.string())])) as w:
        for start in range(0, n, 10_000):
            part = range(start, min(n, start + 10_000))
            w.write_table(
                pa.table({"id": [ids[i] for i in part], "article": [articles[i % len(articles)] for i in part]}),
                row_group_size=10_000,
            )
    print(f"{len(articles)} distinct articles -> {n} records: {jsonl} ({jsonl.stat().st_size} bytes), "
          f"{parquet} ({parquet.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
