# Sourced by scripts/test: headless Chromium (Debian's package) and playwright-core to drive it,
# for the browser test of the `abridge serve` page (scripts/tests/browser.sh).
# Idempotent: apt only runs when /usr/bin/chromium is missing; npm only when the pinned
# playwright-core (crates/abridge-server/tests/browser/package-lock.json) is not yet installed.
browser_dir="$ABRIDGE_ROOT/target/browser-test"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver
  fi
fi
lock="$ABRIDGE_ROOT/crates/abridge-server/tests/browser/package-lock.json"
if [ ! -f "$browser_dir/node_modules/playwright-core/package.json" ] \
  || ! cmp -s "$lock" "$browser_dir/package-lock.json"; then
  mkdir -p "$browser_dir"
  cp "$ABRIDGE_ROOT/crates/abridge-server/tests/browser/package.json" "$lock" "$browser_dir/"
  (cd "$browser_dir" && npm ci --silent --no-audit --no-fund)
fi
export ABRIDGE_TEST_CHROMIUM=/usr/bin/chromium
export ABRIDGE_TEST_NODE_MODULES="$browser_dir/node_modules"
