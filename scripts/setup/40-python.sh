# Sourced by scripts/test: the Python package's test tools, and the package itself.
# Needs ABRIDGE_TEST_PYTHON (00-venv.sh). Idempotent: pip runs only for what is missing, and the
# wheel is rebuilt (maturin, release, cached in target/) only when the Rust or Python sources
# changed since the last install.
py="${ABRIDGE_TEST_PYTHON:?source scripts/setup/00-venv.sh first}"
if ! "$py" -c "import maturin, pytest, pyspark, pandas, pyarrow, ray.data" 2>/dev/null; then
  # ~1.5 GB of wheels, ~70 s (see ../shared/INSTALL-NOTES.md); pyspark needs Java 17.
  "$py" -m pip install --quiet --no-cache-dir maturin pytest pyspark 'pandas<3' pyarrow 'ray[data]'
fi
stamp="$ABRIDGE_ROOT/target/abridge-py.stamp"
sources_hash=$(cd "$ABRIDGE_ROOT" && cat Cargo.lock crates/abridge/Cargo.toml crates/abridge-py/Cargo.toml \
  crates/abridge-py/pyproject.toml $(find crates/abridge/src crates/abridge-py/src crates/abridge-py/python \
  -type f | sort) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$sources_hash" ] || ! "$py" -c "import abridge._abridge" 2>/dev/null; then
  rm -rf "$ABRIDGE_ROOT/target/wheels"
  (cd "$ABRIDGE_ROOT/crates/abridge-py" && \
    "$(dirname "$py")/maturin" build --release --locked --interpreter "$py" \
      --out "$ABRIDGE_ROOT/target/wheels" --quiet)
  "$py" -m pip install --quiet --force-reinstall --no-deps "$ABRIDGE_ROOT"/target/wheels/abridge-*.whl
  echo "$sources_hash" > "$stamp"
fi
export ABRIDGE_PY_WHEEL_DIR="$ABRIDGE_ROOT/target/wheels"
