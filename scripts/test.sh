#!/usr/bin/env bash
# Runs every test project against a throwaway PostgreSQL cluster and ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d /tmp/spendopt-test.XXXXXX)
chmod 755 "$work"
cleanup() { scripts/postgres.sh stop "$work/pg" || true; rm -rf "$work"; }
trap cleanup EXIT

port=$(scripts/free-port.sh 54331)
# fsync off: the cluster is thrown away after the run, durability buys nothing here.
ConnectionStrings__SpendOptimizer=$(PG_FSYNC=off scripts/postgres.sh start "$work/pg" "$port")
export ConnectionStrings__SpendOptimizer

# The OpenAPI document is checked by an independent validator that runs on Node.js.
if ! command -v npm >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
(cd tests/openapi && npm ci --no-audit --no-fund --silent)

# The report page and the Swagger UI are checked in headless Chromium, as a person would open them.
if [[ ! -x /usr/bin/chromium ]]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if ! dotnet build SpendOptimizer.sln -c Release -nologo -clp:ErrorsOnly; then
  echo "0 passed, 1 failed (the build failed)"
  exit 1
fi

status=0
for project in tests/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$work/results/$name.trx" --logger "console;verbosity=normal" "$@" || status=1
done

passed=0; failed=0; skipped=0
for trx in "$work"/results/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  t=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
  e=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
done
# A project that could not run at all counts as a failure, not as nothing.
[[ $status -ne 0 && $failed -eq 0 ]] && failed=1
echo "$passed passed, $failed failed, $skipped skipped"
[[ $status -eq 0 && $failed -eq 0 ]]
