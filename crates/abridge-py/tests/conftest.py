"""Shared fixtures. A test whose tool is missing skips with the reason, unless
ABRIDGE_REQUIRE_ALL=1 (set by scripts/test), when it fails."""

import importlib
import json
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "crates" / "abridge" / "tests" / "fixtures"


def need(module):
    """Imports `module`, or skips (fails under ABRIDGE_REQUIRE_ALL=1) when it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        if os.environ.get("ABRIDGE_REQUIRE_ALL") == "1":
            pytest.fail(f"{module} is required (ABRIDGE_REQUIRE_ALL=1): {e}")
        pytest.skip(f"{module} is not installed: {e}")


def workers_can_import_tests():
    """Spark and Ray workers unpickle the test's functions by module name: put this directory on
    the PYTHONPATH they inherit."""
    here = str(pathlib.Path(__file__).resolve().parent)
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if here not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([here, *filter(None, paths)])


def same_record(engine_json, expected_json):
    """Records from an engine equal the package's, except an error record's "line": its 1-based
    position in the call that made it, and an engine makes one call per batch."""
    if engine_json == expected_json:
        return True
    a, b = json.loads(engine_json), json.loads(expected_json)
    if "error" in a and "error" in b:
        a.pop("line"), b.pop("line")
    return a == b


@pytest.fixture(scope="session")
def articles():
    """(id, article) pairs: the six fixture articles, an empty one and a German one."""
    pairs = []
    with open(FIXTURES / "frank-6.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            pairs.append((record["id"], record["article"]))
    pairs.append(("empty", "   "))
    pairs.append(
        (
            "de-1",
            "Zürich — Die Stadt hat am Dienstag zwölf neue Brücken eröffnet. Der Bürgermeister "
            "sagte, sie hätten 40 Millionen Franken gekostet. Kritiker sprachen von "
            "Verschwendung. Im Mai beginnen die Arbeiten erneut.",
        )
    )
    return pairs


@pytest.fixture(scope="session")
def corpus(articles):
    """400 records: the articles repeated under new ids."""
    return [(f"doc-{i}", articles[i % len(articles)][1]) for i in range(400)]


@pytest.fixture(scope="session")
def abridge_bin():
    path = os.environ.get("ABRIDGE_BIN") or str(ROOT / "target" / "debug" / "abridge")
    if not os.path.exists(path):
        if os.environ.get("ABRIDGE_REQUIRE_ALL") == "1":
            pytest.fail(f"the abridge binary is required: {path} does not exist")
        pytest.skip(f"no abridge binary at {path} (cargo build -p abridge-cli)")
    return path
