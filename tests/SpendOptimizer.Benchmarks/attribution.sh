#!/usr/bin/env bash
# Attribution speed and memory, whole processes: `spendopt attribute` on a one-row-per-journey path file at
# 1M and 5M journeys (order-1 and order-2 Markov, all heuristics) beside the floor (`cat` of the same file) and
# ChannelAttribution's recorded figures, and, with --e2e, a Markov run through the API over the same journeys loaded
# as touchpoints. Prints a table for BENCHMARKS.md.
#   tests/SpendOptimizer.Benchmarks/attribution.sh [--e2e] [JOURNEYS ...]   (default: 1000000 5000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
e2e=false
[[ "${1:-}" == "--e2e" ]] && { e2e=true; shift; }
sizes=("$@"); [[ ${#sizes[@]} -eq 0 ]] && sizes=(1000000 5000000)

work=$(mktemp -d /tmp/spendopt-attr.XXXXXX); chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
dotnet build tests/SpendOptimizer.Benchmarks -c Release -nologo -clp:ErrorsOnly
dotnet build src/SpendOptimizer.Cli -c Release -nologo -clp:ErrorsOnly
gen=tests/SpendOptimizer.Benchmarks/bin/Release/net10.0/SpendOptimizer.Benchmarks.dll
cli=src/SpendOptimizer.Cli/bin/Release/net10.0/spendopt.dll

# wall seconds, CPU seconds (user + system, all threads) and peak RSS (MB) of one whole process; on a shared machine the
# CPU seconds move less with the load than the wall time does
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  read -r secs user sys kb < "$work/time"
  echo "$secs $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') $((kb / 1024))"
}

# ChannelAttribution 2.0.7 in R, order-1 Markov on the same files and machine: recorded once, not re-run here.
declare -A peer=([1000000]="4.87 s" [5000000]="21.5 s")

rows=()
for n in "${sizes[@]}"; do
  file="$work/paths-$n.csv"
  dotnet "$gen" paths "$file" "$n" >/dev/null
  mb=$(( $(stat -c %s "$file") / 1000000 ))
  cat "$file" >/dev/null # into the page cache, as it is for every run below
  # /usr/bin/time counts in hundredths, too coarse for this one
  t0=$EPOCHREALTIME; cat "$file" >/dev/null; t1=$EPOCHREALTIME
  rows+=("$(awk -v n="$n" -v mb="$mb" -v s="$(echo "$t1 - $t0" | bc -l)" 'BEGIN { printf "| %s | floor: `cat` of the path file (%s MB) | %.3f s | | | %.0f MB/s |", n, mb, s, mb / s }')")
  [[ -n "${peer[$n]:-}" ]] && rows+=("| $n | ChannelAttribution 2.0.7 (R), order-1 Markov | ${peer[$n]} | | | recorded on this machine, not re-run |")
  for run in "markov --order 1" "markov --order 2" "heuristics"; do
    read -r secs cpu mb < <(measure dotnet "$cli" attribute "$file" --model $run --out "$work/out.csv")
    rows+=("| $n | \`$run\` | $secs s | $cpu s | $mb MB | $(tail -n 1 "$work/stderr") |")
  done
  rm -f "$file"
done

if $e2e; then
  rm -rf "$work"
  source tests/SpendOptimizer.Benchmarks/lib.sh
  start_stack
  key=$(create_workspace bench)
  for n in "${sizes[@]}"; do
    file="$work/journeys-$n.csv"
    dotnet "$gen" journeys "$file" "$n" >/dev/null
    psql_do -c "truncate touchpoints, touchpoint_loads"
    t0=$(date +%s.%N)
    curl -fsS -X POST "$url/v1/workspaces/bench/touchpoints" -H "X-Api-Key: $key" -H 'Content-Type: text/csv' --data-binary "@$file" -o /dev/null
    t1=$(date +%s.%N)
    rm -f "$file"
    psql_do -c "vacuum analyze touchpoints"
    before=$(rss_mb)
    t2=$(date +%s.%N)
    curl -fsS -X POST "$url/v1/workspaces/bench/attribution-runs" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
      -d '{"model":"markov","source":"touchpoints"}' -o "$work/run.json"
    t3=$(date +%s.%N)
    paths=$(sed -E 's/.*"distinct_paths":([0-9]+).*/\1/' "$work/run.json")
    rows+=("$(printf '| %s | end to end: POST attribution-runs (markov, order 1) over stored touchpoints | %.1f s | | API %s MB (before: %s MB) | %s distinct paths built by SQL; loading the touchpoints took %.0f s |' \
      "$n" "$(echo "$t3 - $t2" | bc -l)" "$(hwm_mb)" "$before" "$paths" "$(echo "$t1 - $t0" | bc -l)")")
  done
fi

{
  echo
  echo "## Attribution from a path file, whole process — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p'); load average at the end $(cut -d' ' -f1-3 /proc/loadavg). Journeys: seeded, 12 channels, 1 + Poisson(2.5) touches, about 7% converting."
  echo "Command: \`tests/SpendOptimizer.Benchmarks/attribution.sh ${sizes[*]}\` (wall time and peak RSS by /usr/bin/time, including .NET start-up and reading the file, which is in the page cache)."
  echo
  echo "| journeys | model | wall | CPU | peak RSS | detail |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
}
