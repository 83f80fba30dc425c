#!/usr/bin/env bash
# Rolls {{project}} back through Runway: traffic returns to the version live before the current one (DEPLOYMENT.md).
# usage: scripts/rollback.sh <environment> [previous|<version>] [runway rollback options...]
set -euo pipefail
ENVIRONMENT="${1:?usage: scripts/rollback.sh <environment> [previous|<version>]}"
TARGET="${2:-previous}"
shift $(($# < 2 ? $# : 2))
exec "${RUNWAY:-runway}" rollback "$ENVIRONMENT" "$TARGET" -p {{project}} --wait "$@"
