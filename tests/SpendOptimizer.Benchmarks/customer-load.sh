#!/usr/bin/env bash
# Loads the demo's customers and orders (BG/NBD + Gamma–Gamma draws, `demo-data --customers-per-channel`) through the API
# (streamed CSV, with an Idempotency-Key) and with psql's \copy into copies of the same tables, interleaved in one run on
# one throwaway cluster; then times POST …/customer-value/fit (bg_nbd by acquisition_channel) on the loaded data and
# EXPLAIN ANALYZEs its sufficient-statistics query, and appends the figures to BENCHMARKS.md.
#   tests/SpendOptimizer.Benchmarks/customer-load.sh [CUSTOMERS] [ORDERS]     (default: 1000000 5000000)
# ORDERS caps orders.csv: the process draws what it draws per customer, and a cap keeps whole customers' histories but
# the last one's (customers left without orders are not in the fit).
set -euo pipefail
cd "$(dirname "$0")/../.."
customers=${1:-1000000}
max_orders=${2:-5000000}

source tests/SpendOptimizer.Benchmarks/lib.sh
# Customers and orders routes take SpendOptimizer:MaxBodyBytes (64 MiB by default); one file of millions of rows is over it.
export SpendOptimizer__MaxBodyBytes=$((4 * 1024 * 1024 * 1024))
start_stack
key=$(create_workspace bench)

channels=6 # the synthetic demo world's
per=$(( (customers + channels - 1) / channels ))
t0=$(date +%s.%N)
dotnet run --project src/SpendOptimizer.Cli -c Release -- demo-data --out "$work/demo" --customers-per-channel "$per" >/dev/null
gen_s=$(echo "$(date +%s.%N) - $t0" | bc -l)
drawn=$(( $(wc -l <"$work/demo/orders.csv") - 1 ))
if (( drawn > max_orders )); then head -n $((max_orders + 1)) "$work/demo/orders.csv" >"$work/orders.csv"; else cp "$work/demo/orders.csv" "$work/orders.csv"; fi
cp "$work/demo/customers.csv" "$work/customers.csv"; rm -rf "$work/demo"

# psql's targets: the same columns, indexes and defaults; the API's workspace and load columns filled by defaults.
for t in customers orders; do
  psql_do -c "create table ${t}_copy (like $t including all)" \
    -c "alter table ${t}_copy alter column workspace_id set default 'bench', alter column load_id set default '00000000-0000-0000-0000-000000000001'"
done

idle=$(rss_mb)
results=()
load() { # kind, psql columns
  local file="$work/$1.csv" rows size t0 t1 t2 t3 api_rows psql_rows api_s psql_s api_rps psql_rps
  size=$(du -m "$file" | cut -f1)
  t0=$(date +%s.%N)
  curl -fsS -X POST "$url/v1/workspaces/bench/$1" -H "X-Api-Key: $key" -H 'Content-Type: text/csv' \
    -H "Idempotency-Key: bench-$1" -T "$file" -o "$work/answer-$1.json"
  t1=$(date +%s.%N)
  api_rows=$(psql_do -c "select count(*) from $1 where workspace_id = 'bench'")
  t2=$(date +%s.%N)
  psql_do -c "\\copy ${1}_copy ($2) from '$file' with (format csv, header)"
  t3=$(date +%s.%N)
  psql_rows=$(psql_do -c "select count(*) from ${1}_copy")
  api_s=$(echo "$t1 - $t0" | bc -l); psql_s=$(echo "$t3 - $t2" | bc -l)
  api_rps=$(echo "$api_rows / $api_s" | bc -l); psql_rps=$(echo "$psql_rows / $psql_s" | bc -l)
  results+=("$(printf '| %s | %s | %s MB | %.1f s | %.0f | %.1f s | %.0f | **%.2f** | %s MB |' \
    "$1" "$api_rows" "$size" "$api_s" "$api_rps" "$psql_s" "$psql_rps" "$(echo "$api_rps / $psql_rps" | bc -l)" "$(hwm_mb)")")
}
load customers "customer_id, acquired_at, acquisition_channel"
load orders "customer_id, ordered_at, revenue, gross_margin"
load_peak=$(hwm_mb)

# The fit's own peak: the kernel's high-water mark is reset (clear_refs 5) so it starts from the API's RSS now.
psql_do -c "analyze customers" -c "analyze orders" # as autovacuum would soon after such loads
echo 5 >"/proc/$api/clear_refs"
fit_base=$(rss_mb)
t0=$(date +%s.%N)
curl -fsS -X POST "$url/v1/workspaces/bench/customer-value/fit" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d '{"model": "bg_nbd", "by": "acquisition_channel"}' -o "$work/fit.json"
fit_s=$(echo "$(date +%s.%N) - $t0" | bc -l)
fit_peak=$(hwm_mb)
end=$(jq -r .calibration_end "$work/fit.json")
groups=$(jq '.groups | length' "$work/fit.json")
fitted=$(jq '[.groups[].customers] | add' "$work/fit.json")

# The sufficient-statistics query as the store holds it, with this fit's parameters.
sql=$(awk '/RfmSql = """/ {on=1; next} on && /""";/ {exit} on' src/SpendOptimizer.Api/Storage/CustomerValueStore.cs |
  sed -e "s/@ws/'bench'/g" -e "s/@end/'$end'::date/g" -e 's/@by_channel/true/g')
psql_do -c "explain (analyze, buffers) $sql" >"$work/explain.txt"
cat "$work/explain.txt" # the whole plan on the console; the figures below go to BENCHMARKS.md
sql_ms=$(sed -n 's/^Execution Time: \([0-9.]*\) ms/\1/p' "$work/explain.txt")
tuples=$(psql_do -c "select count(*) from ($sql) s")
top=$(grep -m3 -E 'Sort Method|HashAggregate|GroupAggregate' "$work/explain.txt" | sed -E 's/^ *(-> *)?//; s/  \(cost.*actual time=[0-9.]+\.\.([0-9.]+) .*/ (to \1 ms)/' | paste -sd';' | sed 's/;/; /g')

{
  echo
  echo "## Customer load and customer-value fit: API vs psql \\copy — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(machine)."
  echo "Command: \`tests/SpendOptimizer.Benchmarks/customer-load.sh $customers $max_orders\` ($customers customers drawn by"
  echo "\`demo-data --customers-per-channel $per\` over $channels channels in $(printf '%.0f' "$gen_s") s; $drawn orders drawn, $(( $(wc -l <"$work/orders.csv") - 1 )) loaded)."
  echo "Each file goes through the API (streamed CSV, Idempotency-Key; SpendOptimizer__MaxBodyBytes raised to 4 GiB from 64 MiB) and then with psql \\copy into a copy of its table (same indexes)."
  echo
  echo "| file | rows | size | API time | API rows/s | psql time | psql rows/s | API / psql | API peak RSS after |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${results[@]}"
  echo
  echo "API RSS idle before the loads $idle MB, high-water mark after both $load_peak MB."
  echo
  printf 'Fit (bg_nbd by acquisition_channel, calibration_end %s, end to end over HTTP): **%.1f s**; %s groups, %s customers;\n' "$end" "$fit_s" "$groups" "$fitted"
  echo "API RSS $fit_base MB before, peak $fit_peak MB during (high-water mark reset before the fit). Its sufficient-statistics"
  printf 'query (EXPLAIN ANALYZE, same parameters, after the fit): %.1f s of it, %s (x, t_x, T, m_x) rows. %s\n' "$(echo "$sql_ms / 1000" | bc -l)" "$tuples" "$top"
} | tee -a BENCHMARKS.md
