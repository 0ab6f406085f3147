#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database, and optionally the
# private files. See docs/BACKUP.md.
#
#   scripts/restore.sh DUMP TARGET_DATABASE_URL [PRIVATE_TAR TARGET_PRIVATE_DIR]
#
# The target database must exist and be empty (createdb -O bimemall bimemall_restored);
# restoring over a live database is refused by pg_restore's --exit-on-error on the first
# existing table. Checks the SHA-256 sums when the .sha256 file is next to the dump.
set -euo pipefail

DUMP=${1:?usage: restore.sh DUMP TARGET_DATABASE_URL [PRIVATE_TAR TARGET_PRIVATE_DIR]}
TARGET=${2:?usage: restore.sh DUMP TARGET_DATABASE_URL [PRIVATE_TAR TARGET_PRIVATE_DIR]}
FILES=${3:-}
FILES_DEST=${4:-}

dir=$(dirname "$DUMP")
stamp=$(basename "$DUMP" .dump)
stamp=${stamp#bimemall-db-}
if [[ -f "$dir/bimemall-$stamp.sha256" ]]; then
  (cd "$dir" && sha256sum --check --quiet "bimemall-$stamp.sha256")
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$TARGET" "$DUMP"

if [[ -n "$FILES" ]]; then
  : "${FILES_DEST:?a target folder for the private files is required with PRIVATE_TAR}"
  mkdir -p "$FILES_DEST"
  tar --extract --gzip --file="$FILES" --directory="$FILES_DEST"
fi
echo "restored $DUMP into the target database${FILES:+ and $FILES into $FILES_DEST}"
