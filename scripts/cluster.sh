#!/usr/bin/env bash
# Several instances of SpendOptimizer on one database, on loopback: the private PostgreSQL run.sh uses, three API
# instances (published Release build, each on its own port) and HAProxy in front of them (round robin, health checks on
# /health/ready, failed idempotent requests sent to another instance).
#   scripts/cluster.sh start     -> prints the URL (http://127.0.0.1:5090 unless SPENDOPT_URL_PORT says otherwise)
#   scripts/cluster.sh status
#   scripts/cluster.sh stop      -> stops HAProxy, the instances and PostgreSQL
#   scripts/cluster.sh restart-instance N   -> starts instance N again on its port (after a crash)
# State lives in ${SPENDOPT_DATA:-.data}: pg/, pg-port and admin-key as run.sh keeps them, the rest under cluster/
# (pid files, ports, logs, the published build). SpendOptimizer__* variables in the environment reach every instance.
set -euo pipefail
cd "$(dirname "$0")/.."

cmd=${1:?start|stop|status|restart-instance N}
root=${SPENDOPT_DATA:-.data}
dir=$root/cluster
instances=(1 2 3)

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Starts instance $1 on its recorded port (a restart after a crash reuses it, so HAProxy finds it again).
start_instance() {
  local n=$1 port
  port=$(cat "$dir/api-$n.port")
  alive "$dir/api-$n.pid" && return 0
  env ConnectionStrings__SpendOptimizer="$(cat "$dir/connection")" SPENDOPT_ADMIN_KEY="$(cat "$root/admin-key")" \
    Logging__LogLevel__Default="${Logging__LogLevel__Default:-Warning}" \
    setsid dotnet "$dir/app/SpendOptimizer.Api.dll" --urls "http://127.0.0.1:$port" >>"$dir/api-$n.log" 2>&1 < /dev/null &
  echo $! > "$dir/api-$n.pid"
}

wait_ready() { # url, pid file
  for _ in $(seq 1 240); do
    curl -fsS "$1/health/ready" >/dev/null 2>&1 && return 0
    alive "$2" || { echo "Not started: $1 (see ${2%.pid}.log)" >&2; return 1; }
    sleep 0.5
  done
  echo "Not ready in 120 s: $1" >&2; return 1
}

haproxy_env() {
  export CLUSTER_DIR CLUSTER_PORT CLUSTER_API_1 CLUSTER_API_2 CLUSTER_API_3
  CLUSTER_DIR=$(cd "$dir" && pwd); CLUSTER_PORT=$(cat "$dir/haproxy.port")
  CLUSTER_API_1=$(cat "$dir/api-1.port"); CLUSTER_API_2=$(cat "$dir/api-2.port"); CLUSTER_API_3=$(cat "$dir/api-3.port")
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    if ! command -v haproxy >/dev/null; then
      [[ $(id -u) -eq 0 ]] || { echo "HAProxy is missing; install the Debian package 'haproxy' (needs root)." >&2; exit 1; }
      echo "Installing HAProxy with apt-get…" >&2
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >&2
    fi
    pg_port=$(cat "$root/pg-port" 2>/dev/null || scripts/free-port.sh 54329)
    echo "$pg_port" > "$root/pg-port"
    (umask 077; scripts/postgres.sh start "$root/pg" "$pg_port" > "$dir/connection")
    [[ -f "$root/admin-key" ]] || (umask 077; head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$root/admin-key")

    dotnet publish src/SpendOptimizer.Api -c Release -o "$dir/app" -nologo -clp:ErrorsOnly >/dev/null
    next=5181
    for n in "${instances[@]}"; do
      if ! alive "$dir/api-$n.pid"; then
        port=$(scripts/free-port.sh "$next"); echo "$port" > "$dir/api-$n.port"
      fi
      next=$(( $(cat "$dir/api-$n.port") + 1 ))
    done
    # One at a time: the first applies the migrations, the others find them applied.
    for n in "${instances[@]}"; do
      start_instance "$n"
      wait_ready "http://127.0.0.1:$(cat "$dir/api-$n.port")" "$dir/api-$n.pid"
    done

    alive "$dir/haproxy.pid" || scripts/free-port.sh "${SPENDOPT_URL_PORT:-5090}" > "$dir/haproxy.port"
    haproxy_env
    haproxy -c -q -f scripts/haproxy.cfg
    alive "$dir/haproxy.pid" || haproxy -D -p "$dir/haproxy.pid" -f scripts/haproxy.cfg
    url=http://127.0.0.1:$CLUSTER_PORT
    wait_ready "$url" "$dir/haproxy.pid"
    echo "$url" > "$dir/url"
    echo "PostgreSQL: 127.0.0.1:$pg_port (data in $root/pg)"
    for n in "${instances[@]}"; do echo "API $n:      http://127.0.0.1:$(cat "$dir/api-$n.port")"; done
    echo "HAProxy:    $url   (operator key in $root/admin-key; scripts/demo.sh $url \"\$(cat $root/admin-key)\" loads the demo)"
    ;;
  restart-instance)
    start_instance "${2:?instance number}"
    wait_ready "http://127.0.0.1:$(cat "$dir/api-$2.port")" "$dir/api-$2.pid"
    ;;
  status)
    for n in "${instances[@]}"; do
      port=$(cat "$dir/api-$n.port" 2>/dev/null || echo -)
      if alive "$dir/api-$n.pid"; then state="pid $(cat "$dir/api-$n.pid"), ready: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready" || true)"; else state=stopped; fi
      echo "API $n      127.0.0.1:$port  $state"
    done
    if alive "$dir/haproxy.pid"; then
      echo "HAProxy    $(cat "$dir/url" 2>/dev/null)  pid $(cat "$dir/haproxy.pid")"
      echo "show stat" | socat - "UNIX-CONNECT:$dir/haproxy.sock" 2>/dev/null | awk -F, '$1 == "instances" && $2 != "BACKEND" { print "  " $2 ": " $18 }' || true
    else
      echo "HAProxy    stopped"
    fi
    pg_port=$(cat "$root/pg-port" 2>/dev/null || echo -)
    if pg_isready -q -h 127.0.0.1 -p "$pg_port" 2>/dev/null; then echo "PostgreSQL 127.0.0.1:$pg_port  running"; else echo "PostgreSQL 127.0.0.1:$pg_port  stopped"; fi
    ;;
  stop)
    alive "$dir/haproxy.pid" && kill "$(cat "$dir/haproxy.pid")"
    for n in "${instances[@]}"; do alive "$dir/api-$n.pid" && kill "$(cat "$dir/api-$n.pid")"; done
    for n in "${instances[@]}"; do
      for _ in $(seq 1 100); do alive "$dir/api-$n.pid" || break; sleep 0.1; done
      rm -f "$dir/api-$n.pid"
    done
    rm -f "$dir/haproxy.pid"
    scripts/postgres.sh stop "$root/pg"
    echo "Stopped."
    ;;
  *)
    echo "usage: $0 start|stop|status|restart-instance N" >&2
    exit 2
    ;;
esac
