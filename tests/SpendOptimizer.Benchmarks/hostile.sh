#!/usr/bin/env bash
# Generated hostile requests (tests/SpendOptimizer.Api.Tests/Hostile/HostileGenerator.cs, the generator the tests sample)
# against a real API process holding the demo advertiser, while rounds of oversized requests run at once beside them:
# 4 uploads whose CSV header is 1,000,000 commas, 3 JSON uploads with a 3 MB field, 2 plans with 10,000 locks.
# Counts the answers by status, fails on any 5xx, bare refusal or internal text, and samples the API's RSS throughout.
# Figures appended to BENCHMARKS.md.
#   tests/SpendOptimizer.Benchmarks/hostile.sh [CASES] [SEED] [PARALLEL]   (default 10000 cases, seed 1, 4 at a time)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/SpendOptimizer.Benchmarks/lib.sh
cases=${1:-10000}
seed=${2:-1}
parallel=${3:-4}

start_stack
ws_admin=$(create_workspace hostile)
load_demo hostile "$ws_admin"

# RSS sampled every 0.1 s; VmHWM at the end is the kernel's own peak for the whole process.
peak_file="$work/rss-peak"; echo 0 > "$peak_file"
( peak=0; while kill -0 "$api" 2>/dev/null; do r=$(rss_mb || echo 0); (( r > peak )) && { peak=$r; echo "$peak" > "$peak_file"; }; sleep 0.1; done ) &
sampler=$!

# The oversized bodies, written once.
{ printf 'date,channel,spend'; head -c 1000000 /dev/zero | tr '\0' ','; printf '\n2026-01-05,search,1\n'; } > "$work/commas.csv"
{ printf '[{"date":"2026-01-05","channel":"'; head -c 3000000 /dev/zero | tr '\0' 'y'; printf '","spend":1}]'; } > "$work/field.json"
{ printf '{"locks":['; seq -f '"c%g"' 1 10000 | paste -sd, -; printf ']}'; } > "$work/locks.json"
oversized_statuses="$work/oversized"
# One oversized request in the background; its status is appended to $oversized_statuses.
big() { curl -sS -o /dev/null -w '%{http_code}\n' -X "$1" "$url/v1/workspaces/hostile/$2" -H "X-Api-Key: $ws_admin" -H "Content-Type: $3" --data-binary "@$4" >>"$oversized_statuses" 2>/dev/null || echo 000 >>"$oversized_statuses"; }
burst() { # waits for its own requests only: a bare wait would wait for the API and the sampler too
  local pids=()
  for _ in 1 2 3 4; do big PUT performance text/csv "$work/commas.csv" & pids+=($!); done
  for _ in 1 2 3; do big PUT performance application/json "$work/field.json" & pids+=($!); done
  for _ in 1 2; do big POST recommendations application/json "$work/locks.json" & pids+=($!); done
  wait "${pids[@]}"
}

start=$(date +%s)
dotnet "$gen" hostile "$url" hostile "$ws_admin" "$cases" "$seed" "$parallel" > "$work/hostile.out" &
driver=$!
rounds=0
while kill -0 "$driver" 2>/dev/null; do burst; rounds=$((rounds + 1)); done
wait "$driver"
elapsed=$(( $(date +%s) - start ))
hwm=$(hwm_mb); kill "$sampler" 2>/dev/null || true
sampled=$(cat "$peak_file")
cat "$work/hostile.out"

statuses=$(awk '$1 == "status" {printf "%s%s × %s", sep, $2, $3; sep=", "}' "$work/hostile.out")
faults=$(awk '$1 == "faults" {print $2}' "$work/hostile.out")
operations=$(awk '$1 == "operations" {print $2}' "$work/hostile.out")
big_statuses=$(sort "$oversized_statuses" | uniq -c | awk '{printf "%s%s × %s", sep, $2, $1; sep=", "}')
big_5xx=$(grep -c '^5\|^000' "$oversized_statuses" || true)
{
  echo
  echo "## Hostile requests with oversized ones alongside — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(machine); client on the same machine, loopback."
  echo "Command: \`tests/SpendOptimizer.Benchmarks/hostile.sh $cases $seed $parallel\`. API in Release, logging at Warning, default body limit,"
  echo "rate limits out of the way; workspace holding the two-year demo advertiser. $cases generated requests (seed $seed, $parallel at a time,"
  echo "over all $operations operations of the OpenAPI document) in ${elapsed} s, while $rounds rounds of oversized requests ran beside them"
  echo "(each round at once: 4 CSV uploads with a 1,000,000-comma header, 3 JSON uploads with a 3 MB field, 2 plans with 10,000 locks)."
  echo "Target: no 5xx, every refusal problem details without internals, peak RSS ≤ 400 MB."
  echo
  echo "| generated answers by status | faults | oversized answers by status | peak RSS (VmHWM) | peak RSS sampled |"
  echo "|---|---|---|---|---|"
  echo "| $statuses | $faults | $big_statuses | $hwm MB | $sampled MB |"
} | tee -a BENCHMARKS.md
[[ "$faults" == 0 && "$big_5xx" == 0 ]]
