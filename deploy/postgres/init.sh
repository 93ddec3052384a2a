#!/bin/sh
# PostgreSQL init script of docker-compose.yml, run once when the postgres
# volume is created (mounted in /docker-entrypoint-initdb.d): the roles and
# databases of Temporal and of sillage. Temporal's auto-setup creates its
# own databases (temporal, temporal_visibility) with the temporal role.
# The passwords come from the environment of the postgres service; keep
# them free of single quotes.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE temporal LOGIN CREATEDB PASSWORD '${TEMPORAL_DB_PASSWORD}';
CREATE ROLE sillage LOGIN PASSWORD '${SILLAGE_DB_PASSWORD}';
CREATE DATABASE sillage OWNER sillage;
SQL
