#!/usr/bin/env bash
# Decision quality end to end through the API: for each seed, a synthetic world (known curves, attribution bias,
# noisy lift tests, economics) is loaded over HTTP, a recommendation is requested, and so is one from curves that
# trust raw attribution; both plans are scored on the true curves against the true optimum (grid search).
#   tests/SpendOptimizer.Benchmarks/decision-quality.sh [SEEDS...]   (default 1..10)
#   CAUTION=0.5 tests/SpendOptimizer.Benchmarks/decision-quality.sh ...   (the request's caution_quantile; default: the catalogue's)
#   TEST_ALL=true tests/SpendOptimizer.Benchmarks/decision-quality.sh ... (each world's untested channel lift-tested too: the "test next" advice taken)
#   JOURNEYS=false tests/SpendOptimizer.Benchmarks/decision-quality.sh ...  (no paths loaded: untested channels keep the flat prior)
set -euo pipefail
cd "$(dirname "$0")/../.."
seeds=("$@"); [[ ${#seeds[@]} -eq 0 ]] && seeds=(1 2 3 4 5 6 7 8 9 10)
source tests/SpendOptimizer.Benchmarks/lib.sh
start_stack
dotnet build src/SpendOptimizer.Cli -c Release -nologo -clp:ErrorsOnly
rows=()
for seed in "${seeds[@]}"; do
  key=$(create_workspace "world-$seed")
  dir="$work/world-$seed"
  dotnet src/SpendOptimizer.Cli/bin/Release/net10.0/spendopt.dll demo-data --seed "$seed" --out "$dir" --test-all "${TEST_ALL:-false}" >/dev/null
  load() { curl -fsS -X "$1" "$url/v1/workspaces/world-$seed/$2" -H "X-Api-Key: $key" -H 'Content-Type: text/csv' --data-binary "@$dir/$3" >/dev/null; }
  load PUT "performance?grain=week" performance.csv
  load POST lift-tests lift-tests.csv
  load PUT economics economics.csv
  post() { curl -sS -X POST "$url/v1/workspaces/world-$seed/$1" -H "X-Api-Key: $key" -H 'Content-Type: application/json' -d "$2"; }
  if [[ "${JOURNEYS:-true}" == true ]]; then
    # The world's customer paths and a Markov run over them: untested channels then lean on journey credit.
    load PUT paths paths.csv
    post attribution-runs '{"model":"markov","source":"paths"}' >/dev/null
  fi
  body='{}'
  [[ -n "${CAUTION:-}" ]] && body="{\"parameters\":{\"caution_quantile\":$CAUTION}}"
  post recommendations "$body" > "$dir/rec.json"
  if grep -q '"clashes"' "$dir/rec.json"; then
    # As a user would: apply the smallest relaxation the 422 answer named, and ask again.
    body=$(dotnet "$gen" relax "$dir/rec.json" ${CAUTION:-})
    post recommendations "$body" > "$dir/rec.json"
  fi
  fit=$(post response-curves/fit '{"use_lift_tests":false}' | sed -E 's/^\{"id":"([^"]+)".*/\1/')
  raw_body=$(sed -E "s/\}$/,\"fit_id\":\"$fit\"}/; s/^\{,/{/" <<<"$body")
  post recommendations "$raw_body" > "$dir/raw.json"
  rows+=("$(dotnet "$gen" score "$seed" "$dir/rec.json" "$dir/raw.json" "${TEST_ALL:-false}")")
done
{
  echo
  echo "## Decision quality through the API — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(machine). Command: \`${CAUTION:+CAUTION=$CAUTION }${TEST_ALL:+TEST_ALL=$TEST_ALL }${JOURNEYS:+JOURNEYS=$JOURNEYS }tests/SpendOptimizer.Benchmarks/decision-quality.sh ${seeds[*]}\`."
  echo "Each seed is a world of 6 channels, 104 weeks, attribution bias 0.6–2.2× per channel, 1–2 noisy lift tests on 5 of them$([[ "${TEST_ALL:-}" == true ]] && echo " and one on the sixth"),"
  echo "per-channel economics; $([[ "${JOURNEYS:-true}" == true ]] && echo "customer paths with a Markov attribution run (untested channels lean on it)" || echo "no customer paths (untested channels keep the flat prior)"); default request (band 10–20%, equal budget, payback ≤ 12 months, CLV:CAC ≥ 3, CLV objective), caution_quantile ${CAUTION:-0.4 (default)}."
  echo "Gains are weekly CLV of incremental new customers on the true curves; the optimum is a grid search over the true curves under the same rules."
  echo "Test next: the channel with the largest test_value (what knowing its true response would be worth per week in better plans)."
  echo
  echo "| seed | true optimum's gain | plan's true gain | share captured | rules broken (true curves) | predicted gain p10 / p50 / p90 | raw attribution's true gain (share) | raw's broken rules | test next (value per week) |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee -a BENCHMARKS.md
