#!/usr/bin/env bash
# Start PostgreSQL and Redis when they are not running, and make sure the test role and
# database exist. Idempotent; safe to run before every `make test`.
set -euo pipefail
PGHOST=127.0.0.1 PGPORT=5432
DB_USER=${ICP_DB_USER:-icp} DB_PASSWORD=${ICP_DB_PASSWORD:-icp} DB_NAME=${ICP_DB_NAME:-icp_portal}

if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
  echo "Starting PostgreSQL"
  version=$(ls /etc/postgresql | sort -V | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

# As the postgres superuser (peer auth on a fresh Debian; trust on the dev machines).
as_superuser() {
  if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
    runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt "$@"
  else
    psql -h "$PGHOST" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"
  fi
}
if [ "$(as_superuser -c "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'")" != 1 ]; then
  as_superuser -c "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
fi
if [ "$(as_superuser -c "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'")" != 1 ]; then
  as_superuser -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
fi
