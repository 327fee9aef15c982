#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster on a free port of 127.0.0.1.
# Exits 77 when no PostgreSQL server binaries are found (the caller reports the skip).
# The server refuses to run as root, so as root it runs as an unprivileged system user.
set -euo pipefail

pg_bin=${LOFTE_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "with-postgres: no PostgreSQL server binaries (looked in /usr/lib/postgresql/*/bin)" >&2
  exit 77
fi

tmp=$(mktemp -d /tmp/lofte-pg.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id lofte-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin lofte-pg
  chown lofte-pg "$tmp"
  as_pg=(runuser -u lofte-pg --)
fi

stop() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$tmp/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# fsync off: a throw-away test cluster need not survive a crash.
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres lofte
echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

export LOFTE_DATABASE_URL="postgres://postgres@127.0.0.1:$port/lofte"
"$@"
