#!/usr/bin/env bash
# Sustained load with wrk on loopback: GET …/recommendations/latest (JSON, key in the header) and the CSV list of
# recommendations (key as ?api_key=, as a spreadsheet sends it), each for SECONDS, twice: flat out (capacity) and
# paced near RATE requests/s (latency at the target load; each connection waits between requests, so wrk's own
# latency figure is not inflated by queueing behind a saturated machine). Figures appended to BENCHMARKS.md.
#   tests/SpendOptimizer.Benchmarks/load.sh [SECONDS] [CONNECTIONS] [RATE]   (default 60 s, 32 connections, 3600/s)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/SpendOptimizer.Benchmarks/lib.sh
seconds=${1:-60}
connections=${2:-32}
rate=${3:-3600}
need_wrk

start_stack
ws_admin=$(create_workspace load)
issue() { curl -fsS -X POST "$url/v1/workspaces/load/keys" -H "X-Api-Key: $ws_admin" -H 'Content-Type: application/json' -d "{\"role\":\"$1\"}" | sed -E 's/.*"key":"([^"]+)".*/\1/'; }
ingest=$(issue ingest); read=$(issue read)
load_demo load "$ingest"
for _ in 1 2 3 4; do
  curl -fsS -X POST "$url/v1/workspaces/load/recommendations" -H "X-Api-Key: $ingest" -H 'Content-Type: application/json' -d '{}' >/dev/null
done

# wrk paces a connection by the delay() of its script: the interval a connection needs for RATE in all, less about
# the 2 ms a request takes; the achieved rate is measured and reported, not assumed.
echo "function delay() return $(echo "d = 1000 * $connections / $rate - 2; if (d < 0) 0 else d" | bc -l) end" > "$work/paced.lua"

# One wrk run; prints a table row: requests/s, p50, p99, max, non-2xx, socket errors.
run() {
  local name=$1 mode=$2; shift 2
  local pace=(); [[ $mode == paced ]] && pace=(-s "$work/paced.lua")
  wrk -t2 -c"$connections" -d10s "${pace[@]}" "$@" >/dev/null   # warm-up: JIT, pools, caches
  local out; out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "${pace[@]}" "$@")
  echo "$out" > "$work/wrk-$name.txt"
  local rps p50 p99 max non2xx errors
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  max=$(awk '/^ +Latency/ {print $4}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  errors=$(awk -F'[ ,]+' '/Socket errors/ {print $4 + $6 + $8 + $10}' <<<"$out"); errors=${errors:-0}
  echo "| $name | $mode | $rps | $p50 | $p99 | $max | $non2xx | $errors |"
}

rows=()
for mode in flat-out paced; do
  rows+=("$(run "GET recommendations/latest (JSON, X-Api-Key)" $mode -H "X-Api-Key: $read" "$url/v1/workspaces/load/recommendations/latest")")
  rows+=("$(run "GET recommendations?format=csv (?api_key=)" $mode "$url/v1/workspaces/load/recommendations?format=csv&api_key=$read")")
done
{
  echo
  echo "## Sustained load with wrk — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(machine); wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}') on the same machine (2 threads, $connections connections), loopback."
  echo "Command: \`tests/SpendOptimizer.Benchmarks/load.sh $seconds $connections $rate\`. API in Release, logging at Warning, per-key rate limit raised to 100,000/s (the default 200/s would answer 429 to one key at this rate). Workspace: the two-year demo and 4 stored recommendations; ${seconds} s per route and mode after a 10 s warm-up. flat-out: every connection sends as fast as answers come (capacity); paced: each connection waits between requests to aim at $rate requests/s in all (latency at the target load). Target: ≥ 3,000 requests/s for 60 s, p99 < 50 ms, no errors."
  echo
  echo "| route | mode | requests/s | p50 | p99 | max | non-2xx | socket errors |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee -a BENCHMARKS.md
