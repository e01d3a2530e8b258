#!/usr/bin/env bash
# Creates the demo workspace (once), issues its keys and loads demo data through the API.
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:?api url}
admin=${2:?operator key}
keys=.data/demo-keys

if [[ ! -f "$keys" ]] || ! curl -fsS -H "X-Api-Key: $(sed -n 's/^read=//p' "$keys")" "$url/v1/workspaces/demo/performance?limit=1" >/dev/null 2>&1; then
  created=$(curl -fsS -X POST "$url/v1/workspaces" -H "X-Api-Key: $admin" -H 'Content-Type: application/json' \
    -d '{"id":"demo","name":"Demo advertiser","time_zone":"Europe/London"}') || {
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
  echo -n "demo $route: "
  curl -fsS -X "$method" "$url/v1/workspaces/demo/$route$query" -H "X-Api-Key: $ingest" -H 'Content-Type: text/csv' --data-binary "@.data/demo/$file"
  echo
done

echo
echo "Demo workspace 'demo' keys (also in $keys):"
sed 's/^/  /' "$keys"
echo "Spreadsheet URL (read key): $url/v1/workspaces/demo/performance?format=csv&api_key=$read"
