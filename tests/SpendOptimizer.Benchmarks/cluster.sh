#!/usr/bin/env bash
# Three instances on one database behind HAProxy (scripts/cluster.sh), at the default rate limits, one instance killed
# (SIGKILL) in the middle of sustained load. Checks: reads keep answering through HAProxy, every write sent with an
# Idempotency-Key (and resent by the client on an error or timeout) is stored exactly once, each due weekly schedule
# is planned exactly once, a revoked key gets 401 from every instance within KeyCacheSeconds (2 s), and how many
# requests per second one key gets through HAProxy against one instance (the limiter is per instance).
# Exits non-zero if a check fails; figures appended to BENCHMARKS.md.
#   tests/SpendOptimizer.Benchmarks/cluster.sh [SECONDS] [WORKSPACES]   (default 60 s of load, 3 scheduled workspaces)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/SpendOptimizer.Benchmarks/lib.sh
seconds=${1:-60}
scheduled=${2:-3}
phase=$((seconds / 3))
need_wrk
command -v socat >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq socat >/dev/null; }

work=$(mktemp -d /tmp/spendopt-cluster.XXXXXX); chmod 755 "$work"
export SPENDOPT_DATA=$work
trap 'scripts/cluster.sh stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
# Schedules are made due by hand below; a short poll lets the instances find them within the run.
SpendOptimizer__SchedulePollSeconds=2 scripts/cluster.sh start > "$work/start.log"
url=$(cat "$work/cluster/url")
port=$(cat "$work/pg-port")
admin=$(cat "$work/admin-key")
export PGPASSWORD; PGPASSWORD=$(cat "$work/pg/password")
instance() { echo "http://127.0.0.1:$(cat "$work/cluster/api-$1.port")"; }

failed=0
results=()
check() { # name, condition (as text), value
  if eval "$2"; then results+=("| $1 | $3 | ok |"); else results+=("| $1 | $3 | **FAILED** |"); failed=1; fi
}
issue() { # workspace, its admin key, role -> "id key"
  curl -fsS -X POST "$url/v1/workspaces/$1/keys" -H "X-Api-Key: $2" -H 'Content-Type: application/json' -d "{\"role\":\"$3\"}" |
    sed -E 's/^\{"id":"([^"]+)".*"key":"([^"]+)".*/\1 \2/'
}
key_of() { issue "$@" | cut -d' ' -f2; }

# The workspace the reads hit: the demo advertiser with a recommendation.
bench_admin=$(create_workspace bench)
bench_ingest=$(key_of bench "$bench_admin" ingest)
load_demo bench "$bench_ingest"
curl -fsS -X POST "$url/v1/workspaces/bench/recommendations" -H "X-Api-Key: $bench_ingest" -H 'Content-Type: application/json' \
  -d "{\"current\":$(cat "$work/demo/current.json")}" >/dev/null
read_keys=16
{
  echo "local keys = {"
  for _ in $(seq 1 "$read_keys"); do echo "  \"$(key_of bench "$bench_admin" read)\","; done
  echo "}"
  echo 'local paths = {"/v1/workspaces/bench/recommendations/latest", "/v1/workspaces/bench/kpis?grain=total"}'
  echo 'local n = 0'
  echo 'request = function() n = n + 1; return wrk.format("GET", paths[(n % 2) + 1], {["X-Api-Key"] = keys[(n % #keys) + 1]}) end'
} > "$work/reads.lua"

# Workspaces with a weekly schedule, set through HAProxy (so spread over the instances).
for i in $(seq 1 "$scheduled"); do
  a=$(create_workspace "sched-$i")
  load_demo "sched-$i" "$(key_of "sched-$i" "$a" ingest)"
  curl -fsS -X PUT "$url/v1/workspaces/sched-$i/schedule" -H "X-Api-Key: $a" -H 'Content-Type: application/json' \
    -d '{"cron":"0 6 * * 1","time_zone":"UTC","refit_curves":true}' >/dev/null
done

