#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432, then creates (idempotently) the test
# database, owned by the connecting superuser, a non-owner login role for row-level-security
# tests, and the NOLOGIN role phonepe_billing_system. Writes DATABASE_URL / DATABASE_APP_URL to
# .tmp/ci-database.env.
set -euo pipefail
PGHOST=127.0.0.1
DB=phonepe_billing_test
APP_ROLE=phonepe_billing_app
APP_PASSWORD=phonepe_billing_app
SYSTEM_ROLE=phonepe_billing_system

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
# The group role whose members may use system mode (migrations/003 creates it too, when it may).
# Tests migrate as non-superuser owners that cannot create roles, and make their own worker login
# roles in it; the app role must never be a member (the row-level-security tests check that).
psql_admin -d postgres -c "do \$\$ begin
  if not exists (select 1 from pg_roles where rolname = '$SYSTEM_ROLE') then
    create role $SYSTEM_ROLE nologin;
  end if;
exception when duplicate_object or unique_violation then null;
end \$\$;"
psql_admin -d postgres -tAc "select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
  where r.rolname = '$SYSTEM_ROLE' and u.rolname = '$APP_ROLE'" | grep -q 1 && psql_admin -d postgres -c "revoke $SYSTEM_ROLE from $APP_ROLE"
psql_admin -d "$DB" -c "grant connect, temporary on database $DB to $APP_ROLE; grant usage on schema public to $APP_ROLE;"

mkdir -p .tmp
cat > .tmp/ci-database.env <<ENV
DATABASE_URL=postgres://postgres@$PGHOST:5432/$DB
DATABASE_APP_URL=postgres://$APP_ROLE:$APP_PASSWORD@$PGHOST:5432/$DB
ENV
