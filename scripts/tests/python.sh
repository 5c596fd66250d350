#!/usr/bin/env bash
# The Python package's tests (crates/abridge-py/tests): the API, byte-equality with `abridge batch`,
# Spark local[2] (mapInPandas and mapInArrow) and Ray Data (map_batches). Needs scripts/setup/{00-venv,40-python}.sh
# (scripts/test sources them). With ABRIDGE_REQUIRE_ALL=1 a missing tool fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
py="${ABRIDGE_TEST_PYTHON:?run through scripts/test, or source scripts/setup/00-venv.sh and 40-python.sh}"
cargo build --locked -p abridge-cli --quiet
export ABRIDGE_BIN="$root/target/debug/abridge"
export PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py" RAY_AUTH_MODE=disabled
# -rs lists every skip with its reason; under ABRIDGE_REQUIRE_ALL=1 the tests fail instead.
"$py" -m pytest -q -rs -p no:cacheprovider crates/abridge-py/tests
