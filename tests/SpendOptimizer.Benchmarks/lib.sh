# Shared by the benchmark drivers: a throwaway PostgreSQL cluster and the API over it, both stopped on exit.
# Sets: work, port, cs, url, admin, api (pid; start_api restarts it); psql_do runs SQL on the cluster; rss_mb/hwm_mb read the API's memory.

start_stack() {
  work=$(mktemp -d /tmp/spendopt-bench.XXXXXX); chmod 755 "$work"
  api=""
  trap 'stop_stack' EXIT
  port=$(scripts/free-port.sh 54351)
  cs=$(scripts/postgres.sh start "$work/pg" "$port")
  export PGPASSWORD; PGPASSWORD=$(cat "$work/pg/password")
  dotnet build tests/SpendOptimizer.Benchmarks -c Release -nologo -clp:ErrorsOnly
  dotnet build src/SpendOptimizer.Api -c Release -nologo -clp:ErrorsOnly
  admin=bench-$RANDOM$RANDOM
  local api_port; api_port=$(scripts/free-port.sh 5180)
  url=http://127.0.0.1:$api_port
  start_api
}

# Starts (or restarts) the API process on $url over the cluster; waits until it is ready. Rate limits are raised out of the
# way of load tests unless DEFAULT_LIMITS=true keeps the API's own.
start_api() {
  local limits=(SpendOptimizer__RateLimitPerSecond=100000 SpendOptimizer__RateLimitBurst=100000)
  [[ "${DEFAULT_LIMITS:-}" == true ]] && limits=()
  env ConnectionStrings__SpendOptimizer="$cs" SPENDOPT_ADMIN_KEY=$admin Logging__LogLevel__Default=Warning "${limits[@]}" \
    dotnet src/SpendOptimizer.Api/bin/Release/net10.0/SpendOptimizer.Api.dll --urls "$url" >>"$work/api.log" 2>&1 &
  api=$!
  until curl -fsS "$url/health/ready" >/dev/null 2>&1; do sleep 0.5; done
}

stop_stack() {
  [[ -n "${api:-}" ]] && kill "$api" 2>/dev/null
  scripts/postgres.sh stop "$work/pg" || true
  rm -rf "$work"
}

psql_do() { psql -h 127.0.0.1 -p "$port" -U spendopt -d spendopt -v ON_ERROR_STOP=1 -qAt "$@"; }

# Creates a workspace and prints its admin key.
create_workspace() {
  curl -fsS -X POST "$url/v1/workspaces" -H "X-Api-Key: $admin" -H 'Content-Type: application/json' \
    -d "{\"id\":\"$1\",\"name\":\"$1\"}" | sed -E 's/.*"key":"([^"]+)".*/\1/'
}

rss_mb() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$api/status"; }
hwm_mb() { awk '/VmHWM/ {print int($2/1024)}' "/proc/$api/status"; }
machine() { echo "$(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p'), PostgreSQL $(psql --version | awk '{print $3}')"; }
gen=tests/SpendOptimizer.Benchmarks/bin/Release/net10.0/SpendOptimizer.Benchmarks.dll

# wrk from Debian's packages when it is missing.
need_wrk() { command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }; }

# Loads the two-year demo advertiser (performance, economics, lift tests) into workspace $1 with ingest key $2; the files stay in $work/demo.
load_demo() {
  dotnet run --project src/SpendOptimizer.Cli -c Release -- demo-data --out "$work/demo" >/dev/null
  local f route method file query
  for f in performance:PUT:performance.csv:"?grain=week" economics:PUT:economics.csv: lift-tests:POST:lift-tests.csv:; do
    IFS=: read -r route method file query <<<"$f"
    curl -fsS -X "$method" "$url/v1/workspaces/$1/$route$query" -H "X-Api-Key: $2" -H 'Content-Type: text/csv' --data-binary "@$work/demo/$file" >/dev/null
  done
}
