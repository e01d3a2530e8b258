#!/usr/bin/env bash
# A private PostgreSQL cluster for this project: loopback only, its own port, its own data folder.
#   scripts/postgres.sh start DATA_DIR PORT   -> initialises if needed, starts, prints the connection string
#   scripts/postgres.sh stop  DATA_DIR
# Run as root, the server runs as the 'postgres' user (PostgreSQL refuses to run as root).
set -euo pipefail

cmd=${1:?start|stop}
data=${2:?data folder}

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z "$dir" || ! -x "$dir/initdb" ]]; then
    if [[ $(id -u) -ne 0 ]]; then
      echo "PostgreSQL server binaries are missing; install the Debian package 'postgresql' (needs root)." >&2
      exit 1
    fi
    echo "Installing the PostgreSQL server with apt-get…" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    port=${3:?port}
    bin=$(find_bin)
    mkdir -p "$data"
    data=$(cd "$data" && pwd)
    [[ $(id -u) -eq 0 ]] && chown postgres: "$data"
    if [[ ! -f "$data/cluster/PG_VERSION" ]]; then
      password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
      as_owner bash -c "umask 077; printf '%s' '$password' > '$data/password'"
      as_owner "$bin/initdb" -D "$data/cluster" -U spendopt --pwfile="$data/password" \
        --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C.UTF-8 >/dev/null
      as_owner mkdir -p "$data/socket"
    fi
    if ! as_owner "$bin/pg_ctl" -D "$data/cluster" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$data/cluster" -l "$data/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $data/socket -c max_connections=200 -c fsync=${PG_FSYNC:-on}" >/dev/null
    fi
    password=$(cat "$data/password")
    export PGPASSWORD=$password
    if ! psql -h 127.0.0.1 -p "$port" -U spendopt -d postgres -tAc "select 1 from pg_database where datname = 'spendopt'" | grep -q 1; then
      psql -h 127.0.0.1 -p "$port" -U spendopt -d postgres -qc "create database spendopt" >/dev/null
    fi
    echo "Host=127.0.0.1;Port=$port;Username=spendopt;Password=$password;Database=spendopt"
    ;;
  stop)
    bin=$(find_bin)
    if [[ -f "$data/cluster/PG_VERSION" ]]; then
      as_owner "$bin/pg_ctl" -D "$data/cluster" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "usage: $0 start DATA_DIR PORT | stop DATA_DIR" >&2
    exit 2
    ;;
esac
