#!/usr/bin/env bash
# Start the local PostgreSQL (and Redis) if they are installed but not running. Never fails: the
# test suite says what it skips when PostgreSQL is unreachable (and CI makes that an error).
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if command -v pg_isready >/dev/null && ! pg_up; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
      || sudo -n pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  fi
  for _ in $(seq 1 20); do pg_up && break; sleep 0.5; done
fi
if command -v pg_isready >/dev/null && pg_up; then
  echo "PostgreSQL: running on 127.0.0.1:5432"
else
  echo "PostgreSQL: NOT running — the suite falls back to SQLite and skips the PostgreSQL-only tests"
fi
if command -v redis-server >/dev/null && ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null 2>&1 || true
fi
exit 0
