"""The Python package and `abridge batch` write the same records, byte for byte."""

import json
import subprocess

import abridge
from conftest import need


def run_batch(abridge_bin, src, out, *flags):
    result = subprocess.run(
        [abridge_bin, "batch", str(src), "-o", str(out), "--progress", "none", *flags],
        capture_output=True,
        text=True,
    )
    # 3: the empty article is an error record.
    assert result.returncode == 3, result.stderr


def test_jsonl_records_are_identical(tmp_path, corpus, abridge_bin):
    src = tmp_path / "corpus.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for doc_id, text in corpus:
            f.write(json.dumps({"id": doc_id, "article": text}) + "\n")
    cases = [
        ((), {}),
        (("--method", "lead", "--words", "40", "--faithfulness"), {"method": "lead", "words": 40, "faithfulness": True}),
    ]
    for flags, options in cases:
        out = tmp_path / "briefs.jsonl"
        out.unlink(missing_ok=True)
        run_batch(abridge_bin, src, out, *flags)
        cli = out.read_text(encoding="utf-8").splitlines()
        py = abridge.summarize_json([t for _, t in corpus], [i for i, _ in corpus], **options)
        assert len(cli) == len(py) == len(corpus)
        for i, (a, b) in enumerate(zip(cli, py)):
            assert a == b, f"record {i} differs"


def test_parquet_columns_are_identical(tmp_path, corpus, abridge_bin):
    pq = need("pyarrow.parquet")
    pa = need("pyarrow")
    src = tmp_path / "corpus.parquet"
    pq.write_table(pa.table({"id": [i for i, _ in corpus], "article": [t for _, t in corpus]}), src)
    out = tmp_path / "briefs.parquet"
    run_batch(abridge_bin, src, out)
    cli = pq.read_table(out).to_pydict()
    py = abridge.summarize_arrow(pa.array([t for _, t in corpus]), pa.array([i for i, _ in corpus])).to_pydict()
    assert cli == py
