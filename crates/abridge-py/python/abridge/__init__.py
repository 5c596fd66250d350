"""abridge: short, faithful briefs of news articles.

The work is done in Rust (the ``abridge`` library) with the GIL released, on all cores for
lists. Each result is the record ``abridge batch`` writes for the same article, byte for byte:
``{"id", "summary", "method", "budget", "sentences", "metadata", "document"}`` (and
``"faithfulness"`` with ``faithfulness=True``),
or ``{"id", "line", "error"}`` when the article cannot be summarized.

Options (keyword arguments of every function): ``method`` ("news", "lead", "textrank",
"lexrank", "centroid"), at most one of ``sentences``, ``words`` and ``ratio`` (default: 3
sentences), ``language`` (ISO 639-1; detected when None), ``faithfulness`` (add the faithfulness report; default False),
``include_text`` (default False), ``html`` (the texts are web pages; default False).
"""

import json

from . import _abridge

__version__ = _abridge.__version__
__all__ = ["summarize", "summarize_batch", "summarize_json", "summarize_columns", "summarize_arrow"]

_OPTIONS = {"method", "sentences", "words", "ratio", "language", "faithfulness", "include_text", "html"}


def _options(options):
    unknown = set(options) - _OPTIONS
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
    return json.dumps({k: v for k, v in options.items() if v is not None})


def summarize(text, id=None, **options):
    """The brief record of one article, as a dict."""
    ids = None if id is None else [id]
    return json.loads(_abridge.summarize_json([text], ids, _options(options))[0])


def summarize_json(texts, ids=None, **options):
    """The brief record of each text as a JSON string (one line of ``abridge batch`` output).

    ``ids`` (strings or integers) default to the positions 0, 1, 2, ...
    """
    return _abridge.summarize_json(list(texts), None if ids is None else list(ids), _options(options))


def summarize_batch(texts, ids=None, **options):
    """The brief record of each text, as dicts, in order. Runs on all cores."""
    return [json.loads(r) for r in summarize_json(texts, ids, **options)]


def summarize_columns(texts, ids=None, **options):
    """The records as columns: ``{"id": [...], "summary": [...], "error": [...], "record": [...]}``.

    ``id`` is the id as text, ``summary`` the brief (None on error), ``error`` why there is none,
    ``record`` the whole record as JSON. The dict goes straight into ``pandas.DataFrame``,
    ``pyarrow.table`` or ``pyarrow.RecordBatch.from_pydict``; it is the schema of
    ``abridge batch``'s Parquet output.
    """
    ids_, summary, error, record = _abridge.summarize_columns(
        list(texts), None if ids is None else list(ids), _options(options)
    )
    return {"id": ids_, "summary": summary, "error": error, "record": record}


def summarize_arrow(texts, ids=None, **options):
    """Arrow in, Arrow out: a ``pyarrow`` string Array or ChunkedArray (or any sequence of
    strings) of articles → a ``pyarrow.Table`` with columns id, summary, error, record."""
    import pyarrow as pa

    def as_list(values):
        if values is None:
            return None
        if isinstance(values, (pa.Array, pa.ChunkedArray)):
            return values.to_pylist()
        return list(values)

    columns = summarize_columns(as_list(texts), as_list(ids), **options)
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("summary", pa.string()),
            ("error", pa.string()),
            ("record", pa.string()),
        ]
    )
    return pa.table(columns, schema=schema)
