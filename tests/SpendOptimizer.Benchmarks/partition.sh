#!/usr/bin/env bash
# Building paths from stored journeys: today's single touchpoints table against the same journeys hash-partitioned by
# journey_id (migration 0015), in one cluster and one run, rounds interleaved in rotating order so machine noise
# lands on every layout alike. Each query is the store's own text (JourneyPathSql.Paths) or the pre-0015 join
# (journey-paths-join.sql), timed by EXPLAIN (ANALYZE, BUFFERS) with the store's partitionwise settings.
#   tests/SpendOptimizer.Benchmarks/partition.sh [JOURNEYS] [ROUNDS]     (default: 5000000 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
journeys=${1:-5000000}
rounds=${2:-3}
bench=tests/SpendOptimizer.Benchmarks
migrations=src/SpendOptimizer.Api/Migrations

work=$(mktemp -d /tmp/spendopt-part.XXXXXX); chmod 755 "$work"
port=$(scripts/free-port.sh 54371)
trap 'scripts/postgres.sh stop "$work/pg" >/dev/null || true; rm -rf "$work"' EXIT
scripts/postgres.sh start "$work/pg" "$port" >/dev/null
export PGPASSWORD; PGPASSWORD=$(cat "$work/pg/password")
psql_do() { psql -h 127.0.0.1 -p "$port" -U spendopt -d spendopt -v ON_ERROR_STOP=1 -qAt "$@"; }
seconds() { local t0=$EPOCHREALTIME; "$@" >/dev/null; echo "$EPOCHREALTIME - $t0" | bc -l; }
dotnet build "$bench" -c Release -nologo -clp:ErrorsOnly >/dev/null

# The store's SQL and settings, read from the source the service compiles; psql variables stand for its parameters.
source_sql=src/SpendOptimizer.Api/Storage/JourneyPathSql.cs
awk '/const string Paths = """/ {on=1; next} on && /^ *""";/ {exit} on' "$source_sql" >"$work/onepass.sql"
settings=$(sed -n 's/.*const string Partitionwise = "\(.*\)";/\1/p' "$source_sql")
grep -v '^--' "$bench/journey-paths-join.sql" >"$work/join.sql"
for q in onepass join; do sed -i "s/@ws/:'ws'/g; s/@from/:from/g; s/@to/:to/g" "$work/$q.sql"; done
[[ -s "$work/onepass.sql" && -n "$settings" ]] || { echo "could not read the SQL from $source_sql" >&2; exit 1; }

# Two schemas, each migrated as the service would be up to 0015; "part" then runs 0015 over the loaded rows.
psql_do -c "create schema single" -c "create schema part"
for schema in single part; do
  for f in "$migrations"/*.sql; do
    [[ $(basename "$f") < 0015 ]] || continue
    { echo "set search_path = $schema;"; cat "$f"; } | psql_do >/dev/null
  done
done
dotnet "$bench/bin/Release/net10.0/SpendOptimizer.Benchmarks.dll" journeys "$work/journeys.csv" "$journeys" >/dev/null
rows=$(($(wc -l <"$work/journeys.csv") - 1))
load_s=$(seconds psql_do -c "alter table single.touchpoints alter column workspace_id set default 'bench'" \
  -c "\\copy single.touchpoints (journey_id, ts, event, channel, campaign, value) from '$work/journeys.csv' with (format csv, header, force_not_null (channel))" \
  -c "alter table single.touchpoints alter column workspace_id drop default")
rm -f "$work/journeys.csv"
psql_do -c "insert into part.touchpoints select * from single.touchpoints"
migrate_s=$(seconds bash -c "{ echo 'set search_path = part;'; cat $migrations/0015_*.sql; } | psql -h 127.0.0.1 -p $port -U spendopt -d spendopt -v ON_ERROR_STOP=1 -qAt")
psql_do -c "vacuum analyze single.touchpoints" -c "vacuum analyze part.touchpoints" -c "analyze part.touchpoints"
[[ $(psql_do -c "select count(*) from pg_inherits where inhparent = 'part.touchpoints'::regclass") == 16 ]] || { echo "part.touchpoints is not partitioned" >&2; exit 1; }

# One timed run: execution ms, shared blocks hit + read, temp blocks written, result rows.
run() {
  local schema=$1 query=$2
  { echo "set search_path = $schema; begin; $settings;"
    echo "explain (analyze, buffers, timing off, format json)"; cat "$work/$query.sql"; echo "; commit;"; } |
    psql_do -v ws=bench -v from=null -v to=null | grep -v '^\(SET\|BEGIN\|COMMIT\)$' |
    python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; p=d["Plan"]; print("%.0f %d %d %d" % (d["Execution Time"], p["Shared Hit Blocks"] + p["Shared Read Blocks"], p["Temp Written Blocks"], p["Actual Rows"]))'
}

layouts=("single join" "single onepass" "part join" "part onepass")
declare -A times
for ((r = 0; r < rounds; r++)); do
  for ((i = 0; i < ${#layouts[@]}; i++)); do
    combo=${layouts[$(((i + r) % ${#layouts[@]}))]}
    read -r ms blocks temp out < <(run $combo)
    times[$combo]+="$ms "; echo "round $((r + 1)) $combo: $ms ms, $blocks blocks, $temp temp blocks written, $out paths" >&2
    eval "blocks_${combo// /_}=$blocks temp_${combo// /_}=$temp paths_${combo// /_}=$out"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
# Per round, each layout's time over the baseline's (today: single table, join query) in that same round.
ratio() { paste -d' ' <(tr ' ' '\n' <<<"${times[$1]}" | grep .) <(tr ' ' '\n' <<<"${times[single join]}" | grep .) | awk '{print $1 / $2}' | tr '\n' ' ' | median; }

{
  echo
  echo "## Building paths: single table vs hash-partitioned by journey — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p'), PostgreSQL $(psql --version | awk '{print $3}'); load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Command: \`$bench/partition.sh $journeys $rounds\`. $journeys journeys ($rows rows) in one workspace; \\copy into the single table took $(printf %.0f "$load_s") s, migration 0015 moved them into 16 partitions in $(printf %.0f "$migrate_s") s."
  echo "Each figure is the median of $rounds interleaved rounds of EXPLAIN (ANALYZE, BUFFERS, TIMING OFF); the ratio is the median of each round's time over the single-table join in the same round."
  echo
  echo "| layout | query | median | vs today | shared blocks | temp blocks written | paths |"
  echo "|---|---|---|---|---|---|---|"
  for combo in "${layouts[@]}"; do
    read -r schema query <<<"$combo"; key=${combo// /_}
    eval "b=\$blocks_$key t=\$temp_$key n=\$paths_$key"
    printf '| %s | %s | %.1f s | %.2f | %s | %s | %s |\n' "$([[ $schema == single ]] && echo "single table" || echo "16 hash partitions")" \
      "$([[ $query == join ]] && echo "pre-0015 join" || echo "one pass (JourneyPathSql.Paths)")" \
      "$(echo "$(median <<<"${times[$combo]}") / 1000" | bc -l)" "$(ratio "$combo")" "$b" "$t" "$n"
  done
}
