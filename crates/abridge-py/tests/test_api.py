"""The Python API: shapes, options, errors, Arrow."""

import json
import sys
import threading

import pytest

import abridge
from conftest import need


def test_summarize_returns_the_record_as_a_dict(articles):
    doc_id, text = articles[0]
    record = abridge.summarize(text, id=doc_id, sentences=2, include_text=True, faithfulness=True)
    assert record["id"] == doc_id
    assert record["method"] == "news"
    assert len(record["sentences"]) == 2
    source = record["document"]["text"]
    for sentence in record["sentences"]:
        assert len(sentence["source"]) == len(sentence["source_chars"]) > 0
        for span, chars in zip(sentence["source"], sentence["source_chars"]):
            by_bytes = source.encode()[span["start"] : span["end"]].decode()
            assert by_bytes == source[chars["start"] : chars["end"]]
            assert sentence["text"] in by_bytes or by_bytes in sentence["text"]
    assert 0.0 <= record["faithfulness"]["score"] <= 1.0
    assert "error" not in record


def test_bad_articles_give_error_records_not_exceptions():
    records = abridge.summarize_batch(["A fine sentence here. And another one.", "   ", None])
    assert [r["id"] for r in records] == [0, 1, 2]
    assert "summary" in records[0]
    assert "empty" in records[1]["error"] and records[1]["line"] == 2
    assert "empty" in records[2]["error"] and records[2]["line"] == 3


def test_options_are_checked():
    with pytest.raises(TypeError, match="unknown option"):
        abridge.summarize("Text. More text.", sentense=2)
    with pytest.raises(ValueError, match="unknown method"):
        abridge.summarize("Text. More text.", method="magic")
    with pytest.raises(ValueError, match="at most one"):
        abridge.summarize("Text. More text.", sentences=1, words=20)
    with pytest.raises(ValueError, match="ids for"):
        abridge.summarize_batch(["a", "b"], ids=[1])


def test_methods_and_budgets(articles):
    text = articles[1][1]
    lead = abridge.summarize(text, method="lead", sentences=1)
    assert lead["method"] == "lead" and len(lead["sentences"]) == 1
    assert lead["sentences"][0]["source"][0]["start"] == 0
    assert "faithfulness" not in lead
    assert abridge.summarize(text, words=30)["budget"] == {"unit": "words", "value": 30}


def test_html_pages(articles):
    page = "<html><body><article><p>" + articles[2][1] + "</p></article></body></html>"
    record = abridge.summarize(page, html=True)
    assert record["summary"] and "error" not in record


def test_batch_matches_one_by_one(corpus):
    texts = [t for _, t in corpus[:40]]
    ids = [i for i, _ in corpus[:40]]
    batch = [json.loads(b) for b in abridge.summarize_json(texts, ids)]
    one_by_one = [abridge.summarize(t, id=i) for i, t in zip(ids, texts)]
    for b, o in zip(batch, one_by_one):
        # An error record's "line" is its position in the call: 1 for a call with one text.
        b.pop("line", None), o.pop("line", None)
        assert b == o
    assert any("error" in b for b in batch) and any("summary" in b for b in batch)


def test_columns_and_arrow(corpus):
    pa = need("pyarrow")
    texts = pa.chunked_array([[t for _, t in corpus[:20]], [t for _, t in corpus[20:30]]])
    ids = pa.array([i for i, _ in corpus[:30]])
    table = abridge.summarize_arrow(texts, ids, sentences=1)
    assert table.column_names == ["id", "summary", "error", "record"]
    assert table.num_rows == 30
    assert table.column("id").to_pylist() == [i for i, _ in corpus[:30]]
    columns = abridge.summarize_columns([t for _, t in corpus[:30]], [i for i, _ in corpus[:30]], sentences=1)
    assert table.to_pydict() == columns
    for summary, error in zip(columns["summary"], columns["error"]):
        assert (summary is None) != (error is None)


def test_the_gil_is_released_while_rust_works(corpus):
    """Another Python thread runs while summarize_batch is inside Rust.

    With a switch interval of 100 s the worker never gives the GIL up on a timer, so the main
    thread can run before the call returns only if the call released the GIL."""
    texts = [t for _, t in corpus] * 3
    inside = threading.Event()
    done = threading.Event()

    def work():
        inside.set()
        abridge.summarize_batch(texts)
        done.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    try:
        worker = threading.Thread(target=work)
        worker.start()
        inside.wait()
        ran_during_call = not done.is_set()
        worker.join()
    finally:
        sys.setswitchinterval(old)
    assert ran_during_call
