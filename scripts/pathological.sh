#!/usr/bin/env bash
# Times `abridge summarize` on 5 MiB pathological inputs (no punctuation, "a. " repeated, dense
# quotes, unspaced CJK, "A!" repeated, one unbroken word). Prints seconds and peak memory per input.
# Usage: scripts/pathological.sh [path/to/abridge]   (default: target/release/abridge)
set -euo pipefail
bin=${1:-target/release/abridge}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import sys
d, n = sys.argv[1], 5 * 1024 * 1024
inputs = {
    "no-punctuation": "word ", "a-dot": "a. ", "quotes": "\"He said 'yes.' \" ",
    "cjk-unspaced": "新闻", "a-bang": "A!", "unbroken": "x",
}
for name, unit in inputs.items():
    with open(f"{d}/{name}.txt", "w", encoding="utf-8") as f:
        f.write(unit * (n // len(unit.encode())))
PY
printf '| input (5 MiB) | seconds | peak RSS (KB) |\n|---|---:|---:|\n'
for f in "$dir"/*.txt; do
  /usr/bin/time -f "| $(basename "$f" .txt) | %e | %M |" "$bin" summarize --words 20 "$f" > /dev/null
done 2>&1