# Writers: batches with unique rows, each with its own Idempotency-Key, resent with the same key until a 200.
writes_admin=$(create_workspace writes)
tp_key=$(key_of writes "$writes_admin" ingest)
cu_key=$(key_of writes "$writes_admin" ingest)
tp_rows=10; cu_rows=5
writer() { # kind (touchpoints|customers), ingest key
  local kind=$1 key=$2 i=0 attempt status body
  while [[ ! -f "$work/stop-writers" ]]; do
    i=$((i + 1))
    if [[ $kind == touchpoints ]]; then
      body=$'journey_id,timestamp,event,channel,value\n'
      for j in $(seq 1 $((tp_rows / 2))); do
        body+="j-$i-$j,2026-01-05T10:00:00Z,touch,search,"$'\n'"j-$i-$j,2026-01-05T11:00:00Z,conversion,,50"$'\n'
      done
    else
      body=$'customer_id,acquired_at,acquisition_channel\n'
      for j in $(seq 1 "$cu_rows"); do body+="c-$i-$j,2026-01-05,search"$'\n'; done
    fi
    for attempt in $(seq 1 60); do
      status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -X POST "$url/v1/workspaces/writes/$kind" -H "X-Api-Key: $key" \
        -H "Idempotency-Key: $kind-$i" -H 'Content-Type: text/csv' --data-binary "$body" 2>/dev/null) || status=${status:-000}
      [[ $status == 200 ]] && break
      echo "$i $attempt $status" >> "$work/$kind.retries"
      sleep 0.2
    done
    echo "$i $attempt $status" >> "$work/$kind.sent"
  done
}
touch "$work/touchpoints.retries" "$work/customers.retries"

# Warm-up (JIT, pools, key caches on every instance), then three phases: all up, one killed, one restarted.
wrk -t1 -c16 -d5s -s "$work/reads.lua" "$url" >/dev/null
writer touchpoints "$tp_key" & w1=$!
writer customers "$cu_key" & w2=$!
phase_row() { # label, wrk output
  local out=$2 req non2xx errors
  req=$(awk '/requests in/ {print $1}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  errors=$(awk -F'[ ,]+' '/Socket errors/ {print $4 + $6 + $8 + $10}' <<<"$out"); errors=${errors:-0}
  echo "| $1 | $req | $(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out") | $(awk '$1 == "50%" {print $2}' <<<"$out") | $(awk '$1 == "99%" {print $2}' <<<"$out") | $(awk '/^ +Latency/ {print $4}' <<<"$out") | $non2xx | $errors |"
  echo "$non2xx $errors" > "$work/phase-errors"
}
reads() { wrk -t1 -c16 -d"${phase}s" --latency -s "$work/reads.lua" "$url"; }
out=$(reads); rows=("$(phase_row "3 instances up" "$out")")
before_errors=$(cat "$work/phase-errors")

# Due now on every scheduled workspace, a moment before the kill, so a run may be cut off mid-plan.
psql_do -c "update schedules set next_due_at = now() where workspace_id like 'sched-%'"
victim=2
# Jobs sent to the instance about to die (its own runner starts one at once; the others poll), so one runs there when it does.
victim_pid=$(cat "$work/cluster/api-$victim.pid")
jobs_sent=6
for _ in $(seq 1 "$jobs_sent"); do
  curl -fsS -X POST "$(instance "$victim")/v1/workspaces/bench/response-curves/fit" -H "X-Api-Key: $bench_ingest" -H 'Prefer: respond-async' \
    -H 'Content-Type: application/json' -d '{}' >/dev/null
done
( sleep 1.5
  psql_do -c "select count(*) from jobs where workspace_id = 'bench' and state = 'running' and lease_owner like '%/$victim_pid/%'" > "$work/jobs-on-victim"
  kill -9 "$victim_pid" ) &
out=$(reads); rows+=("$(phase_row "instance $victim killed (SIGKILL at +1.5 s)" "$out")")
read -r kill_non2xx kill_errors < "$work/phase-errors"
kill_p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
kill_requests=$(awk '/requests in/ {print $1}' <<<"$out")

scripts/cluster.sh restart-instance "$victim"
until [[ $(curl -s -o /dev/null -w '%{http_code}' "$(instance "$victim")/health/ready") == 200 ]]; do sleep 0.2; done
out=$(reads); rows+=("$(phase_row "instance $victim restarted" "$out")")
read -r after_non2xx after_errors < "$work/phase-errors"
touch "$work/stop-writers"; wait "$w1" "$w2"
# HAProxy's own count of what it absorbed (show stat: econ, eresp, wretr, wredis of the backend).
haproxy_seen=$(echo "show stat" | socat - "UNIX-CONNECT:$work/cluster/haproxy.sock" |
  awk -F, '$1 == "instances" && $2 == "BACKEND" { printf "%s connection errors, %s response errors, %s retries, %s redispatches", $14, $15, $16, $17 }')

