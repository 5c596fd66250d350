"""abridge inside Spark (local[2]): mapInPandas and mapInArrow over a DataFrame of articles."""

import json
import os
import sys

import pytest

import abridge
from conftest import need, same_record, workers_can_import_tests


@pytest.fixture(scope="module")
def spark():
    need("pyspark")
    need("pandas")
    need("pyarrow")
    from pyspark.sql import SparkSession

    workers_can_import_tests()
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("abridge-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def briefs(batches):
    """mapInPandas: one pandas DataFrame of (id, article) in, one of brief columns out."""
    import pandas as pd

    import abridge

    for df in batches:
        yield pd.DataFrame(abridge.summarize_columns(df["article"].tolist(), df["id"].tolist()))


def arrow_briefs(batches):
    """mapInArrow: Arrow record batches of (id, article) in, batches of brief columns out."""
    import abridge

    for batch in batches:
        yield from abridge.summarize_arrow(batch.column("article"), batch.column("id")).to_batches()


@pytest.mark.parametrize("mode", ["pandas", "arrow"])
def test_spark_map_in_pandas_or_arrow_equals_the_package(spark, corpus, mode):
    df = spark.createDataFrame(corpus, "id string, article string").repartition(2)
    schema = "id string, summary string, error string, record string"
    if mode == "pandas":
        out = df.mapInPandas(briefs, schema=schema)
    else:
        out = df.mapInArrow(arrow_briefs, schema=schema)
    rows = {r["id"]: r for r in out.collect()}
    assert len(rows) == len(corpus)
    expected = abridge.summarize_json([t for _, t in corpus], [i for i, _ in corpus])
    for (doc_id, _), record in zip(corpus, expected):
        row = rows[doc_id]
        assert same_record(row["record"], record)
        if "summary" in json.loads(record):
            assert row["record"] == record
        assert row["summary"] == json.loads(record).get("summary")
        assert row["error"] == json.loads(record).get("error")
