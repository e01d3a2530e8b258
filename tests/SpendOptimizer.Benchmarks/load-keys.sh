#!/usr/bin/env bash
# Sustained load from many keys at the default rate limits (200 requests/s per key, bursts of 400): KEYS read keys of one
# workspace spread round-robin over CONNECTIONS wrk connections, GET …/recommendations/latest for SECONDS, flat out.
# Each key's share of the load stays under its limit, so every answer should be a 200. Figures appended to BENCHMARKS.md.
#   tests/SpendOptimizer.Benchmarks/load-keys.sh [SECONDS] [CONNECTIONS] [KEYS]   (default 60 s, 32 connections, 32 keys)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/SpendOptimizer.Benchmarks/lib.sh
seconds=${1:-60}
connections=${2:-32}
keys=${3:-32}
need_wrk

DEFAULT_LIMITS=true start_stack
ws_admin=$(create_workspace load)
issue() { curl -fsS -X POST "$url/v1/workspaces/load/keys" -H "X-Api-Key: $ws_admin" -H 'Content-Type: application/json' -d "{\"role\":\"$1\"}" | sed -E 's/.*"key":"([^"]+)".*/\1/'; }
ingest=$(issue ingest)
load_demo load "$ingest"
curl -fsS -X POST "$url/v1/workspaces/load/recommendations" -H "X-Api-Key: $ingest" -H 'Content-Type: application/json' \
  -d "{\"current\":$(cat "$work/demo/current.json")}" >/dev/null

# Each wrk thread keeps its own counter, so the keys take turns request by request.
{
  echo "local keys = {"
  for _ in $(seq 1 "$keys"); do echo "  \"$(issue read)\","; done
  echo "}"
  echo 'local n = 0'
  echo 'request = function() n = n + 1; return wrk.format("GET", nil, {["X-Api-Key"] = keys[(n % #keys) + 1]}) end'
} > "$work/keys.lua"

target="$url/v1/workspaces/load/recommendations/latest"
wrk -t2 -c"$connections" -d10s -s "$work/keys.lua" "$target" >/dev/null   # warm-up: JIT, pools, key caches
out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/keys.lua" "$target")
echo "$out"
rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
max=$(awk '/^ +Latency/ {print $4}' <<<"$out")
non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
errors=$(awk -F'[ ,]+' '/Socket errors/ {print $4 + $6 + $8 + $10}' <<<"$out"); errors=${errors:-0}
{
  echo
  echo "## Sustained load from $keys keys at the default rate limits — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(machine); wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}') on the same machine (2 threads, $connections connections), loopback."
  echo "Command: \`tests/SpendOptimizer.Benchmarks/load-keys.sh $seconds $connections $keys\`. API in Release, logging at Warning, default rate limits"
  echo "(200 requests/s per key, bursts of 400); $keys read keys taking turns request by request; ${seconds} s flat out after a 10 s warm-up."
  echo "Target: ≥ 3,000 requests/s, p99 < 50 ms. Non-2xx would be 429s from a key past its limit."
  echo
  echo "| route | keys | connections | requests/s | p50 | p99 | max | non-2xx | socket errors |"
  echo "|---|---|---|---|---|---|---|---|---|"
  echo "| GET recommendations/latest | $keys | $connections | $rps | $p50 | $p99 | $max | $non2xx | $errors |"
} | tee -a BENCHMARKS.md
