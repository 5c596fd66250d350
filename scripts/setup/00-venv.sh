# Sourced by scripts/test: one Python venv under target/ shared by every area's tests.
venv="$ABRIDGE_ROOT/target/test-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
fi
export ABRIDGE_TEST_PYTHON="$venv/bin/python"
