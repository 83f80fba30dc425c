#!/usr/bin/env bash
# Deploys {{project}} through Runway: validation, approvals, the strategy and rollback are Runway's job (DEPLOYMENT.md).
# usage: scripts/deploy.sh <environment> <version> [runway deploy options...]
set -euo pipefail
cd "$(dirname "$0")/.."
ENVIRONMENT="${1:?usage: scripts/deploy.sh <environment> <version>}"
VERSION="${2:?usage: scripts/deploy.sh <environment> <version>}"
shift 2
exec "${RUNWAY:-runway}" deploy -e "$ENVIRONMENT" -v "$VERSION" --repo . --wait "$@"
