#!/usr/bin/env bash
# `make load`: the scale-out shape on this machine, loaded, then PostgreSQL restarted under load.
#
# - PostgreSQL: a throwaway cluster of its own (initdb in $LOAD_PGDATA, port $LOAD_PG_PORT), so
#   that restarting it disturbs no other database on the machine; database crm_load, migrated,
#   reference and demo data loaded, one editor token per simulated client.
# - Redis: $LOAD_REDIS_URL (a database number of its own, emptied first).
# - Two gunicorn instances (crm/gunicorn.conf.py) on $LOAD_PORTS, both on that database and Redis.
# - load/run.py: baseline, load, throttle check and (FAULT=1, the default) the fault run.
# Everything started here is stopped on exit, failure and Ctrl-C included.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
PGBIN=${LOAD_PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
PGDATA_DIR=${LOAD_PGDATA:-/tmp/crm-load-pg}
PG_PORT=${LOAD_PG_PORT:-5499}
REDIS_URL=${LOAD_REDIS_URL:-redis://127.0.0.1:6379/7}
read -r -a PORTS <<< "${LOAD_PORTS:-8101 8102}"
CLIENTS=${LOAD_CLIENTS:-50}
DURATION=${LOAD_DURATION:-60}
FAULT=${FAULT:-1}
RUN_DIR=$(mktemp -d /tmp/crm-load-run.XXXXXX)
MASTERS=()

if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    echo "PostgreSQL server binaries not found (set LOAD_PGBIN)." >&2
    exit 1
fi

# initdb and postgres refuse to run as root: as root, run them as the postgres user.
as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
    status=$?
    set +e
    for pid in "${MASTERS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${MASTERS[@]}"; do
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -KILL "$pid" 2>/dev/null
    done
    if [ -f "$PGDATA_DIR/PG_VERSION" ]; then
        as_postgres "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1
        rm -rf "$PGDATA_DIR"
    fi
    rm -rf "$RUN_DIR"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== PostgreSQL: a cluster of its own in $PGDATA_DIR, port $PG_PORT"
if [ -f "$PGDATA_DIR/postmaster.pid" ]; then
    as_postgres "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
fi
rm -rf "$PGDATA_DIR"
mkdir -p "$PGDATA_DIR"
[ "$(id -u)" = 0 ] && chown postgres: "$PGDATA_DIR"
as_postgres "$PGBIN/initdb" -D "$PGDATA_DIR" -A trust -U postgres >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w \
    -o "-p $PG_PORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start \
    >/dev/null
DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/crm_load"
$BIN/python -c "import psycopg; c = psycopg.connect('postgres://postgres@127.0.0.1:$PG_PORT/postgres', autocommit=True); c.execute('CREATE DATABASE crm_load')"

# Production settings (DEBUG off), plain http on loopback (TLS is the proxy's), shared state.
export DATABASE_URL REDIS_URL
export SECRET_KEY="load-run-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0
export GUNICORN_WORKERS=${GUNICORN_WORKERS:-2} GUNICORN_THREADS=${GUNICORN_THREADS:-4}
export GUNICORN_LOG_LEVEL=warning

echo "== Data: migrate, reference, demo, $CLIENTS editor tokens"
$BIN/python manage.py migrate --noinput -v0
$BIN/python manage.py load_reference >/dev/null
$BIN/python manage.py load_demo >/dev/null
$BIN/python load/setup_data.py "$CLIENTS" > "$RUN_DIR/keys.json"
$BIN/python -c "import redis; redis.Redis.from_url('$REDIS_URL').flushdb()"

echo "== gunicorn: ${#PORTS[@]} instances on ports ${PORTS[*]}, $GUNICORN_WORKERS workers × $GUNICORN_THREADS threads each"
for port in "${PORTS[@]}"; do
    GUNICORN_BIND="127.0.0.1:$port" $BIN/gunicorn -c crm/gunicorn.conf.py crm.wsgi \
        >"$RUN_DIR/gunicorn-$port.log" 2>&1 &
    MASTERS+=($!)
done
for port in "${PORTS[@]}"; do
    for _ in $(seq 1 60); do
        curl -s -o /dev/null "http://127.0.0.1:$port/api/schema/" && break
        sleep 0.5
    done
    curl -s -o /dev/null "http://127.0.0.1:$port/api/schema/" \
        || { echo "gunicorn on $port did not start:" >&2; cat "$RUN_DIR/gunicorn-$port.log" >&2; exit 1; }
done

RESTART=""
if [ "$FAULT" = 1 ]; then
    if [ "$(id -u)" = 0 ]; then
        RESTART="runuser -u postgres -- $PGBIN/pg_ctl -D $PGDATA_DIR -m fast -w restart"
    else
        RESTART="$PGBIN/pg_ctl -D $PGDATA_DIR -m fast -w restart"
    fi
fi

echo "== Load"
$BIN/python load/run.py --ports "${PORTS[@]}" --pids "${MASTERS[@]}" \
    --keys "$RUN_DIR/keys.json" --database-url "$DATABASE_URL" --redis-url "$REDIS_URL" \
    --clients "$CLIENTS" --duration "$DURATION" --restart-cmd "$RESTART" ${LOAD_ARGS:-}

for port in "${PORTS[@]}"; do
    if grep -qiE "Traceback|CRITICAL|WORKER TIMEOUT" "$RUN_DIR/gunicorn-$port.log"; then
        echo "-- gunicorn $port log (errors):"
        grep -iE -A3 "Traceback|CRITICAL|WORKER TIMEOUT" "$RUN_DIR/gunicorn-$port.log" | tail -40
    fi
done
