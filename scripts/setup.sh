# Sourced by `scripts/test` and `.ci/run`: runs every `scripts/setup/*.sh` in name order. Each one
# installs what one area's tests need, idempotently, caches it under `target/`, and exports the
# variables the tests read (see scripts/setup/README.md).
export ABRIDGE_ROOT="${ABRIDGE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
for setup in "$ABRIDGE_ROOT"/scripts/setup/*.sh; do
  [ -e "$setup" ] || continue
  printf '\n==> setup: %s\n' "${setup#"$ABRIDGE_ROOT"/}"
  # shellcheck disable=SC1090 # each setup script exports the paths the tests read
  source "$setup"
done
unset setup
