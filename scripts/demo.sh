#!/usr/bin/env bash
# Creates the demo workspace (once), issues its keys and loads demo data through the API.
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:?api url}
admin=${2:?operator key}
keys=.data/demo-keys

if [[ ! -f "$keys" ]] || ! curl -fsS -H "X-Api-Key: $(sed -n 's/^read=//p' "$keys")" "$url/v1/workspaces/demo/performance?limit=1" >/dev/null 2>&1; then
  created=$(curl -fsS -X POST "$url/v1/workspaces" -H "X-Api-Key: $admin" -H 'Content-Type: application/json' \
    -d '{"id":"demo","name":"Demo advertiser","time_zone":"Europe/London","currency":"GBP","week_start":"monday"}') || {
    echo "Could not create the demo workspace (it may exist with keys this folder no longer has: drop .data/ to start over)." >&2
    exit 1
  }
  ws_admin=$(sed -E 's/.*"key":"([^"]+)".*/\1/' <<<"$created")
  issue() {
    curl -fsS -X POST "$url/v1/workspaces/demo/keys" -H "X-Api-Key: $ws_admin" -H 'Content-Type: application/json' \
      -d "{\"role\":\"$1\",\"label\":\"demo $1\"}" | sed -E 's/.*"key":"([^"]+)".*/\1/'
  }
  (umask 077; printf 'admin=%s\ningest=%s\nread=%s\n' "$ws_admin" "$(issue ingest)" "$(issue read)" > "$keys")
fi
ingest=$(sed -n 's/^ingest=//p' "$keys")
read=$(sed -n 's/^read=//p' "$keys")

dotnet run --project src/SpendOptimizer.Cli -c Release -- demo-data --out .data/demo >/dev/null
for f in performance:PUT:performance.csv:"?grain=week" economics:PUT:economics.csv: lift-tests:POST:lift-tests.csv: paths:PUT:paths.csv:; do
  IFS=: read -r route method file query <<<"$f"
  printf 'Loaded %-12s %s\n' "$route:" "$(curl -fsS -X "$method" "$url/v1/workspaces/demo/$route$query" -H "X-Api-Key: $ingest" -H 'Content-Type: text/csv' --data-binary "@.data/demo/$file")"
done
# Customers and their orders load once: the Idempotency-Key makes a later start's load a replay.
for f in customers orders; do
  printf 'Loaded %-12s %s\n' "$f:" "$(curl -fsS -X POST "$url/v1/workspaces/demo/$f" -H "X-Api-Key: $ingest" -H 'Content-Type: text/csv' \
    -H "Idempotency-Key: demo-$f-1" --data-binary "@.data/demo/$f.csv")"
done
echo

