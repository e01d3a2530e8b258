#!/usr/bin/env bash
# Faults in the middle of work, on a throwaway cluster and a real API process:
#   1. PostgreSQL stopped during a touchpoint load (then started again),
#   2. the API killed (SIGKILL) during a touchpoint load (then restarted),
#   3. the API killed during a recommendation (then restarted).
# Each checks: no partial batch is visible, the client got an error it can retry, the retry with the same
# Idempotency-Key succeeds exactly once (and a second retry changes nothing), and /health/ready tells the truth
# while the database is down and recovers by itself. Exits non-zero if any check fails; figures go to BENCHMARKS.md.
#   tests/SpendOptimizer.Benchmarks/faults.sh [ROWS]   (default 5000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/SpendOptimizer.Benchmarks/lib.sh
rows=${1:-5000000}

start_stack
file="$work/touchpoints.csv"
dotnet "$gen" touchpoints "$file" "$rows" >/dev/null
size=$(du -m "$file" | cut -f1)
failed=0
results=()
check() { # name, condition (as text), value
  if eval "$2"; then results+=("| $1 | $3 | ok |"); else results+=("| $1 | $3 | **FAILED** |"); failed=1; fi
}
count() { psql_do -c "select count(*) from touchpoints where workspace_id = '$1'"; }
loads() { psql_do -c "select count(*) from touchpoint_loads where workspace_id = '$1'"; }
# POST the file; prints the HTTP status (000 when the connection broke) and keeps the answer.
load() {
  curl -sS -o "$work/answer-$3.json" -w '%{http_code}' -X POST "$url/v1/workspaces/$1/touchpoints" -H "X-Api-Key: $2" \
    -H "Idempotency-Key: $3" -H 'Content-Type: text/csv' --data-binary "@$file" 2>>"$work/curl.log" || true
}
# Waits until a COPY has passed a third of the file, so the fault lands in the middle of it (or the load ended,
# which the checks then report); prints rows copied.
mid_copy() {
  local done=0
  until (( done > rows / 3 )) || ! kill -0 "$loader" 2>/dev/null; do
    sleep 0.05; done=$(psql_do -c "select coalesce(max(tuples_processed), 0) from pg_stat_progress_copy")
  done
  echo "$done"
}

# After a failed load into workspace $2 (key $3, Idempotency-Key $4): nothing visible, the retry stores every row
# once, a second retry changes nothing.
after_failed_load() {
  local label=$1 ws=$2 key=$3 idem=$4 partial retry after again after2
  partial=$(count "$ws")
  check "$label: rows visible after the failed load" '[[ $partial == 0 ]]' "$partial"
  retry=$(load "$ws" "$key" "$idem"); after=$(count "$ws")
  check "$label: retry with the same Idempotency-Key" '[[ $retry == 200 && $after == "$rows" ]]' "$retry, $after rows"
  again=$(load "$ws" "$key" "$idem"); after2=$(count "$ws")
  check "$label: second retry (must change nothing)" '[[ $again == 200 && $after2 == "$rows" && $(loads "$ws") == 1 ]]' "$again, $after2 rows, $(loads "$ws") load"
}

# 1. PostgreSQL stops during a load.
key=$(create_workspace dbstop)
load dbstop "$key" dbstop-1 > "$work/status" &
loader=$!
copied=$(mid_copy)
scripts/postgres.sh stop "$work/pg"
wait "$loader"; status=$(cat "$work/status")
ready_down=$(curl -s -o "$work/ready.json" -w '%{http_code}' "$url/health/ready" || true)
check "DB stop: client answer during the load (after $copied rows copied)" '[[ $status == 503 || $status == 000 ]]' "$status $(head -c 160 "$work/answer-dbstop-1.json" 2>/dev/null | tr -d '\n')"
check "DB stop: /health/ready while down" '[[ $ready_down == 503 ]]' "$ready_down $(cat "$work/ready.json")"
t0=$(date +%s.%N)
scripts/postgres.sh start "$work/pg" "$port" >/dev/null
until curl -fsS "$url/health/ready" >/dev/null 2>&1; do sleep 0.1; done
recovery=$(echo "$(date +%s.%N) - $t0" | bc -l)
check "DB stop: readiness back by itself after the start" 'true' "$(printf '%.1f s after pg_ctl start returned' "$recovery")"
after_failed_load "DB stop" dbstop "$key" dbstop-1