check "reads while all 3 are up: non-2xx, socket errors" '[[ "$before_errors" == "0 0" ]]' "$before_errors"
check "reads in the kill window: non-2xx, socket errors (of $kill_requests; p99 $kill_p99)" '(( kill_non2xx == 0 && kill_errors == 0 ))' "$kill_non2xx, $kill_errors"
check "HAProxy over the whole run (all requests, reads and writes)" 'true' "$haproxy_seen"
check "reads after the restart: non-2xx, socket errors" '(( after_non2xx == 0 && after_errors == 0 ))' "$after_non2xx, $after_errors"

# Exactly once: rows stored against batches the client saw a 200 for.
for kind in touchpoints customers; do
  sent=$(awk '$3 == 200' "$work/$kind.sent" | wc -l); unconfirmed=$(awk '$3 != 200' "$work/$kind.sent" | wc -l)
  resent=$(cut -d' ' -f1 "$work/$kind.retries" | sort -u | wc -l)
  why=$(awk '{print $3}' "$work/$kind.retries" | sort | uniq -c | awk '{printf "%s%s×%s", sep, $1, $2; sep=", "}')
  if [[ $kind == touchpoints ]]; then
    loads=$(psql_do -c "select count(*) from touchpoint_loads where workspace_id = 'writes'")
    stored=$(psql_do -c "select count(*) from touchpoints where workspace_id = 'writes'"); per=$tp_rows
  else
    loads=$(psql_do -c "select count(*) from customer_loads where workspace_id = 'writes' and kind = 'customers'")
    stored=$(psql_do -c "select count(*) from customers where workspace_id = 'writes'"); per=$cu_rows
  fi
  check "$kind: batches confirmed (client resent $resent of them: ${why:-none}; $unconfirmed unconfirmed) vs loads stored" \
    '(( unconfirmed == 0 && loads == sent ))' "$sent sent, $loads stored"
  check "$kind: rows stored vs rows sent" '(( stored == sent * per ))' "$((sent * per)) sent, $stored stored"
  printf -v "${kind}_summary" '%s batches (%s rows), %s resent' "$sent" "$((sent * per))" "$resent"
done

# Each scheduled workspace planned once, whichever instance took it and whether the killed one was mid-run.
deadline=$((SECONDS + 300))
until [[ $(psql_do -c "select count(*) from schedules where workspace_id like 'sched-%' and next_due_at <= now()") == 0 ]] || (( SECONDS > deadline )); do sleep 1; done
for i in $(seq 1 "$scheduled"); do
  runs=$(psql_do -c "select count(*) || ' (' || coalesce(string_agg(status, ','), '') || ')' from schedule_runs where workspace_id = 'sched-$i'")
  recs=$(psql_do -c "select count(*) from recommendations where workspace_id = 'sched-$i'")
  check "sched-$i: schedule runs, recommendations" '[[ $runs == "1 (succeeded)" && $recs == 1 ]]' "$runs, $recs"
done

# Every job ends succeeded, those the killed instance held taken over by another once its lease ran out.
deadline=$((SECONDS + 180))
until [[ $(psql_do -c "select count(*) from jobs where workspace_id = 'bench' and state in ('queued', 'running')") == 0 ]] || (( SECONDS > deadline )); do sleep 1; done
jobs_ended=$(psql_do -c "select coalesce(string_agg(state || ' ' || n, ', '), 'none') from (select state, count(*) n from jobs where workspace_id = 'bench' group by state) s")
jobs_over=$(psql_do -c "select count(*) from jobs where workspace_id = 'bench' and state = 'succeeded' and attempts = 2")
jobs_victim=$(cat "$work/jobs-on-victim")
check "$jobs_sent curve-fit jobs sent to instance $victim before its kill: states; running there at the kill; run again elsewhere" \
  '[[ $jobs_ended == "succeeded $jobs_sent" ]] && (( jobs_over >= jobs_victim ))' "$jobs_ended; $jobs_victim; $jobs_over"

