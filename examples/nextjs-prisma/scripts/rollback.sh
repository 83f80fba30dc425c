#!/usr/bin/env bash
# Rolls nextjs-prisma back to the previous release in an environment. To undo a release together with its
# migration, roll its deployment back while it is monitored: runway rollback --deployment <id> --wait
# (the database is restored from the backup taken before the migration).
set -euo pipefail
ENVIRONMENT="${1:?usage: rollback.sh <environment>}"
exec runway rollback "$ENVIRONMENT" previous -p nextjs-prisma --wait
