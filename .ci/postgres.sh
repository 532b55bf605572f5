#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test suite, listening on 127.0.0.1 only.
#   .ci/postgres.sh start DIR   new cluster in DIR (empty or missing); prints the line
#                               export FINMON_TEST_DATABASE_URL=postgresql+psycopg://...
#   .ci/postgres.sh stop DIR    stops that server and removes DIR
# Installs Debian's postgresql package when no server is installed. PostgreSQL refuses to run as
# root, so under root the cluster belongs to the `postgres` system user (created when missing).
set -euo pipefail

usage() {
    echo "usage: $0 start|stop DIR" >&2
    exit 2
}
[ "$#" -eq 2 ] || usage
action=$1
dir=$2
owner=postgres

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u "$owner" -- "$@")
    else
        "$@"
    fi
}

server_bin() {
    local initdb
    initdb=$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1 || true)
    if [ -z "$initdb" ]; then
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
        initdb=$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1)
    fi
    dirname "$initdb"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local bin port
    bin=$(server_bin)
    if [ "$(id -u)" -eq 0 ] && ! id -u "$owner" >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$owner"
    fi
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown "$owner:" "$dir"
    port=$(free_port)
    as_owner "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
        --encoding=UTF8 --no-locale --no-sync >"$dir/initdb.log"
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    if ! as_owner "$bin/pg_ctl" start --pgdata="$dir/data" --log="$dir/server.log" --wait \
        --timeout=60 >&2; then
        cat "$dir/server.log" >&2
        exit 1
    fi
    as_owner "$bin/pg_isready" --host=127.0.0.1 --port="$port" --timeout=30 >&2
    echo "export FINMON_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
}

stop() {
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$(server_bin)/pg_ctl" stop --pgdata="$dir/data" --mode=immediate --wait >&2 || true
    fi
    rm -rf "$dir"
}

case "$action" in
start) start ;;
stop) stop ;;
*) usage ;;
esac
