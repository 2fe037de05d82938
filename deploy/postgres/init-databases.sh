#!/bin/sh
# Run once by the postgres image on an empty data volume (/docker-entrypoint-initdb.d): one role and
# database for the product, one role owning Temporal's two databases. Passwords come from the
# environment (.env), never from this file; psql's :'var' quoting keeps them out of the SQL text.
set -eu
: "${POSTGRES_MINERALS_PASSWORD:?set POSTGRES_MINERALS_PASSWORD in .env}"
: "${POSTGRES_TEMPORAL_PASSWORD:?set POSTGRES_TEMPORAL_PASSWORD in .env}"

psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v minerals_password="$POSTGRES_MINERALS_PASSWORD" \
    -v temporal_password="$POSTGRES_TEMPORAL_PASSWORD" <<'SQL'
CREATE ROLE minerals LOGIN PASSWORD :'minerals_password';
CREATE DATABASE minerals OWNER minerals;
CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
SQL