# 2. The API is killed during a load.
key=$(create_workspace apikill)
load apikill "$key" apikill-1 > "$work/status" &
loader=$!
copied=$(mid_copy)
kill -9 "$api"
wait "$loader"; status=$(cat "$work/status")
check "API kill: client answer during the load (after $copied rows copied)" '(( 10#$status < 200 ))' "no final answer, connection broken (last status $status)"
start_api
sleep 1
after_failed_load "API kill" apikill "$key" apikill-1

# 3. The API is killed during a recommendation: 400 channels, so the curve fit it starts with takes a while.
key=$(create_workspace reckill)
channels=400
awk -v channels=$channels 'BEGIN {
  print "date,channel,spend,impressions,clicks,conversions,revenue,new_customers"
  for (c = 0; c < channels; c++) { srand(c + 1); base = 2000 + rand() * 8000; k = base * (0.5 + rand()); beta = base / 40
    for (w = 0; w < 60; w++) { s = base * (1 + 0.4 * sin(w / 4 + c)) * (0.9 + 0.2 * rand()); y = beta * s / (s + k) * (0.95 + 0.1 * rand())
      printf "%s,ch%03d,%.2f,%d,%d,%.2f,%.2f,%.2f\n", strftime("%Y-%m-%d", 1704067200 + w * 604800, 1), c, s, s * 30, s, y, y * 80, y * 0.7 } } }' > "$work/performance.csv"
curl -fsS -X PUT "$url/v1/workspaces/reckill/performance?grain=week" -H "X-Api-Key: $key" -H 'Content-Type: text/csv' --data-binary "@$work/performance.csv" >/dev/null
curl -fsS -X PUT "$url/v1/workspaces/reckill/economics" -H "X-Api-Key: $key" -H 'Content-Type: text/csv' \
  --data-binary $'channel,arpa_monthly,gross_margin,monthly_churn,annual_discount_rate\nall,60,0.8,0.03,0.1\n' >/dev/null
recommend() { curl -sS -o "$work/recommendation.json" -w '%{http_code}' -X POST "$url/v1/workspaces/reckill/recommendations" -H "X-Api-Key: $key" \
  -H 'Content-Type: application/json' -d '{"limit_scope":"none"}' 2>>"$work/curl.log" || true; }
t0=$(date +%s.%N); full=$(recommend); took=$(echo "$(date +%s.%N) - $t0" | bc -l)
check "Recommendation: undisturbed request (to time it)" '[[ $full == 201 ]]' "$full in $(printf '%.1f' "$took") s"
psql_do -c "delete from recommendations where workspace_id = 'reckill'" -c "delete from response_fits where workspace_id = 'reckill'" >/dev/null
recommend > "$work/status" &
loader=$!
sleep "$(echo "$took * 0.6" | bc -l)"
kill -9 "$api"
wait "$loader"; status=$(cat "$work/status")
fits=$(psql_do -c "select count(*) from response_fits where workspace_id = 'reckill'")
headers=$(psql_do -c "select count(*) from recommendations where workspace_id = 'reckill'")
orphans=$(psql_do -c "select count(*) from recommendations r where workspace_id = 'reckill' and not exists (select 1 from recommendation_lines l where l.recommendation_id = r.id)")
check "Recommendation kill: client answer (killed at 60% of the request)" '(( 10#$status < 200 ))' "no final answer, connection broken (last status $status)"
check "Recommendation kill: stored after the kill (whole or nothing)" '[[ $headers == 0 && $orphans == 0 ]]' "$headers recommendations, $orphans without lines, $fits curve fits (each stored whole)"
start_api
retry=$(recommend)
lines=$(psql_do -c "select count(*) from recommendation_lines l join recommendations r on r.id = l.recommendation_id where r.workspace_id = 'reckill'")
check "Recommendation kill: retry after restart" '[[ $retry == 201 && $lines == "$channels" ]]' "$retry, 1 recommendation with $lines lines"

{
  echo
  echo "## Faults during work — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(machine). Command: \`tests/SpendOptimizer.Benchmarks/faults.sh $rows\` ($rows touchpoint rows, $size MB of CSV per load)."
  echo "PostgreSQL is stopped with \`pg_ctl stop -m fast\` and started again; the API process is killed with SIGKILL and started again."
  echo
  echo "| check | observed | |"
  echo "|---|---|---|"
  printf '%s\n' "${results[@]}"
} | tee -a BENCHMARKS.md
exit "$failed"
