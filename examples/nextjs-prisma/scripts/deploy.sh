#!/usr/bin/env bash
# Deploys nextjs-prisma through Runway: validation, backup, Prisma migrations, approvals and traffic are Runway's job.
# The commit must have been built first (scripts/build.sh <builds>, where NEXT_BUILDS points).
set -euo pipefail
ENVIRONMENT="${1:?usage: deploy.sh <environment> <version>}"
VERSION="${2:?usage: deploy.sh <environment> <version>}"
exec runway deploy -e "$ENVIRONMENT" -v "$VERSION" --repo "$(dirname "$0")/.." --wait
