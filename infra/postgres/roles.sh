#!/bin/sh
# Runs once, when PostgreSQL's data directory is made (docker-entrypoint-initdb.d): a login role per
# service (sw_<service>, password SW_DB_PASSWORD_<SERVICE>) owning that service's schema and nothing
# else; no service role reaches another's schema. The services connect as these roles, never as the
# administrator. (The sandbox makes the same roles; the Helm chart declares them as managed roles.)
set -eu
# nobody creates tables in public but its owner (PostgreSQL's default since 15; said once more)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -c "revoke create on schema public from public"
for service in declaration customs inspection tax forex logistics; do
  variable="SW_DB_PASSWORD_$(echo "$service" | tr '[:lower:]' '[:upper:]')"
  password=$(printenv "$variable" || true)
  if [ -z "$password" ]; then
    echo "$variable is not set: every service needs its own database password" >&2
    exit 1
  fi
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
       -v role="sw_$service" -v schema="$service" -v password="$password" <<'SQL'
create role :"role" login password :'password';
create schema :"schema" authorization :"role";
SQL
done
