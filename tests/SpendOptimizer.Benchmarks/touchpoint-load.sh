#!/usr/bin/env bash
# Loads the same touchpoint CSV through the API (binary COPY behind POST …/touchpoints) and with
# psql's \copy into the same table, in one run on one throwaway cluster, and appends the figures to BENCHMARKS.md.
#   tests/SpendOptimizer.Benchmarks/touchpoint-load.sh [ROWS ...]     (default: 1000000 5000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("${@:-1000000 5000000}")
read -r -a sizes <<<"${sizes[*]}"

source tests/SpendOptimizer.Benchmarks/lib.sh
start_stack
key=$(create_workspace bench)

results=()
for rows in "${sizes[@]}"; do
  file="$work/touchpoints-$rows.csv"
  dotnet "$gen" touchpoints "$file" "$rows" >/dev/null
  size=$(du -m "$file" | cut -f1)

  psql_do -c "truncate touchpoints"
  before=$(rss_mb)
  t0=$(date +%s.%N)
  curl -fsS -X POST "$url/v1/workspaces/bench/touchpoints" -H "X-Api-Key: $key" -H 'Content-Type: text/csv' \
    --data-binary "@$file" -o "$work/answer.json"
  t1=$(date +%s.%N)
  api_rows=$(psql_do -c "select count(*) from touchpoints")
  peak=$(hwm_mb)

  # psql: the same file into the same table; the API's workspace column is filled by a default for this run only.
  psql_do -c "truncate touchpoints" -c "alter table touchpoints alter column workspace_id set default 'bench'"
  t2=$(date +%s.%N)
  psql_do -c "\\copy touchpoints (journey_id, ts, event, channel, campaign, value) from '$file' with (format csv, header, force_not_null (channel))"
  t3=$(date +%s.%N)
  psql_rows=$(psql_do -c "select count(*) from touchpoints")
  psql_do -c "alter table touchpoints alter column workspace_id drop default" -c "truncate touchpoints"

  api_s=$(echo "$t1 - $t0" | bc -l); psql_s=$(echo "$t3 - $t2" | bc -l)
  api_rps=$(echo "$api_rows / $api_s" | bc -l); psql_rps=$(echo "$psql_rows / $psql_s" | bc -l)
  ratio=$(echo "$api_rps / $psql_rps" | bc -l)
  results+=("$(printf '| %s | %s MB | %.1f s | %.0f | %.1f s | %.0f | **%.2f** | %s MB (idle %s MB) |' \
    "$rows" "$size" "$api_s" "$api_rps" "$psql_s" "$psql_rps" "$ratio" "$peak" "$before")")
  rm -f "$file"
done

{
  echo
  echo "## Touchpoint load: API (binary COPY) vs psql \\copy — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(machine)."
  echo "Command: \`tests/SpendOptimizer.Benchmarks/touchpoint-load.sh ${sizes[*]}\`"
  echo
  echo "| rows | file | API time | API rows/s | psql time | psql rows/s | API / psql | API peak RSS |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${results[@]}"
  echo
  echo "Peak RSS is the API process's high-water mark after all loads so far, so a flat figure across sizes shows streaming."
} | tee -a BENCHMARKS.md
