#!/usr/bin/env bash
# A CAS Online cluster on this machine (docs/deploy.md): nginx (Debian) as the reverse proxy,
# CLUSTER_APPS app processes (default 2) on one PostgreSQL database, and an S3-compatible
# object store (s3rver) on loopback — what a deployment with several app servers runs.
#
#   bash scripts/cluster.sh up          # foreground: starts everything, Ctrl-C stops it
#   bash scripts/cluster.sh restart N   # SIGTERM app N (1-based), wait for it, start it again
#   bash scripts/cluster.sh down        # stops what `up` started (if it was killed)
#
# Needs `npm run build` first. Settings (environment): CLUSTER_DIR (/tmp/cas-cluster),
# CLUSTER_PORT (8080, nginx), CLUSTER_APP_PORT (3101: apps on 3101, 3102, …), CLUSTER_APPS (2),
# CLUSTER_S3_PORT (4569), CLUSTER_DATABASE_URL (postgres://postgres@127.0.0.1:5432/cas_cluster),
# CLUSTER_FRESH=1 (drop the database and the bucket first). Passed to the apps: SMTP_URL,
# ADMIN_EMAIL, ADMIN_PASSWORD, DEMO_DATA (default 1, first app only), LOG_LEVEL (warn).
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${CLUSTER_DIR:-/tmp/cas-cluster}
RUN=$DIR/run
PORT=${CLUSTER_PORT:-8080}
APP_PORT=${CLUSTER_APP_PORT:-3101}
APPS=${CLUSTER_APPS:-2}
S3_PORT=${CLUSTER_S3_PORT:-4569}
DATABASE_URL=${CLUSTER_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cas_cluster}
BUCKET=cas-cluster

log() { echo "cluster: $*" >&2; }

wait_ready() { # url, seconds
  for _ in $(seq 1 $(($2 * 5))); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = "200" ] && return 0
    sleep 0.2
  done
  log "$1 did not become ready"
  return 1
}

secrets() {
  mkdir -p "$DIR"
  if [ ! -f "$DIR/secrets.env" ]; then
    # Every app process shares these (docs/deploy.md): generated once per cluster directory.
    {
      echo "SESSION_SECRET=$(openssl rand -hex 32)"
      echo "TOTP_ENCRYPTION_KEY=$(openssl rand -hex 32)"
    } >"$DIR/secrets.env"
    chmod 600 "$DIR/secrets.env"
  fi
}

start_app() { # n
  local n=$1 port=$((APP_PORT + $1 - 1))
  local demo=0
  [ "$n" = 1 ] && demo=${DEMO_DATA:-1}
  (
    set -a
    # shellcheck disable=SC1091
    . "$DIR/secrets.env"
    set +a
    export NODE_ENV=production PORT=$port HOST=127.0.0.1 BASE_URL="http://127.0.0.1:$PORT" TRUST_PROXY=1 \
      DATABASE_URL DATA_DIR="$DIR/app$n" DEMO_DATA=$demo LOG_LEVEL=${LOG_LEVEL:-warn} \
      S3_ENDPOINT="http://127.0.0.1:$S3_PORT" S3_BUCKET=$BUCKET S3_ACCESS_KEY_ID=S3RVER S3_SECRET_ACCESS_KEY=S3RVER S3_FORCE_PATH_STYLE=1
    [ "$n" = 1 ] || unset ADMIN_EMAIL ADMIN_PASSWORD
    exec setsid node server.js --production >>"$RUN/app$n.log" 2>&1
  ) &
  echo $! >"$RUN/app$n.pid"
  wait_ready "http://127.0.0.1:$port/readyz" 240
  log "app $n ready on 127.0.0.1:$port (pid $(cat "$RUN/app$n.pid"))"
}

stop_pid() { # file, signal
  [ -f "$1" ] || return 0
  local pid
  pid=$(cat "$1")
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$2" "$pid" 2>/dev/null || true
    for _ in $(seq 1 400); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$1"
}

down() {
  [ -f "$RUN/nginx.pid" ] && nginx -c "$RUN/nginx.conf" -s quit 2>/dev/null || true
  for f in "$RUN"/app*.pid; do [ -e "$f" ] && stop_pid "$f" TERM; done
  stop_pid "$RUN/s3rver.pid" TERM
  stop_pid "$RUN/nginx.pid" TERM
  log "stopped"
}

up() {
  [ -f build/server/index.js ] || { log "run npm run build first"; exit 1; }
  command -v nginx >/dev/null || { log "nginx is missing: bash scripts/ensure-system-packages.sh installs it"; exit 1; }
  secrets
  mkdir -p "$RUN"
  local admin_url=${DATABASE_URL%/*}/postgres db=${DATABASE_URL##*/}
  if [ "${CLUSTER_FRESH:-0}" = 1 ]; then
    psql -q "$admin_url" -c "drop database if exists $db with (force)" >/dev/null
    rm -rf "$DIR/s3" "$DIR"/app*
  fi
  psql -tA "$admin_url" -c "select 1 from pg_database where datname = '$db'" | grep -q 1 ||
    psql -q "$admin_url" -c "create database $db" >/dev/null

  S3_DIR=$DIR/s3 S3_PORT=$S3_PORT S3_BUCKET=$BUCKET node deploy/s3rver.mjs >>"$RUN/s3rver.log" 2>&1 &
  echo $! >"$RUN/s3rver.pid"
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null && break; sleep 0.1; done

  # The first app migrates the database and seeds the demo; the others start once it is ready.
  for n in $(seq 1 "$APPS"); do start_app "$n"; done

  local upstreams=""
  for n in $(seq 1 "$APPS"); do upstreams+="    server 127.0.0.1:$((APP_PORT + n - 1)) max_fails=1 fail_timeout=2s;"$'\n'; done
  sed -e "s#@RUN_DIR@#$RUN#g" -e "s#@PORT@#$PORT#g" deploy/nginx.conf |
    awk -v ups="$upstreams" '{ if ($0 ~ /@UPSTREAMS@/) printf "%s", ups; else print }' >"$RUN/nginx.conf"
  nginx -c "$RUN/nginx.conf" -g "daemon off;" >>"$RUN/nginx.log" 2>&1 &
  echo $! >"$RUN/nginx.pid"
  wait_ready "http://127.0.0.1:$PORT/readyz" 30
  log "CAS Online on http://127.0.0.1:$PORT ($APPS app processes, PostgreSQL $db, s3rver on $S3_PORT)"
  trap 'down; exit 0' TERM INT
  while sleep 1; do :; done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  restart)
    n=${2:?restart needs the app number}
    secrets
    stop_pid "$RUN/app$n.pid" TERM
    log "app $n stopped"
    start_app "$n"
    ;;
  *)
    echo "usage: bash scripts/cluster.sh up | restart N | down" >&2
    exit 2
    ;;
esac
