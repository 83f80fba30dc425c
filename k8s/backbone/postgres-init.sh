#!/bin/sh
# Run by the postgres image once, on an empty data directory (mounted into /docker-entrypoint-initdb.d).
# The k8s twin of deploy/compose/postgres-init.sql: the services log in as the role from Secret
# runway-db, not as the superuser, and that role owns one database per service plus the registry's.
# The credentials arrive as environment variables; psql quotes them (:"role", :'password').
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v role="$RUNWAY_DB_USERNAME" -v password="$RUNWAY_DB_PASSWORD" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE runway_registry OWNER :"role";
CREATE DATABASE runway_orchestrator OWNER :"role";
CREATE DATABASE runway_validator OWNER :"role";
CREATE DATABASE runway_executor OWNER :"role";
CREATE DATABASE runway_health OWNER :"role";
CREATE DATABASE runway_notifier OWNER :"role";
SQL
