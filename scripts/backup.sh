#!/usr/bin/env bash
# Back up Bimeh Mall: the PostgreSQL database (pg_dump, custom format) and the private
# uploads (licences, claim documents) as a tar archive, with SHA-256 sums, then prune
# backups older than the retention. See docs/BACKUP.md.
#
#   DATABASE_URL=postgres://user:pass@host:5432/bimemall scripts/backup.sh /backups
#
# Environment:
#   DATABASE_URL            required, postgres:// (the same value the app reads)
#   PRIVATE_MEDIA_ROOT      the uploads folder (default: $VAR_DIR/private, VAR_DIR=./var)
#   BACKUP_RETENTION_DAYS   delete this script's backups older than this (default 14; 0 keeps all)
set -euo pipefail

DEST=${1:-${BACKUP_DIR:-./backups}}
: "${DATABASE_URL:?DATABASE_URL is required (postgres://user:password@host:5432/name)}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL is not PostgreSQL; this procedure is for production databases" >&2; exit 2 ;;
esac
VAR_DIR=${VAR_DIR:-./var}
PRIVATE_MEDIA_ROOT=${PRIVATE_MEDIA_ROOT:-$VAR_DIR/private}
RETENTION=${BACKUP_RETENTION_DAYS:-14}

umask 077  # dumps hold national codes and mobiles: readable by the backup user only
mkdir -p "$DEST"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
DUMP="$DEST/bimemall-db-$STAMP.dump"
FILES="$DEST/bimemall-private-$STAMP.tar.gz"

# Custom format: compressed, restorable table by table, in parallel, with pg_restore.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$DUMP.partial"
mv "$DUMP.partial" "$DUMP"

if [[ -d "$PRIVATE_MEDIA_ROOT" ]]; then
  tar --create --gzip --file="$FILES.partial" --directory="$PRIVATE_MEDIA_ROOT" .
  mv "$FILES.partial" "$FILES"
else
  echo "backup.sh: no private files at $PRIVATE_MEDIA_ROOT; only the database was dumped" >&2
  FILES=""
fi

(cd "$DEST" && sha256sum "$(basename "$DUMP")" ${FILES:+"$(basename "$FILES")"} >"bimemall-$STAMP.sha256")

if [[ "$RETENTION" -gt 0 ]]; then
  find "$DEST" -maxdepth 1 -type f -name 'bimemall-*' -mtime "+$RETENTION" -print -delete
fi

echo "$DUMP"
[[ -n "$FILES" ]] && echo "$FILES"
exit 0
