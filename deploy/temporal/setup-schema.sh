#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings each schema to the version the
# server release needs, with the server's own sql tool. Safe to run again: an existing
# database is kept, and update-schema only applies the versions a database lacks.
# Used by `make cluster` (scripts/cluster.sh) and by the temporal-schema service of
# docker-compose.yml, so both set up the database the same way.
#
#   SQL_TOOL     the tool: bin/temporal-server/sql, or temporal-sql-tool in admin-tools
#   SCHEMA_DIR   the release's schema/postgresql/v12 folder
#   SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD   read by the tool itself
#   SQL_PASSWORD_FILE   instead of SQL_PASSWORD: a file holding it (a mounted secret)
set -eu
if [ -n "${SQL_PASSWORD_FILE:-}" ]; then
  SQL_PASSWORD=$(cat "$SQL_PASSWORD_FILE")
  export SQL_PASSWORD
fi
: "${SQL_TOOL:?set SQL_TOOL to the Temporal sql tool}"
: "${SCHEMA_DIR:?set SCHEMA_DIR to the schema/postgresql/v12 folder of the server release}"
export SQL_PLUGIN=postgres12

for db in temporal temporal_visibility; do
  case $db in
    temporal) versioned=$SCHEMA_DIR/temporal/versioned ;;
    *) versioned=$SCHEMA_DIR/visibility/versioned ;;
  esac
  [ -d "$versioned" ] || { echo "setup-schema: no schema folder $versioned" >&2; exit 1; }
  # create-database fails when the database exists; that is the rerun case, so the
  # schema steps below decide whether anything is wrong.
  "$SQL_TOOL" --db "$db" create-database >/dev/null 2>&1 || true
  "$SQL_TOOL" --db "$db" setup-schema -v 0.0
  "$SQL_TOOL" --db "$db" update-schema -d "$versioned"
done
