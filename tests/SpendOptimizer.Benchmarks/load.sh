#!/usr/bin/env bash
# Sustained load with wrk on loopback: GET …/recommendations/latest (JSON, key in the header) and the CSV list of
# recommendations (key as ?api_key=, as a spreadsheet sends it), each for SECONDS; figures appended to BENCHMARKS.md.
#   tests/SpendOptimizer.Benchmarks/load.sh [SECONDS] [CONNECTIONS]   (default 60 s, 64 connections)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/SpendOptimizer.Benchmarks/lib.sh
seconds=${1:-60}
connections=${2:-64}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

start_stack
ws_admin=$(create_workspace load)
issue() { curl -fsS -X POST "$url/v1/workspaces/load/keys" -H "X-Api-Key: $ws_admin" -H 'Content-Type: application/json' -d "{\"role\":\"$1\"}" | sed -E 's/.*"key":"([^"]+)".*/\1/'; }
ingest=$(issue ingest); read=$(issue read)
dotnet run --project src/SpendOptimizer.Cli -c Release -- demo-data --out "$work/demo" >/dev/null
for f in performance:PUT:performance.csv:"?grain=week" economics:PUT:economics.csv: lift-tests:POST:lift-tests.csv:; do
  IFS=: read -r route method file query <<<"$f"
  curl -fsS -X "$method" "$url/v1/workspaces/load/$route$query" -H "X-Api-Key: $ingest" -H 'Content-Type: text/csv' --data-binary "@$work/demo/$file" >/dev/null
done
for _ in 1 2 3 4; do
  curl -fsS -X POST "$url/v1/workspaces/load/recommendations" -H "X-Api-Key: $ingest" -H 'Content-Type: application/json' -d '{}' >/dev/null
done

# One wrk run; prints a table row: requests/s, p50, p99, max, non-2xx, socket errors.
run() {
  local name=$1; shift
  wrk -t2 -c"$connections" -d10s "$@" >/dev/null   # warm-up: JIT, pools, caches
  local out; out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@")
  echo "$out" > "$work/wrk-$name.txt"
  local rps p50 p99 max non2xx errors
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  max=$(awk '/^ +Latency/ {print $4}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  errors=$(awk -F'[ ,]+' '/Socket errors/ {print $4 + $6 + $8 + $10}' <<<"$out"); errors=${errors:-0}
  echo "| $name | $rps | $p50 | $p99 | $max | $non2xx | $errors |"
}

latest=$(run "GET recommendations/latest (JSON, X-Api-Key)" -H "X-Api-Key: $read" "$url/v1/workspaces/load/recommendations/latest")
list=$(run "GET recommendations?format=csv (?api_key=)" "$url/v1/workspaces/load/recommendations?format=csv&api_key=$read")
{
  echo
  echo "## Sustained load with wrk — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(machine); wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}') on the same machine (2 threads, $connections connections), loopback."
  echo "Command: \`tests/SpendOptimizer.Benchmarks/load.sh $seconds $connections\`. API in Release, logging at Warning, per-key rate limit raised to 100,000/s (the default 200/s would answer 429 to one key at this rate). Workspace: the two-year demo (8 channels, 104 weeks) and 4 stored recommendations; ${seconds} s per route after a 10 s warm-up. Target: ≥ 3,000 requests/s, p99 < 50 ms, no errors."
  echo
  echo "| route | requests/s | p50 | p99 | max | non-2xx | socket errors |"
  echo "|---|---|---|---|---|---|---|"
  echo "$latest"
  echo "$list"
} | tee -a BENCHMARKS.md
