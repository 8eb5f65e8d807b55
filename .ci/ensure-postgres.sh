#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432, then creates (idempotently) the test
# database, owned by the connecting superuser, and a non-owner login role for row-level-security
# tests. Writes DATABASE_URL / DATABASE_APP_URL to .tmp/ci-database.env.
set -euo pipefail
PGHOST=127.0.0.1
DB=phonepe_billing_test
APP_ROLE=phonepe_billing_app
APP_PASSWORD=phonepe_billing_app

if ! pg_isready -h "$PGHOST" -q; then
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do pg_isready -h "$PGHOST" -q && break; sleep 1; done
fi
pg_isready -h "$PGHOST"

# Connect as a superuser: over TCP with trust auth as on the project machines, else via the
# local socket as the postgres OS user.
psql_admin() {
  if psql -h "$PGHOST" -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    psql -h "$PGHOST" -U postgres -v ON_ERROR_STOP=1 "$@"
  else
    su postgres -c "psql -v ON_ERROR_STOP=1 $(printf '%q ' "$@")"
  fi
}
psql_admin -d postgres -tAc "select 1 from pg_database where datname = '$DB'" | grep -q 1 \
  || psql_admin -d postgres -c "create database $DB"
psql_admin -d postgres -c "do \$\$ begin
  if not exists (select 1 from pg_roles where rolname = '$APP_ROLE') then
    create role $APP_ROLE login password '$APP_PASSWORD' nosuperuser nobypassrls;
  end if;
end \$\$;"
psql_admin -d "$DB" -c "grant connect, temporary on database $DB to $APP_ROLE; grant usage on schema public to $APP_ROLE;"

mkdir -p .tmp
cat > .tmp/ci-database.env <<ENV
DATABASE_URL=postgres://postgres@$PGHOST:5432/$DB
DATABASE_APP_URL=postgres://$APP_ROLE:$APP_PASSWORD@$PGHOST:5432/$DB
ENV
