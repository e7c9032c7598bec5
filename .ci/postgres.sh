#!/usr/bin/env bash
# Start a local PostgreSQL server for the records-store tests (issue 4).
#
# What it does, every step idempotent (quick when the server is already up):
#   1. installs Debian's `postgresql` package with apt-get when no server binary is present;
#   2. creates the default cluster if there is none, and starts it (listening on loopback only);
#   3. creates the role `goalstudio` (password `goalstudio`) and the database `goalstudio_test`;
#   4. writes the connection URL to `.ci/postgres.env` (next to this script) as
#        export GOALSTUDIO_TEST_POSTGRES_URL='postgresql+psycopg://goalstudio:goalstudio@127.0.0.1:PORT/goalstudio_test'
#      and prints the same line on stdout.
#
# How .ci/run uses it (the tests skip with a clear reason when the URL is unset or unreachable):
#     bash .ci/postgres.sh && . .ci/postgres.env || echo "PostgreSQL not available; postgres tests will skip"
#
# Exit status 0 when the server answers with the URL above; 1 otherwise (and no env file is left).
# Runs as root (as in CI) or as a user with password-less sudo.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
env_file="$here/postgres.env"
role=goalstudio
password=goalstudio
database=goalstudio_test
rm -f "$env_file"

say() { echo "postgres.sh: $*" >&2; }
fail() { say "$*"; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
    as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root() { sudo -n "$@"; }
else
    fail "needs root (or password-less sudo) to install and start PostgreSQL."
fi
as_postgres() { as_root su postgres -s /bin/sh -c "$1"; }

server_binary() { ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(server_binary)" ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    say "installing Debian's postgresql package..."
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq >/dev/null || fail "apt-get update failed."
    as_root apt-get install -y -qq postgresql >/dev/null || fail "apt-get install postgresql failed."
fi
binary="$(server_binary)"
[ -n "$binary" ] || fail "no PostgreSQL server binary under /usr/lib/postgresql after installing."
version="$(basename "$(dirname "$(dirname "$binary")")")"

if ! pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
    say "creating cluster $version/main..."
    as_root pg_createcluster "$version" main >/dev/null || fail "pg_createcluster $version main failed."
fi
line="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"')"
port="$(echo "$line" | awk '{print $3}')"
status="$(echo "$line" | awk '{print $4}')"
if [ "$status" != "online" ]; then
    say "starting cluster $version/main on port $port..."
    as_root pg_ctlcluster "$version" main start -- -o "-c listen_addresses=127.0.0.1" \
        || fail "pg_ctlcluster $version main start failed; see /var/log/postgresql/postgresql-$version-main.log"
fi

for _ in $(seq 1 50); do
    if as_postgres "psql -p $port -tAc 'SELECT 1'" >/dev/null 2>&1; then break; fi
    sleep 0.2
done
as_postgres "psql -p $port -tAc 'SELECT 1'" >/dev/null 2>&1 || fail "the server on port $port does not answer."

if [ "$(as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$role'\"")" != "1" ]; then
    as_postgres "psql -p $port -v ON_ERROR_STOP=1 -qc \"CREATE ROLE $role LOGIN PASSWORD '$password'\"" \
        || fail "could not create the role $role."
fi
if [ "$(as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname = '$database'\"")" != "1" ]; then
    as_postgres "psql -p $port -v ON_ERROR_STOP=1 -qc 'CREATE DATABASE $database OWNER $role'" \
        || fail "could not create the database $database."
fi

url="postgresql+psycopg://$role:$password@127.0.0.1:$port/$database"
PGPASSWORD="$password" psql -h 127.0.0.1 -p "$port" -U "$role" -d "$database" -tAc 'SELECT 1' >/dev/null \
    || fail "cannot log in as $role over 127.0.0.1:$port (check pg_hba.conf allows password logins)."

tmp="$env_file.tmp.$$"
printf "export GOALSTUDIO_TEST_POSTGRES_URL='%s'\n" "$url" >"$tmp"
mv "$tmp" "$env_file"
echo "export GOALSTUDIO_TEST_POSTGRES_URL='$url'"
