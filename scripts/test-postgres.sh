#!/usr/bin/env bash
# Start Debian's PostgreSQL and (re)create an empty test database owned by the current user.
# Prints the TEST_DATABASE_URL to use. Needs root (as in CI) or a user allowed to run these.
set -euo pipefail
database=${1:-clinic_test}
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
me=$(id -un)
su postgres -c "createuser --superuser $me" >/dev/null 2>&1 || true
dropdb --if-exists "$database" >/dev/null 2>&1
createdb "$database"
echo "postgresql+psycopg:///$database"