# Revocation: a key cached as valid on every instance, revoked through instance 1, polled on each until 401.
read -r rid rkey <<<"$(issue bench "$bench_admin" read)"
for n in 1 2 3; do curl -fsS -o /dev/null -H "X-Api-Key: $rkey" "$(instance "$n")/v1/workspaces/bench/kpis"; done
curl -fsS -X DELETE "$(instance 1)/v1/workspaces/bench/keys/$rid" -H "X-Api-Key: $bench_admin"
t0=$(date +%s%N)
poll_401() { # instance -> "ms of the last 200, ms of the first 401" after the revocation's answer (401 "none" in 10 s)
  local u last=0 code sent; u=$(instance "$1")
  while (( $(date +%s%N) - t0 < 10000000000 )); do
    sent=$(( ($(date +%s%N) - t0) / 1000000 ))
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Api-Key: $rkey" "$u/v1/workspaces/bench/kpis?grain=total")
    [[ $code == 401 ]] && { echo "$last $sent"; return; }
    last=$sent
    sleep 0.05
  done
  echo "$last none"
}
for n in 1 2 3; do poll_401 "$n" > "$work/revoked-$n" & done; wait
revoked=""; worst=0; worst_200=0
for n in 1 2 3; do
  read -r ok d < "$work/revoked-$n"
  revoked+="${revoked:+; }instance $n: $( ((ok > 0)) && echo "last 200 at $ok ms" || echo "no 200"), first 401 at $d ms"
  if [[ $d == none ]]; then worst=99999; elif (( d > worst )); then worst=$d; fi
  (( ok > worst_200 )) && worst_200=$ok
done
# The key was cached before the revocation, so no instance may accept it 2 s after; the first 401 follows within a poll.
check "revoked key, polled every 50 ms from the revocation's answer (none accepted after 2 s)" '(( worst_200 < 2000 && worst < 2500 ))' "$revoked"

# Rate limit (default 200/s, bursts of 400, per key and per instance): one fresh key flat out for 10 s, through HAProxy
# and against one instance directly.
rate() { # base url -> 2xx per second
  local k out req non2xx
  k=$(key_of bench "$bench_admin" read)
  out=$(wrk -t1 -c16 -d10s -H "X-Api-Key: $k" "$1/v1/workspaces/bench/recommendations/latest")
  req=$(awk '/requests in/ {print $1}' <<<"$out"); non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "$(( (req - ${non2xx:-0}) / 10 ))/s answered, $(( ${non2xx:-0} / 10 ))/s 429"
}
rate_one=$(rate "$(instance 1)")
rate_all=$(rate "$url")
check "one key against one instance (expected ≤ 200/s + 400 burst over 10 s = 240/s)" 'true' "$rate_one"
check "one key through HAProxy over 3 instances (up to 3×: ≤ 720/s)" 'true' "$rate_all"

{
  echo
  echo "## Three instances behind HAProxy, one killed under load — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(machine); HAProxy $(haproxy -v | awk 'NR == 1 {print $3}'), wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}') on the same machine (1 thread, 16 connections), loopback."
  echo "Command: \`tests/SpendOptimizer.Benchmarks/cluster.sh $seconds $scheduled\` (starts \`scripts/cluster.sh\`: 3 published Release instances, one database,"
  echo "HAProxy round robin with health checks every 1 s, \`retry-on\` for GET/HEAD and writes with an \`Idempotency-Key\`). Default rate limits."
  echo "Reads: GET recommendations/latest and kpis of the demo advertiser alternately, $read_keys read keys, ${phase} s per phase. Writes, alongside"
  echo "throughout, one client each, resending with the same key after an error or a 10 s timeout: touchpoint loads of $tp_rows rows"
  echo "(${touchpoints_summary}) and customers loads of $cu_rows rows (${customers_summary}). The $scheduled scheduled workspaces were made due a moment before the kill."
  echo
  echo "| reads through HAProxy | requests | requests/s | p50 | p99 | max | non-2xx | socket errors |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "| check | measured | |"
  echo "|---|---|---|"
  printf '%s\n' "${results[@]}"
} | tee -a BENCHMARKS.md
exit $failed
