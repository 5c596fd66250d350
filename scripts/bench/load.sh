#!/usr/bin/env bash
# Load test of `abridge serve` on loopback, against the same work done in-process.
#
#   scripts/bench/load.sh DATA.jsonl        # e.g. ../shared/data/cnndm-frank.jsonl
#
# DATA is JSONL with {"id", "article"} lines. The request body is the article of median byte
# length (oha sends one body per run), summarized with the default method (`news`) at 3
# sentences, faithfulness report and article text included (what the page asks for). Installs
# oha into target/tools when missing (cargo install, ~5 min), builds release, waits until no
# compiler runs on the machine, then runs oha at concurrency 1, 16 and 256 (bounded by request
# count and by `timeout`), with the in-process figure (examples/inprocess.rs: parse the body,
# run SummarizeJob, serialize, on 1 thread and on every core) measured before and after them, and
# prints one Markdown table. It also prints the load average and the busiest processes, since
# other work on the machine moves every figure.
# Environment: N1, N16, N256 (requests per level), INPROC_SECONDS, MAX_WAIT_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
data="${1:?usage: scripts/bench/load.sh DATA.jsonl}"
[ -f "$data" ] || { echo "no such file: $data" >&2; exit 1; }
n1="${N1:-2000}" n16="${N16:-6000}" n256="${N256:-6000}"

oha="$root/target/tools/bin/oha"
if [ ! -x "$oha" ]; then
  echo "installing oha into target/tools (takes minutes)..." >&2
  cargo install oha --locked --root "$root/target/tools"
fi
cargo build --release --locked -q -p abridge-cli
cargo build --release --locked -q -p abridge-server --example inprocess

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

python3 - "$data" "$work/body.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
rows.sort(key=lambda r: (len(r["article"].encode()), str(r.get("id"))))
r = rows[len(rows) // 2]
body = {"text": r["article"], "budget": {"sentences": 3}, "method": "news"}
json.dump(body, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
print(f"body: article {r.get('id')} ({len(r['article'].encode())} bytes, "
      f"{len(r['article'].split())} words; median of {len(rows)})", file=sys.stderr)
PY

# Other people compile on this machine: time only when no compiler runs.
waited=0
while [ "$(pgrep -c 'rustc|cc1plus|cmake' 2>/dev/null || true)" -gt 0 ]; do
  if [ "$waited" -ge "${MAX_WAIT_SECONDS:-1800}" ]; then
    echo "WARNING: compilers still running after ${waited}s; timing anyway" >&2; break
  fi
  sleep 5; waited=$((waited + 5))
done
echo "compilers running when timing started: $(pgrep -c 'rustc|cc1plus|cmake' 2>/dev/null || true) (waited ${waited}s)" >&2
# Not only compilers compete for the two cores: say what else is busy.
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); busiest processes:" >&2
ps -eo pcpu,etime,args --sort=-pcpu | head -4 | cut -c1-120 >&2
# In-process before and after the HTTP runs, so drift in the machine's load shows.
"$root/target/release/examples/inprocess" "$work/body.json" "${INPROC_SECONDS:-10}" >"$work/inproc.txt"

RUST_LOG=info "$root/target/release/abridge" serve --addr 127.0.0.1:0 2>"$work/server.log" &
server=$!
addr=""
for _ in $(seq 100); do
  addr=$(sed -n 's|^abridge: listening on \(http://[^/]*\)/$|\1|p' "$work/server.log")
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { cat "$work/server.log" >&2; exit 1; }
url="$addr/v1/summarize"
run_oha() { # concurrency requests output
  timeout 600 "$oha" --no-tui --output-format json -m POST -H 'content-type: application/json' \
    -D "$work/body.json" -c "$1" -n "$2" "$url" >"$3"
}
run_oha 16 300 "$work/warmup.json"
run_oha 1 "$n1" "$work/c1.json"
run_oha 16 "$n16" "$work/c16.json"
run_oha 256 "$n256" "$work/c256.json"
kill -TERM "$server"; wait "$server" || true; server=""

"$root/target/release/examples/inprocess" "$work/body.json" "${INPROC_SECONDS:-10}" >>"$work/inproc.txt"
cat "$work/inproc.txt" >&2
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

python3 - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
inproc = {}  # threads -> [rps before, rps after]
for line in open(f"{work}/inproc.txt"):
    m = re.search(r"threads=(\d+) requests=(\d+) seconds=([\d.]+) rps=([\d.]+)", line)
    if m:
        inproc.setdefault(int(m.group(1)), []).append(float(m.group(4)))
cores = max(inproc)
best = sum(inproc[cores]) / len(inproc[cores])
print(f"| concurrency | requests | req/s | p50 ms | p99 ms | non-200 + errors | req/s ÷ in-process ({cores} threads, mean of before/after) |")
print("|---|---|---|---|---|---|---|")
for c in (1, 16, 256):
    r = json.load(open(f"{work}/c{c}.json"))
    s = r["summary"]
    codes = {str(k): v for k, v in r.get("statusCodeDistribution", {}).items()}
    ok = codes.get("200", 0)
    errors = sum(r.get("errorDistribution", {}).values())
    bad = sum(v for k, v in codes.items() if k != "200") + errors
    p = r["latencyPercentiles"]
    total = ok + bad
    print(f"| {c} | {total} | {s['requestsPerSec']:.1f} | {p['p50'] * 1000:.2f} | {p['p99'] * 1000:.2f} "
          f"| {bad} | {s['requestsPerSec'] / best:.0%} |")
print()
for t, rps in sorted(inproc.items()):
    print(f"in-process, {t} thread(s): " + " / ".join(f"{r:.1f}" for r in rps) + " req/s (before / after the HTTP runs)")
PY
