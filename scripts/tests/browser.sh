#!/usr/bin/env bash
# The page of `abridge serve` in a real browser: builds the `abridge` binary, starts
# `abridge serve` on a free loopback port, drives headless Chromium with
# crates/abridge-server/tests/browser/browser.mjs, stops the server with SIGTERM.
# Needs what scripts/setup/30-browser.sh installs. Without it the test skips, or fails under
# ABRIDGE_REQUIRE_ALL=1. SCREENSHOT=path also saves a screenshot of the page (docs/ has one).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"

if [ -z "${ABRIDGE_TEST_CHROMIUM:-}" ] || [ ! -x "${ABRIDGE_TEST_CHROMIUM}" ] \
  || [ ! -d "${ABRIDGE_TEST_NODE_MODULES:-/nonexistent}/playwright-core" ]; then
  msg="browser test: Chromium or playwright-core missing (source scripts/setup/30-browser.sh)"
  if [ "${ABRIDGE_REQUIRE_ALL:-0}" = 1 ]; then echo "FAIL: $msg" >&2; exit 1; fi
  echo "SKIP: $msg"; exit 0
fi

cargo build --locked -q -p abridge-cli
log=$(mktemp)
"$root/target/debug/abridge" serve --addr 127.0.0.1:0 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT
addr=""
for _ in $(seq 100); do
  addr=$(sed -n 's|^abridge: listening on \(http://[^/]*\)/$|\1|p' "$log")
  [ -n "$addr" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; echo "FAIL: abridge serve exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$addr" ] || { cat "$log" >&2; echo "FAIL: abridge serve did not start" >&2; exit 1; }

status=0
node crates/abridge-server/tests/browser/browser.mjs "$addr" ${SCREENSHOT:+"$SCREENSHOT"} || status=$?

kill -TERM "$server"
wait "$server" || { echo "FAIL: abridge serve did not shut down cleanly" >&2; status=1; }
trap 'rm -f "$log"' EXIT
if [ "$status" != 0 ]; then
  echo "--- server log ---" >&2; tail -n 40 "$log" >&2
  echo "FAIL: browser test" >&2
  exit "$status"
fi
echo "browser test: ok"