echo
api() { curl -sS -X POST "$url/v1/workspaces/demo/$1" -H "X-Api-Key: $ingest" -H 'Content-Type: application/json' -d "$2"; }
echo "Attribution (Markov, order 1) over the demo paths:"
api attribution-runs '{"model":"markov","source":"paths"}' > .data/demo/attribution.json
curl -fsS "$url/v1/workspaces/demo/attribution-runs/$(sed -E 's/^\{"id":"([^"]+)".*/\1/' .data/demo/attribution.json)?format=csv&api_key=$read" |
  awk -F, 'NR > 1 { printf "  %-14s %8.1f conversions  %5.1f%%\n", $1, $2, $4 * 100 }'
echo
echo "Incrementality factors (true incremental conversions per attributed one):"
curl -fsS "$url/v1/workspaces/demo/incrementality?format=csv&api_key=$read" |
  awk -F, 'NR > 1 { printf "  %-14s %5.2f ± %4.2f  %s\n", $1, $2, $3,
    $6 == "true" ? ($8 != "" ? sprintf("no lift test: the flat prior with journey credit, which alone says %.2f ± %.2f", $8, $9) : "no lift test: the prior") : "lift tests " $7 }'
echo
api response-curves/fit '{}' > .data/demo/curves.json
# Today's plan, as the advertiser states it: every move is measured from it.
api recommendations "{\"current\":$(cat .data/demo/current.json)}" > .data/demo/recommendation.json
if grep -q '"lines"' .data/demo/recommendation.json; then
  currency=$(sed -E 's/.*"currency":"([A-Z]{3})".*/\1/' .data/demo/recommendation.json)
  week=$(sed -E 's/^\{"id":"[^"]+","week":"([^"]+)".*/\1/' .data/demo/recommendation.json)
  echo "Recommendation for the week of $week (weekly spend in $currency; CLV of incremental new customers is the objective):"
  csv=$(curl -fsS "$url/v1/workspaces/demo/recommendations/latest?format=csv&api_key=$read")
  awk -F, '
    NR == 1 { printf "  %-14s %10s %12s %8s  %s\n", "channel", "current", "recommended", "change", "why it stopped there"; next }
    { printf "  %-14s %10.0f %12.0f %+7.1f%%  %s\n", $3, $4, $5, $6 * 100, $16 }' <<<"$csv"
  read -r expected p10 p50 p90 chance <<<"$(sed -E 's/.*"gain":\{"expected":([^,]+),"p10":([^,]+),"p50":([^,]+),"p90":([^,]+),"probability_positive":([^,]+).*/\1 \2 \3 \4 \5/' .data/demo/recommendation.json)"
  printf '  expected gain %.0f (CLV, %s per week; p10 %.0f, p50 %.0f, p90 %.0f; P(gain > 0) = %.2f)\n' "$expected" "$currency" "$p10" "$p50" "$p90" "$chance"
  # column 19 is test_value: what knowing the channel's true response would be worth per week
  awk -F, 'NR > 1 && $19 != "" && $19 + 0 > best { best = $19 + 0; top = $3 }
    END { if (best > 0) printf "  test next: a lift test on %s (knowing its true response is worth about %.0f a week in better plans, CLV in %s)\n", top, best, cur }' cur="$currency" <<<"$csv"
  # The demo data is a fixed past stretch: the plan for the coming week says how old it is.
  grep -o '"the latest loaded data is [^"]*"' .data/demo/recommendation.json | sed 's/^"/  warning: /; s/"$//' || true
else
  echo "No recommendation: $(cat .data/demo/recommendation.json)"
fi
echo
echo "Customer value fitted on the orders (BG/NBD + Gamma-Gamma per acquisition channel, calibration to 2025-09-30, CLV over 36 months):"
api customer-value/fit '{"model":"bg_nbd","calibration_end":"2025-09-30"}' > .data/demo/customer-value.json
# columns: 6 group, 8 parameter, 14 customers, 16 clv, 17 p5, 19 p95, 20 holdout predicted, 21 holdout actual
curl -fsS "$url/v1/workspaces/demo/customer-value/latest?format=csv&api_key=$read" |
  awk -F, 'NR > 1 && $5 == "group" && $8 == "r" { printf "  %-14s %6d customers  CLV %7.2f (90%%: %7.2f – %7.2f)  holdout repeat orders %6.0f predicted, %6.0f made\n", $6, $14, $16, $17, $19, $20, $21 }'
echo "  Report (open in a browser): $url/v1/workspaces/demo/recommendations/latest/report?api_key=$read"
echo "  CSV for a spreadsheet:      $url/v1/workspaces/demo/recommendations/latest?format=csv&api_key=$read"
echo "  Swagger UI:                 $url/swagger"

echo
ws_admin=$(sed -n 's/^admin=//p' "$keys")
schedule=$(curl -fsS -X PUT "$url/v1/workspaces/demo/schedule" -H "X-Api-Key: $ws_admin" -H 'Content-Type: application/json' \
  -d '{"cron":"0 6 * * 1","time_zone":"Europe/London"}')
echo "Scheduled: every Monday 06:00 Europe/London the service plans the week by itself; next run $(sed -E 's/.*"next_run_local":"([^"]+)".*/\1/' <<<"$schedule")."

echo
echo "Demo workspace 'demo' keys (also in $keys):"
sed 's/^/  /' "$keys"
echo "Spreadsheet URL (read key): $url/v1/workspaces/demo/performance?format=csv&api_key=$read"
