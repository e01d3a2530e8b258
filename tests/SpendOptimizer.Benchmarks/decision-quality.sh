#!/usr/bin/env bash
# Decision quality end to end through the API, on two independent families of seeded worlds:
#   synthetic  6 channels, Hill curves, spend around a typical level, noisy lift tests on 5, customer paths;
#   market     8 channels, log / exponential / linear-knee / Hill curves, spend wandering 0.4–1.6× around a stated plan,
#              seasonality, missing and paused weeks, lift tests 1–3 standard errors off on some channels, today's plan
#              breaking a limit on some, paths in about half the worlds.
# Each world is loaded over HTTP, a recommendation is requested as a user would (today's plan as "current", band 10–20%,
# budget within 0.5%, payback ≤ 12, CLV:CAC ≥ 3, objective clv), so is one from curves that trust raw attribution, and
# both are scored on the true curves against the exact optimum under the same rules.
#   tests/SpendOptimizer.Benchmarks/decision-quality.sh [SEEDS...]            (default 1..30, both families)
#   FAMILIES=market tests/SpendOptimizer.Benchmarks/decision-quality.sh ...    (one family)
#   CAUTION=0.5 LIMIT_CONFIDENCE=0.7 …                                          (request parameters; default: the catalogue's)
#   RAW=false …                                                                 (skip the raw-attribution plan)
#   CALIBRATION='{"pool_tested":true}' …                                        (fit the curves with these lift_calibration parameters first)
#   JOURNEYS=false …                                                            (never load paths: untested channels keep the flat prior)
#   TEST_ALL=true …                                                             (the untested channels lift-tested too, unbiased)
#   OUT=file.md …                                                               (write the tables there instead of appending to BENCHMARKS.md)
#   KEEP=dir …                                                                  (keep each world's answers there: FAMILY-SEED.rec.json, .raw.json)
set -euo pipefail
cd "$(dirname "$0")/../.."
seeds=("$@"); [[ ${#seeds[@]} -eq 0 ]] && seeds=($(seq 1 30))
families=(${FAMILIES:-synthetic market})
source tests/SpendOptimizer.Benchmarks/lib.sh
start_stack
dotnet build src/SpendOptimizer.Cli -c Release -nologo -clp:ErrorsOnly
scores="$work/scores.tsv"
parameters=$(printf '%s' "${CAUTION:+\"caution_quantile\":$CAUTION,}${LIMIT_CONFIDENCE:+\"limit_confidence\":$LIMIT_CONFIDENCE,}" | sed 's/,$//')
for family in "${families[@]}"; do
  for seed in "${seeds[@]}"; do
    ws="$family-$seed"
    key=$(create_workspace "$ws")
    dir="$work/$ws"
    extra=(--test-all "${TEST_ALL:-false}")
    dotnet src/SpendOptimizer.Cli/bin/Release/net10.0/spendopt.dll demo-data --family "$family" --seed "$seed" --out "$dir" "${extra[@]}" >/dev/null
    load() { curl -fsS -X "$1" "$url/v1/workspaces/$ws/$2" -H "X-Api-Key: $key" -H 'Content-Type: text/csv' --data-binary "@$dir/$3" >/dev/null; }
    post() { curl -sS -X POST "$url/v1/workspaces/$ws/$1" -H "X-Api-Key: $key" -H 'Content-Type: application/json' -d "$2"; }
    load PUT "performance?grain=week" performance.csv
    load POST lift-tests lift-tests.csv
    load PUT economics economics.csv
    if [[ "${JOURNEYS:-true}" == true && -f "$dir/paths.csv" ]]; then
      # The world's customer paths and a Markov run over them: untested channels then lean on journey credit.
      load PUT paths paths.csv
      post attribution-runs '{"model":"markov","source":"paths"}' >/dev/null
    fi
    [[ -n "${CALIBRATION:-}" ]] && post response-curves/fit "{\"calibration\":$CALIBRATION}" >/dev/null
    body="{\"current\":$(cat "$dir/current.json"),\"budget_mode\":\"within\",\"budget_tolerance\":0.005,\"parameters\":{$parameters}}"
    post recommendations "$body" > "$dir/rec.json"
    if [[ "${RAW:-true}" == true ]]; then
      fit=$(post response-curves/fit '{"use_lift_tests":false}' | sed -E 's/^\{"id":"([^"]+)".*/\1/')
      post recommendations "${body%\}},\"fit_id\":\"$fit\"}" > "$dir/raw.json"
    fi
    dotnet "$gen" score "$family" "$seed" "$dir/rec.json" "$dir/raw.json" "${TEST_ALL:-false}" | tee -a "$scores"
    if [[ -n "${KEEP:-}" ]]; then mkdir -p "$KEEP"; cp "$dir/rec.json" "$KEEP/$ws.rec.json"; [[ -f "$dir/raw.json" ]] && cp "$dir/raw.json" "$KEEP/$ws.raw.json"; fi
  done
done
{
  echo
  echo "## Decision quality on two world families, through the API — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(machine). Command: \`${CALIBRATION:+CALIBRATION='$CALIBRATION' }${FAMILIES:+FAMILIES=\"$FAMILIES\" }${CAUTION:+CAUTION=$CAUTION }${LIMIT_CONFIDENCE:+LIMIT_CONFIDENCE=$LIMIT_CONFIDENCE }${RAW:+RAW=$RAW }${TEST_ALL:+TEST_ALL=$TEST_ALL }${JOURNEYS:+JOURNEYS=$JOURNEYS }tests/SpendOptimizer.Benchmarks/decision-quality.sh ${seeds[*]}\`."
  echo "Request: today's plan as \`current\`, band 10–20%, budget within 0.5%, payback ≤ 12 months, CLV:CAC ≥ 3, objective clv; caution_quantile ${CAUTION:-default}, limit_confidence ${LIMIT_CONFIDENCE:-default}."
  echo "Scored on the true curves against the exact optimum (every combination of keep, 11 shares per side of the band and the limit cuts) under the same rules;"
  echo "a channel no allowed level lets meet a limit in truth is held at its closest level in the optimum too. A refusal scores 0."
  echo
  dotnet "$gen" summary "$scores"
} > "$work/report.md"
if [[ -n "${OUT:-}" ]]; then cp "$work/report.md" "$OUT"; else cat "$work/report.md" >> BENCHMARKS.md; fi
cat "$work/report.md"
