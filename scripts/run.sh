#!/usr/bin/env bash
# Starts SpendOptimizer on http://127.0.0.1:5080 over a private PostgreSQL in .data/, loads a demo
# workspace and prints its keys. Ctrl+C stops the API; the database keeps running for the next start
# (scripts/postgres.sh stop .data/pg stops it).
set -euo pipefail
cd "$(dirname "$0")/.."

url=${SPENDOPT_URL:-http://127.0.0.1:5080}
mkdir -p .data
if [[ -z "${ConnectionStrings__SpendOptimizer:-}" ]]; then
  port=$(cat .data/pg-port 2>/dev/null || scripts/free-port.sh 54329)
  echo "$port" > .data/pg-port
  ConnectionStrings__SpendOptimizer=$(scripts/postgres.sh start .data/pg "$port")
  export ConnectionStrings__SpendOptimizer
  echo "PostgreSQL: 127.0.0.1:$port (data in .data/pg)"
fi
if [[ -z "${SPENDOPT_ADMIN_KEY:-}" ]]; then
  [[ -f .data/admin-key ]] || (umask 077; head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > .data/admin-key)
  SPENDOPT_ADMIN_KEY=$(cat .data/admin-key)
fi
export SPENDOPT_ADMIN_KEY

# Logs read by eye here; a deployment keeps the JSON lines with trace ids.
export Logging__Console__FormatterName=${Logging__Console__FormatterName:-simple}
dotnet build src/SpendOptimizer.Api -c Release -nologo -clp:ErrorsOnly
dotnet run --project src/SpendOptimizer.Api -c Release --no-build --urls "$url" &
api=$!
trap 'kill $api 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 120); do
  curl -fsS "$url/health/ready" >/dev/null 2>&1 && break
  kill -0 $api 2>/dev/null || { echo "The API did not start." >&2; exit 1; }
  sleep 0.5
done

scripts/demo.sh "$url" "$SPENDOPT_ADMIN_KEY"

echo
echo "API:      $url   (Swagger UI: $url/swagger)"
echo "Press Ctrl+C to stop."
wait $api
