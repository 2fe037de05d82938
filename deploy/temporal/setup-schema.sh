#!/bin/sh
# One-shot (temporalio/admin-tools): create or upgrade Temporal's schemas in PostgreSQL, both the main
# and the visibility database (created empty by deploy/postgres/init-databases.sh). Safe to re-run:
# setup-schema -v 0.0 keeps an existing schema, update-schema applies only the versions not yet applied,
# so upgrading the admin-tools/server tags and running `docker compose up` migrates Temporal too.
set -eu
: "${SQL_PASSWORD:?SQL_PASSWORD (the temporal role's password) is required}"
SCHEMA_ROOT=/etc/temporal/schema/postgresql/v12

for target in "temporal:temporal" "temporal_visibility:visibility"; do
    db=${target%%:*}
    dir=${target#*:}
    echo "Temporal schema: $db"
    temporal-sql-tool --plugin postgres12 --ep "${POSTGRES_SEEDS}" -p "${DB_PORT:-5432}" \
        -u "${POSTGRES_USER}" --db "$db" setup-schema -v 0.0
    temporal-sql-tool --plugin postgres12 --ep "${POSTGRES_SEEDS}" -p "${DB_PORT:-5432}" \
        -u "${POSTGRES_USER}" --db "$db" update-schema -d "$SCHEMA_ROOT/$dir/versioned"
done
echo "Temporal schemas are up to date"
