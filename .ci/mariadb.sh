#!/usr/bin/env bash
# Starts a throwaway MariaDB for the cluster tests (issue 6) and writes where it is to an env file.
#
#   bash .ci/mariadb.sh          install if missing, start (or reuse a running one), print the URI
#   bash .ci/mariadb.sh stop     stop the server this script started and remove its data directory
#   source /tmp/kss-mariadb.env  then KSS_TEST_MYSQL_URI etc. are set
#
# Idempotent: a second start while the first server still answers only prints the env file again.
# The env file also tells the stop/restart test how to control mysqld (pid file, data dir, command).
set -euo pipefail

ROOT=${KSS_MARIADB_ROOT:-/tmp/kss-mariadb}
ENV_FILE=${KSS_MARIADB_ENV:-/tmp/kss-mariadb.env}
DB=kss_test
DB_USER=kss
DB_PASS=kss-test-pw

log() { printf 'mariadb.sh: %s\n' "$*" >&2; }

find_bin() { for b in "$@"; do command -v "$b" >/dev/null 2>&1 && { command -v "$b"; return 0; }; done; for b in "$@"; do [ -x "/usr/sbin/$b" ] && { echo "/usr/sbin/$b"; return 0; }; done; return 1; }

stop_server() {
  if [ -f "$ROOT/mysqld.pid" ]; then
    local pid; pid=$(cat "$ROOT/mysqld.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$ROOT" "$ENV_FILE"
  log "stopped"
}

if [ "${1:-start}" = "stop" ]; then stop_server; exit 0; fi

# Reuse a server this script started earlier if it still answers.
if [ -f "$ENV_FILE" ] && [ -f "$ROOT/mysqld.pid" ] && kill -0 "$(cat "$ROOT/mysqld.pid")" 2>/dev/null; then
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  if "$KSS_TEST_MYSQL_CLIENT" --protocol=socket -S "$KSS_TEST_MYSQL_SOCKET" -u root -e 'SELECT 1' >/dev/null 2>&1; then
    log "already running"; cat "$ENV_FILE"; exit 0
  fi
fi

MYSQLD=$(find_bin mariadbd mysqld || true)
if [ -z "$MYSQLD" ]; then
  log "installing mariadb-server (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client >/dev/null
  MYSQLD=$(find_bin mariadbd mysqld)
fi
INSTALL_DB=$(find_bin mariadb-install-db mysql_install_db)
CLIENT=$(find_bin mariadb mysql)

# Debian's package may start its own service on install; ours is separate (own port, socket, data).
stop_server 2>/dev/null || true
mkdir -p "$ROOT/data"
"$INSTALL_DB" --no-defaults --user=root --datadir="$ROOT/data" --auth-root-authentication-method=normal \
  --skip-test-db >"$ROOT/install.log" 2>&1 || { cat "$ROOT/install.log" >&2; exit 1; }

# A free port chosen by the kernel.
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

# Small buffers: the machine has 2 cores shared with everything else; short lock waits so a stuck
# transaction surfaces as a retryable error quickly instead of stalling a request.
START_CMD="$MYSQLD --no-defaults --user=root --datadir=$ROOT/data --socket=$ROOT/mysqld.sock --pid-file=$ROOT/mysqld.pid --bind-address=127.0.0.1 --port=$PORT --skip-name-resolve --innodb-buffer-pool-size=64M --innodb-log-file-size=48M --innodb-flush-log-at-trx-commit=2 --innodb-lock-wait-timeout=5 --max-connections=300 --log-error=$ROOT/mysqld.err"
# setsid: the server must not die with the shell that started it (CI runs this from .ci/run).
setsid $START_CMD >/dev/null 2>&1 < /dev/null &

for i in $(seq 1 150); do
  if "$CLIENT" --protocol=socket -S "$ROOT/mysqld.sock" -u root -e 'SELECT 1' >/dev/null 2>&1; then break; fi
  if [ "$i" = 150 ]; then log "mysqld did not answer within 30 s"; cat "$ROOT/mysqld.err" >&2 || true; exit 1; fi
  sleep 0.2
done

"$CLIENT" --protocol=socket -S "$ROOT/mysqld.sock" -u root <<SQL
CREATE DATABASE IF NOT EXISTS $DB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
-- The tests create one database per test file (kss_test_*), so the user may create databases.
GRANT ALL PRIVILEGES ON \`kss\\_test%\`.* TO '$DB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`kss\\_test%\`.* TO '$DB_USER'@'localhost';
FLUSH PRIVILEGES;
SQL

cat >"$ENV_FILE" <<ENVEOF
KSS_TEST_MYSQL_URI=mysql://$DB_USER:$DB_PASS@127.0.0.1:$PORT/$DB
KSS_TEST_MYSQL_PORT=$PORT
KSS_TEST_MYSQL_ROOT_URI=mysql://root@localhost/$DB?socketPath=$ROOT/mysqld.sock
KSS_TEST_MYSQL_SOCKET=$ROOT/mysqld.sock
KSS_TEST_MYSQL_PIDFILE=$ROOT/mysqld.pid
KSS_TEST_MYSQL_DATADIR=$ROOT/data
KSS_TEST_MYSQL_CLIENT=$CLIENT
KSS_TEST_MYSQLD_CMD="$START_CMD"
ENVEOF
log "running on 127.0.0.1:$PORT (data $ROOT/data)"
cat "$ENV_FILE"
